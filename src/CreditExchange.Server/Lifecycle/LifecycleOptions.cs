using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace CreditExchange.Server.Lifecycle;

/// <summary>Settings of the record lifecycle, section "Hub:Lifecycle". Validated at start-up.</summary>
public sealed class LifecycleOptions
{
    public const string Section = "Hub:Lifecycle";

    /// <summary>The longest answer period that may be configured, in working days.</summary>
    public const int MaxAnswerWorkingDays = 60;

    [Description("Working days the source agency has to answer an objection, counted from the day after filing; unset means the time-limit file's figure (5, rule \"objection-answer\").")]
    [Range(1, MaxAnswerWorkingDays)]
    public int? ObjectionAnswerWorkingDays { get; set; }

    [Description("Working days the source agency has to decide a repair application; unset means the time-limit file's figure (rule \"repair-decision\").")]
    [Range(1, MaxAnswerWorkingDays)]
    public int? RepairDecisionWorkingDays { get; set; }

    [Description("JSON file of the legal time limits with their sources, relative to the hub's binaries unless rooted.")]
    [Required]
    public string TimeLimitFile { get; set; } = "Lifecycle/time-limits.json";

    [Description("JSON file of the State Council's holiday arrangements per year, relative to the hub's binaries unless rooted. The statutory holidays are derived for every year whether or not a year is listed.")]
    [Required]
    public string HolidayCalendarFile { get; set; } = "Lifecycle/holiday-calendars.json";

    [Description("Further days off (YYYY-MM-DD) beyond the calendar file and the statutory holidays, e.g. the days off of a notice published after this hub shipped. A year listed here counts as having its arrangement.")]
    public List<DateOnly> Holidays { get; set; } = [];

    [Description("Further weekend days (YYYY-MM-DD) declared working days (调休) beyond the calendar file; never a statutory holiday.")]
    public List<DateOnly> WorkingWeekendDays { get; set; } = [];

    [Description("Agencies that act for subjects (file objections and repair applications); empty means \"drc\".")]
    public List<string> SubjectRepresentatives { get; set; } = [];

    [Description("Working days the complaint reviewers have to review a complaint (投诉), counted from the day after filing; unset means the time-limit file's figure (10, rule \"complaint-review\").")]
    [Range(1, MaxAnswerWorkingDays)]
    public int? ComplaintReviewWorkingDays { get; set; }

    [Description("Working days past recipients of a record have to acknowledge a change of it (change reach), counted from the day after the change; unset means the time-limit file's figure (3, rule \"change-acknowledgement\").")]
    [Range(1, MaxAnswerWorkingDays)]
    public int? ChangeAcknowledgementWorkingDays { get; set; }

    [Description("Agencies that review complaints; empty means \"supervision\" (the supervision commission). Whatever the list, an agency never reviews a complaint it filed itself (the agencies acting for subjects file them).")]
    public List<string> ComplaintReviewers { get; set; } = [];

    [Description("JSON file of the disclosure policies, relative to the hub's binaries unless rooted.")]
    [Required]
    public string PolicyFile { get; set; } = "Lifecycle/disclosure-policies.json";

    [Description("How often the background sweep runs between day starts: it records the ends of periods of effect (EFFECT_ENDED) and of disclosure periods (EXPIRED) that are due. It also runs at start-up and at each Beijing day's start (plus DayStartDelay), when the day's ends fall due.")]
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromHours(1);

    [Description("How long after Beijing midnight the sweep runs for the new day's ends: a margin for hosts whose clocks run slightly behind. Hubs that sweep together write each change once.")]
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DayStartDelay { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlySet<string> EffectiveSubjectRepresentatives => Or(SubjectRepresentatives, "drc");

    public IReadOnlySet<string> EffectiveComplaintReviewers => Or(ComplaintReviewers, "supervision");

    private static HashSet<string> Or(List<string> agencies, string fallback) =>
        agencies.Count == 0 ? new HashSet<string>([fallback], StringComparer.Ordinal) : agencies.ToHashSet(StringComparer.Ordinal);
}
