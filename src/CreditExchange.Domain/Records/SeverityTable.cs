using System.Globalization;

namespace CreditExchange.Domain.Records;

/// <summary>The kind on a record that requires a severity, and the least severity it requires.</summary>
/// <param name="Kind">The kind, named as the contract names it (e.g. "PENALTY_KIND_LICENCE_REVOCATION").</param>
public sealed record SeverityRequirement(RecordSeverity Minimum, string Kind);

/// <summary>
/// One version of the severity table: the least severity that penalty kinds, disciplinary
/// sanctions and accountability measures imply. Versions are data, like the disclosure policies:
/// a change is a new version with its own effective date, never an edit of an old one.
/// </summary>
/// <param name="Minimums">The least severity per kind, keyed by the kind's contract name.</param>
public sealed record SeverityTableVersion(string Version, DateOnly EffectiveFrom, string Source, IReadOnlyDictionary<string, RecordSeverity> Minimums)
{
    /// <summary>The most demanding requirement among <paramref name="kinds"/> (contract names); null when none requires more than minor.</summary>
    public SeverityRequirement? Requirement(IEnumerable<string> kinds) => kinds
        .Where(Minimums.ContainsKey)
        .Select(k => new SeverityRequirement(Minimums[k], k))
        .Where(r => r.Minimum > RecordSeverity.Minor)
        .OrderByDescending(r => r.Minimum)
        .ThenBy(r => r.Kind, StringComparer.Ordinal)
        .FirstOrDefault();
}

/// <summary>Every version of the severity table; a record is checked against the version in force on its decision date.</summary>
public sealed class SeverityTable
{
    private readonly List<SeverityTableVersion> _byDate;

    public SeverityTable(IEnumerable<SeverityTableVersion> versions, ISet<string> knownKinds)
    {
        _byDate = [.. versions.OrderBy(v => v.EffectiveFrom)];
        var problems = new List<string>();
        if (_byDate.Count == 0)
        {
            problems.Add("at least one version is required");
        }

        problems.AddRange(_byDate.GroupBy(v => v.Version).Where(g => g.Count() > 1).Select(g => $"version '{g.Key}' appears more than once"));
        problems.AddRange(_byDate.GroupBy(v => v.EffectiveFrom).Where(g => g.Count() > 1)
            .Select(g => $"versions {string.Join(", ", g.Select(v => v.Version))} take effect on the same day {g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
        foreach (var version in _byDate)
        {
            problems.AddRange(version.Minimums.Keys.Where(k => !knownKinds.Contains(k)).Select(k => $"version '{version.Version}' names unknown kind '{k}'"));
            problems.AddRange(version.Minimums.Where(m => !Enum.IsDefined(m.Value)).Select(m => $"version '{version.Version}', {m.Key}: unknown severity {(int)m.Value}"));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid severity table: " + string.Join("; ", problems) + ".");
        }
    }

    public IReadOnlyList<SeverityTableVersion> Versions => _byDate;

    /// <summary>The version for a record decided on <paramref name="decisionDate"/>: the latest in force by then, else the earliest.</summary>
    public SeverityTableVersion For(DateOnly decisionDate) => _byDate.LastOrDefault(v => v.EffectiveFrom <= decisionDate) ?? _byDate[0];
}
