using CreditExchange.Domain.Errors;

namespace CreditExchange.Domain.Lifecycle;

/// <summary>
/// One legal time limit of the lifecycle, counted in working days from the day after the handling started
/// (<see cref="WorkingDayCalendar.AddWorkingDays"/>), with the text it rests on as shipped in the time-limit file.
/// </summary>
/// <param name="Rule">The rule's name (<see cref="TimeLimits.ObjectionAnswer"/> and the others).</param>
/// <param name="WorkingDays">The limit in working days.</param>
/// <param name="Source">The provision the limit rests on, in words, as the file cites it.</param>
/// <param name="ExtensionWorkingDays">How many working days one extension may add at most; 0 when the limit cannot be extended.</param>
public sealed record TimeLimit(string Rule, int WorkingDays, string Source, int ExtensionWorkingDays = 0);

/// <summary>
/// The legal time limits of the lifecycle (seed clause 二(二)7), one rule each, read from the shipped time-limit file
/// (Server Lifecycle/time-limits.json): who must handle what by when. The deadline is the last working day allowed;
/// the handling is overdue from the day after while it is still open (<see cref="Overdue"/>).
/// </summary>
public sealed class TimeLimits
{
    /// <summary>The source agency answers an objection (异议); extendable once for a complex case.</summary>
    public const string ObjectionAnswer = "objection-answer";

    /// <summary>The source agency decides a credit repair application (信用修复).</summary>
    public const string RepairDecision = "repair-decision";

    /// <summary>The complaint reviewers review a complaint (投诉).</summary>
    public const string ComplaintReview = "complaint-review";

    /// <summary>The source agency handles anew an objection or repair application reopened by an upheld complaint.</summary>
    public const string ReopenedHandling = "reopened-handling";

    /// <summary>Past recipients of a record acknowledge a change of it (change reach).</summary>
    public const string ChangeAcknowledgement = "change-acknowledgement";

    /// <summary>The rules every time-limit file must define.</summary>
    public static readonly IReadOnlyList<string> Required = [ObjectionAnswer, RepairDecision, ComplaintReview, ReopenedHandling, ChangeAcknowledgement];

    private readonly Dictionary<string, TimeLimit> _rules;

    /// <param name="version">The file's version, e.g. "time-limits-2026".</param>
    public TimeLimits(string version, IEnumerable<TimeLimit> rules)
    {
        Version = version;
        _rules = new Dictionary<string, TimeLimit>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (rule.WorkingDays is < 1 or > MaxWorkingDays || rule.ExtensionWorkingDays is < 0 or > MaxWorkingDays)
            {
                throw new ArgumentException($"Time limit '{rule.Rule}' must be 1–{MaxWorkingDays} working days, its extension 0–{MaxWorkingDays}.");
            }

            if (string.IsNullOrWhiteSpace(rule.Source))
            {
                throw new ArgumentException($"Time limit '{rule.Rule}' must cite its source.");
            }

            if (!_rules.TryAdd(rule.Rule, rule))
            {
                throw new ArgumentException($"Time limit '{rule.Rule}' is defined twice.");
            }
        }

        if (Required.FirstOrDefault(r => !_rules.ContainsKey(r)) is { } missing)
        {
            throw new ArgumentException($"Time limit '{missing}' is missing.");
        }

        if (_rules.Keys.FirstOrDefault(r => !Required.Contains(r)) is { } unknown)
        {
            throw new ArgumentException($"Time limit '{unknown}' is not a rule of the hub.");
        }
    }

    /// <summary>The longest limit the file may set, in working days.</summary>
    public const int MaxWorkingDays = 60;

    public string Version { get; }

    public TimeLimit this[string rule] => _rules[rule];

    /// <summary>The rules as shipped with the configured figures put in place of the file's (an override keeps the source and says so).</summary>
    public TimeLimits WithWorkingDays(string rule, int? workingDays) => workingDays is not { } days || days == _rules[rule].WorkingDays
        ? this
        : new TimeLimits(Version, _rules.Values.Select(r => r.Rule == rule
            ? r with { WorkingDays = days, Source = $"{r.Source} Configured by this hub: {days} working days." }
            : r));

    /// <summary>The last working day allowed when the handling started on <paramref name="start"/>.</summary>
    public DateOnly Due(string rule, DateOnly start, WorkingDayCalendar calendar) => calendar.AddWorkingDays(start, _rules[rule].WorkingDays);

    /// <summary>
    /// The source agency extends an open objection's answer deadline for a complex case (案情复杂或需进行核查): once only,
    /// to a working day after the current deadline and at most the rule's extension after it. Returns the new deadline.
    /// </summary>
    public DateOnly ExtendObjection(bool alreadyExtended, DateOnly currentDue, DateOnly newDue, WorkingDayCalendar calendar)
    {
        if (alreadyExtended)
        {
            throw new DomainException(
                ErrorKind.FailedPrecondition,
                ErrorReason.ObjectionAlreadyExtended,
                $"The objection's answer deadline was extended once already; it cannot be extended again ({_rules[ObjectionAnswer].Source}).");
        }

        var latest = calendar.AddWorkingDays(currentDue, _rules[ObjectionAnswer].ExtensionWorkingDays);
        if (newDue <= currentDue || newDue > latest || !calendar.IsWorkingDay(newDue))
        {
            throw DomainException.InvalidArgument(ErrorReason.InvalidRequest, [new FieldViolation(
                "new_answer_due_date",
                $"must be a working day after the current deadline {currentDue:yyyy-MM-dd} and not after {latest:yyyy-MM-dd} ({_rules[ObjectionAnswer].ExtensionWorkingDays} working days more)",
                FieldViolationReason.ExtensionOutOfRange)]);
        }

        return newDue;
    }
}
