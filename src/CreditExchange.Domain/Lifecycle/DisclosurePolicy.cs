using System.Globalization;
using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Lifecycle;

/// <summary>
/// Disclosure terms of one severity tier. Periods are whole months counted from the decision date
/// (a period of N months ends on the same day of the month N months later, or the month's last day).
/// </summary>
/// <param name="PublishedByDefault">Whether a record of this tier is published unless the agency says otherwise.</param>
/// <param name="MinimumMonths">Months that must be served before credit repair may end publication (0: at once).</param>
/// <param name="MaximumMonths">Months after which publication stops automatically.</param>
public sealed record DisclosureTerms(bool PublishedByDefault, int MinimumMonths, int MaximumMonths);

/// <summary>What credit repair requires under a policy; it is decided by the body that made the finding.</summary>
public sealed record RepairTerms(bool RequiresMinimumPeriod, bool RequiresObligationsFulfilled, bool RequiresCreditCommitment);

/// <summary>
/// One version of the disclosure and repair rules (e.g. NDRC 《信用修复管理办法》, in force from
/// 2026-04-01). Policies are data: a new rule set is a new version with its own effective date,
/// never an edit of an old one, because records keep the version that fixed their periods.
/// </summary>
public sealed record DisclosurePolicy(
    string Version,
    string Title,
    DateOnly EffectiveFrom,
    IReadOnlyDictionary<RecordSeverity, DisclosureTerms> Tiers,
    RepairTerms Repair)
{
    /// <summary>The problems that make this policy unusable; empty when it is sound.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Version) || Version.Length > 64)
        {
            problems.Add("a policy needs a version of 1–64 characters");
        }

        foreach (var severity in Enum.GetValues<RecordSeverity>())
        {
            if (!Tiers.TryGetValue(severity, out var t))
            {
                problems.Add($"policy '{Version}' has no terms for severity {severity}");
            }
            else if (t.MinimumMonths < 0 || t.MaximumMonths < 1 || t.MinimumMonths > t.MaximumMonths || t.MaximumMonths > 1200)
            {
                problems.Add($"policy '{Version}', severity {severity}: need 0 ≤ minimum ≤ maximum, 1 ≤ maximum ≤ 1200 months");
            }
        }

        return problems;
    }

    /// <summary>The periods of a record of <paramref name="severity"/> decided on <paramref name="decisionDate"/>.</summary>
    public DisclosurePeriods PeriodsFor(RecordSeverity severity, DateOnly decisionDate)
    {
        var terms = Tiers[severity];
        return new DisclosurePeriods(
            Version,
            terms.PublishedByDefault,
            decisionDate.AddMonths(terms.MinimumMonths),
            decisionDate.AddMonths(terms.MaximumMonths));
    }
}

/// <summary>
/// Every policy version the hub knows, and the rule that picks one for a record: the policy in
/// force on the record's decision date (periods run from that date, under the rules of that
/// day). A decision older than every policy held gets the policy in force on the day the hub
/// accepts the record, so adding an older policy later is a data change that affects only
/// records accepted after it; records keep the version that fixed their periods.
/// </summary>
public sealed class DisclosurePolicyBook
{
    private readonly List<DisclosurePolicy> _byDate;

    public DisclosurePolicyBook(IEnumerable<DisclosurePolicy> policies)
    {
        _byDate = [.. policies.OrderBy(p => p.EffectiveFrom)];
        var problems = _byDate.SelectMany(p => p.Problems()).ToList();
        if (_byDate.Count == 0)
        {
            problems.Add("no disclosure policy is configured");
        }

        problems.AddRange(_byDate.GroupBy(p => p.Version).Where(g => g.Count() > 1).Select(g => $"policy version '{g.Key}' appears more than once"));
        problems.AddRange(_byDate.GroupBy(p => p.EffectiveFrom).Where(g => g.Count() > 1)
            .Select(g => $"policies {string.Join(", ", g.Select(p => p.Version))} take effect on the same day {g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid disclosure policies: " + string.Join("; ", problems) + ".");
        }
    }

    public IReadOnlyList<DisclosurePolicy> All => _byDate;

    public DisclosurePolicy? Find(string version) => _byDate.Find(p => p.Version == version);

    /// <summary>The policy in force on <paramref name="day"/>: the latest that took effect on or before it; null when none had.</summary>
    public DisclosurePolicy? InForceOn(DateOnly day) => _byDate.LastOrDefault(p => p.EffectiveFrom <= day);

    /// <summary>The policy that fixes the periods of a record decided on <paramref name="decisionDate"/> and accepted on <paramref name="acceptedOn"/>.</summary>
    public DisclosurePolicy Select(DateOnly decisionDate, DateOnly acceptedOn) =>
        InForceOn(decisionDate) ?? InForceOn(acceptedOn) ?? _byDate[0];

    public DisclosurePeriods Fix(RecordSeverity severity, DateOnly decisionDate, DateOnly acceptedOn) =>
        Select(decisionDate, acceptedOn).PeriodsFor(severity, decisionDate);
}
