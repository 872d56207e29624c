using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;

namespace CreditExchange.Domain.Lifecycle;

/// <summary>How an objection or a repair application was handled, as far as a complaint about it needs to know.</summary>
/// <param name="AnswerDueDate">An objection's answer deadline; null for a repair application (the hub sets it none).</param>
/// <param name="HandledOn">The Beijing day it was answered or decided; null while open or pending.</param>
public sealed record HandlingFacts(ObjectionState? Objection, RepairState? Repair, DateOnly? AnswerDueDate, DateOnly? HandledOn)
{
    public static HandlingFacts OfObjection(ObjectionState state, DateOnly answerDue, DateOnly? answeredOn) => new(state, null, answerDue, answeredOn);

    public static HandlingFacts OfRepair(RepairState state, DateOnly? decidedOn) => new(null, state, null, decidedOn);
}

/// <summary>
/// Complaints (投诉, seed clause 二(二)7) about how a source agency handled a subject's objection or
/// repair application: filed by the agencies acting for subjects, reviewed by the complaint reviewers
/// (the regional platform) within a working-day deadline. A complaint changes nothing of the record.
/// </summary>
/// <param name="reviewers">Agencies that review complaints (the regional credit platform, "drc").</param>
public sealed class ComplaintRules(IReadOnlySet<string> reviewers)
{
    /// <summary>
    /// The ground must fit the handling as recorded: LATE an objection answered after its deadline;
    /// UNANSWERED an objection open past its deadline or a pending application; REFUSED_WITHOUT_GROUNDS
    /// a dismissed objection or a refused application; OTHER anything.
    /// </summary>
    public static void EnsureGroundMet(ComplaintGround ground, HandlingFacts handling, DateOnly today)
    {
        var met = ground switch
        {
            ComplaintGround.Late => handling.Objection is { } state && state != ObjectionState.Open
                && handling.HandledOn is { } answered && answered > handling.AnswerDueDate,
            ComplaintGround.Unanswered => handling.Objection == ObjectionState.Open && today > handling.AnswerDueDate
                || handling.Repair == RepairState.Pending,
            ComplaintGround.RefusedWithoutGrounds => handling.Objection == ObjectionState.Dismissed || handling.Repair == RepairState.Refused,
            ComplaintGround.Other => true,
            _ => throw new ArgumentOutOfRangeException(nameof(ground), ground, "Unknown complaint ground."),
        };
        if (!met)
        {
            throw Precondition(ErrorReason.ComplaintGroundNotMet, ground switch
            {
                ComplaintGround.Late => "A complaint of late handling needs an objection answered after its answer deadline.",
                ComplaintGround.Unanswered => "A complaint of no answer needs an objection still open past its answer deadline, or a repair application still pending.",
                _ => "A complaint of refusal without grounds needs a dismissed objection or a refused repair application.",
            });
        }
    }

    public static void EnsureNoneOpen(bool anotherOpen)
    {
        if (anotherOpen)
        {
            throw AlreadyOpen();
        }
    }

    /// <summary>A complaint about the same handling awaits review (or was filed concurrently, first).</summary>
    public static DomainException AlreadyOpen() =>
        Precondition(ErrorReason.ComplaintAlreadyOpen, "A complaint about this handling awaits review; it must be reviewed first.");

    /// <summary>
    /// Only a configured complaint reviewer may review, and never a complaint it filed itself (separation of duties:
    /// the agency acting for the subject does not judge its own complaint).
    /// </summary>
    public void EnsureReviewer(Agency caller, string filedBy)
    {
        EnsureReviewer(caller);
        if (caller.Id == filedBy)
        {
            throw new DomainException(
                ErrorKind.PermissionDenied,
                ErrorReason.NotComplaintReviewer,
                $"Agency '{caller.Id}' filed this complaint and may not review it: another complaint reviewer ({string.Join(", ", reviewers.Where(r => r != caller.Id).Order())}) must.");
        }
    }

    /// <summary>Whether <paramref name="caller"/> is a complaint reviewer (who sees every complaint in the overdue list).</summary>
    public bool IsReviewer(Agency caller) => reviewers.Contains(caller.Id);

    /// <summary>Only a configured complaint reviewer may review complaints at all (checked before the complaint is looked up).</summary>
    public void EnsureReviewer(Agency caller)
    {
        if (!reviewers.Contains(caller.Id))
        {
            throw new DomainException(
                ErrorKind.PermissionDenied,
                ErrorReason.NotComplaintReviewer,
                $"Agency '{caller.Id}' may not review complaints: only the complaint reviewers ({string.Join(", ", reviewers.Order())}) may.");
        }
    }

    public static void EnsureOpen(ComplaintState state)
    {
        if (state != ComplaintState.Open)
        {
            throw NotOpen();
        }
    }

    /// <summary>The complaint was reviewed already (or concurrently, first, by another reviewer).</summary>
    public static DomainException NotOpen() => Precondition(ErrorReason.ComplaintNotOpen, "The complaint has already been reviewed.");

    private static DomainException Precondition(ErrorReason reason, string message) => new(ErrorKind.FailedPrecondition, reason, message);
}
