using System.Globalization;
using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Appraisal;

// The numbers are the contract's enum numbers (creditexchange.appraisal.v1), so mapping is a cast.

public enum AppraisalType
{
    Honors = 1,
    Promotion = 2,
    AnnualExcellence = 3,
    IntegrityRating = 4,
}

public enum Decision
{
    Ineligible = 1,
    Eligible = 2,
    Priority = 3,
}

/// <summary>
/// How a record that names the candidate as a responsible person (in a role) counts in their
/// check, rather than a record about them (seed clauses 二(二)6, 三(二): responsible persons are
/// held accountable).
/// </summary>
public enum ResponsibleCounting
{
    /// <summary>Not at all: the check answers as if the record did not name them.</summary>
    Ignored = 0,

    /// <summary>Never disqualifies, but while it still counts the candidate is eligible rather than priority.</summary>
    BlocksPriority = 1,

    /// <summary>As if the record were about the candidate: it disqualifies by the rule's categories and severities.</summary>
    AsSubject = 2,
}

/// <summary>
/// Records of this category disqualify when their severity is at least <paramref name="MinimumSeverity"/> and they fall
/// within the time the rule looks at; a line <paramref name="WhileInForce"/> counts a record only while its own period of
/// effect runs (e.g. a 诫勉 during its 影响期, whatever its severity class), never by the look-back window.
/// </summary>
public sealed record DisqualifyingRule(RecordCategory Category, RecordSeverity MinimumSeverity, bool WhileInForce = false);

/// <summary>What disqualifies for one appraisal type, and over which time.</summary>
/// <param name="LookBackMonths">Records decided on or after the check date minus this many months fall within the window.</param>
/// <param name="Basis">Whether the window, the records' periods of effect, or both decide which records count.</param>
/// <param name="Responsible">Per role, how a record naming the candidate as responsible counts; a role not listed is ignored.</param>
public sealed record AppraisalRule(
    int LookBackMonths,
    IReadOnlyList<DisqualifyingRule> Disqualifying,
    AppraisalBasis Basis = AppraisalBasis.LookBackWindow,
    IReadOnlyDictionary<ResponsibleRole, ResponsibleCounting>? Responsible = null)
{
    public DateOnly LookBackStart(DateOnly checkDate) => checkDate.AddMonths(-LookBackMonths);

    /// <summary>How a record counts for the candidate: fully when it is about them, else as the rule says for the role it names them in.</summary>
    public ResponsibleCounting Counting(ResponsibleRole? namedAs) => namedAs is not { } role
        ? ResponsibleCounting.AsSubject
        : Responsible?.GetValueOrDefault(role, ResponsibleCounting.Ignored) ?? ResponsibleCounting.Ignored;

    /// <summary>Whether a record with this standing disqualifies under one of the rule's lines.</summary>
    public bool Disqualifies(RecordCategory category, RecordSeverity severity, RecordStanding standing, DateOnly lookBackStart) =>
        Disqualifying.Any(d => d.Category == category && severity >= d.MinimumSeverity
            && (d.WhileInForce ? standing.WithinOwnPeriodOfEffect : standing.MayDisqualify(Basis, lookBackStart)));
}

/// <summary>
/// One version of the appraisal rules, in force from <paramref name="EffectiveFrom"/> until the
/// next version takes effect. Versions are data: a change of policy is a new version with a
/// later effective date, never an edit of an old one, so every past check can be explained by
/// the version recorded with it.
/// </summary>
public sealed record AppraisalRuleSet(string Version, DateOnly EffectiveFrom, IReadOnlyDictionary<AppraisalType, AppraisalRule> Rules)
{
    public AppraisalRule For(AppraisalType type) =>
        Rules.TryGetValue(type, out var rule)
            ? rule
            : throw new InvalidOperationException($"Rule set {Version} has no rule for {type}; AppraisalRuleBook refuses such sets.");
}

/// <summary>Every rule set version, checked for consistency when loaded.</summary>
public sealed class AppraisalRuleBook
{
    /// <summary>Longest look-back window a rule may declare: 50 years.</summary>
    public const int MaxLookBackMonths = 600;

    private readonly List<AppraisalRuleSet> _byEffectiveDate;

    public AppraisalRuleBook(IEnumerable<AppraisalRuleSet> ruleSets)
    {
        _byEffectiveDate = ruleSets.OrderBy(s => s.EffectiveFrom).ToList();
        var problems = Problems(_byEffectiveDate).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid appraisal rule sets: " + string.Join(" ", problems), nameof(ruleSets));
        }
    }

    public IReadOnlyList<AppraisalRuleSet> RuleSets => _byEffectiveDate;

    /// <summary>The rule set in force on <paramref name="day"/>: the one with the latest effective date not after it.</summary>
    public AppraisalRuleSet? InForceOn(DateOnly day) => _byEffectiveDate.LastOrDefault(s => s.EffectiveFrom <= day);

    private static IEnumerable<string> Problems(List<AppraisalRuleSet> sets)
    {
        if (sets.Count == 0)
        {
            yield return "at least one rule set is required.";
        }

        foreach (var duplicate in sets.GroupBy(s => s.Version, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"version '{duplicate.Key}' is defined more than once.";
        }

        foreach (var duplicate in sets.GroupBy(s => s.EffectiveFrom).Where(g => g.Count() > 1))
        {
            yield return $"versions {string.Join(", ", duplicate.Select(s => s.Version))} take effect on the same day {duplicate.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.";
        }

        foreach (var set in sets)
        {
            if (string.IsNullOrWhiteSpace(set.Version) || set.Version.Length > 64)
            {
                yield return $"a version id must be 1–64 characters (got '{set.Version}').";
            }

            foreach (var type in Enum.GetValues<AppraisalType>().Where(t => !set.Rules.ContainsKey(t)))
            {
                yield return $"version '{set.Version}' has no rule for appraisal type {type}.";
            }

            foreach (var (type, rule) in set.Rules)
            {
                if (!Enum.IsDefined(type))
                {
                    yield return $"version '{set.Version}' names unknown appraisal type {(int)type}.";
                }

                if (!Enum.IsDefined(rule.Basis))
                {
                    yield return $"version '{set.Version}', {type}: unknown basis {(int)rule.Basis}.";
                }

                if (rule.LookBackMonths is < 1 or > MaxLookBackMonths)
                {
                    yield return $"version '{set.Version}', {type}: the look-back window must be 1–{MaxLookBackMonths} months.";
                }

                foreach (var (role, counting) in rule.Responsible ?? new Dictionary<ResponsibleRole, ResponsibleCounting>())
                {
                    if (!Enum.IsDefined(role) || !Enum.IsDefined(counting))
                    {
                        yield return $"version '{set.Version}', {type}: unknown responsible role or counting ({(int)role}, {(int)counting}).";
                    }
                }

                foreach (var d in rule.Disqualifying.Where(d => !Enum.IsDefined(d.Category) || !Enum.IsDefined(d.MinimumSeverity)))
                {
                    yield return $"version '{set.Version}', {type}: unknown category or severity ({(int)d.Category}, {(int)d.MinimumSeverity}).";
                }
            }
        }
    }
}
