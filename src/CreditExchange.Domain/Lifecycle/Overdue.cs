namespace CreditExchange.Domain.Lifecycle;

/// <summary>
/// When a handling is overdue: the one owner of the rule, asked by the answers (an objection's or complaint's
/// <c>overdue</c>) and by the overdue list through its query twin (Storage <c>OverdueQueries</c>), which a test checks
/// against it for every state and day. A deadline is the last working day allowed (the objection's answer, the
/// repair decision, the complaint's review, a reopened handling's; <see cref="TimeLimits"/>): the handling is overdue
/// from the day after it while it is still open.
/// </summary>
public static class Overdue
{
    /// <summary>Whether an objection in <paramref name="state"/> due by <paramref name="answerDue"/> is overdue on <paramref name="today"/>.</summary>
    public static bool Objection(ObjectionState state, DateOnly answerDue, DateOnly today) => state == ObjectionState.Open && today > answerDue;

    /// <summary>
    /// Whether a repair application in <paramref name="state"/> due by <paramref name="decisionDue"/> is overdue on
    /// <paramref name="today"/>; an application filed before the hub set repair deadlines has none and is never overdue.
    /// </summary>
    public static bool Repair(RepairState state, DateOnly? decisionDue, DateOnly today) => state == RepairState.Pending && today > decisionDue;

    /// <summary>Whether a complaint in <paramref name="state"/> due by <paramref name="reviewDue"/> is overdue on <paramref name="today"/>.</summary>
    public static bool Complaint(ComplaintState state, DateOnly reviewDue, DateOnly today) => state == ComplaintState.Open && today > reviewDue;

    /// <summary>Whether a change not yet acknowledged by a past recipient, due by <paramref name="acknowledgementDue"/>, is overdue on <paramref name="today"/>.</summary>
    public static bool ChangeAcknowledgement(DateOnly acknowledgementDue, DateOnly today) => today > acknowledgementDue;
}
