using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Server.Lifecycle;

/// <summary>
/// Complaints (投诉) about how an objection or a repair application was handled: filed for the
/// subject, reviewed by the complaint reviewers (never the filer) within a working-day deadline. The rules are in
/// <see cref="ComplaintRules"/> and <see cref="RecordLifecycle"/>; filing never changes the record, an upheld complaint
/// reopens the handling it concerns where it can be handled anew (the record's next version, history row and event).
/// </summary>
public sealed class ComplaintOperations(
    LifecycleStore store,
    RecordLifecycle lifecycle,
    ComplaintRules rules,
    WorkingDayCalendar calendar,
    TimeLimits limits,
    PersonalDataProtector protector,
    CallContext call,
    ILogger<ComplaintOperations> logger)
{
    /// <summary>Files a complaint about the objection (<paramref name="objectionId"/>) or the repair application (<paramref name="repairId"/>).</summary>
    public async Task<ComplaintEntity> FileAsync(Agency caller, Guid? objectionId, Guid? repairId, ComplaintGround ground, string grounds, CancellationToken ct)
    {
        lifecycle.EnsureRepresentsSubjects(caller, "file complaints");
        var (recordId, handling) = await HandlingAsync(caller, objectionId, repairId, ct);
        var record = await store.FindRecordAsync(recordId, ct);
        if (record is null || !lifecycle.MaySee(caller, LifecycleOperations.State(record)))
        {
            throw HandlingNotFound(caller, objectionId, repairId);
        }

        var today = call.Today;
        ComplaintRules.EnsureGroundMet(ground, handling, today);
        ComplaintRules.EnsureNoneOpen(await store.ComplaintOpenAsync(objectionId, repairId, ct));
        var now = call.Now;
        var complaint = new ComplaintEntity
        {
            Id = Guid.CreateVersion7(now),
            RecordId = record.Id,
            SourceAgencyId = record.AgencyId,
            FiledBy = caller.Id,
            FiledAt = now,
            ObjectionId = objectionId,
            RepairId = repairId,
            Ground = (int)ground,
            Grounds = protector.SealText(grounds),
            ReviewDueDate = limits.Due(TimeLimits.ComplaintReview, today, calendar),
            State = (int)ComplaintState.Open,
        };
        foreach (var year in calendar.YearsWithoutArrangement(today, complaint.ReviewDueDate))
        {
            Log.ComplaintDeadlineInYearWithoutArrangement(logger, complaint.Id, complaint.ReviewDueDate, year);
        }

        store.Add(complaint);
        try
        {
            await store.SaveAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent filing about the same handling won the unique index of open complaints.
            throw ComplaintRules.AlreadyOpen();
        }

        return complaint;
    }

    /// <summary>
    /// Reviews an open complaint: upheld or rejected, with the decision in words. The complaint reviewers see every
    /// complaint, but none may review one it filed. Upholding reopens the handling where it can be handled anew, with a
    /// new due date for the source agency, in the same unit of work as the review.
    /// </summary>
    public async Task<ComplaintEntity> ReviewAsync(Agency caller, Guid complaintId, ComplaintState decision, string text, CancellationToken ct)
    {
        rules.EnsureReviewer(caller);
        var complaint = await store.FindComplaintAsync(complaintId, ct);
        var record = complaint is null ? null : await store.FindRecordAsync(complaint.RecordId, ct);
        if (complaint is null || record is null)
        {
            throw new DomainException(ErrorKind.NotFound, ErrorReason.ComplaintNotFound, $"No complaint {complaintId} is visible to agency '{caller.Id}'.");
        }

        rules.EnsureReviewer(caller, complaint.FiledBy);
        ComplaintRules.EnsureOpen((ComplaintState)complaint.State);
        var now = call.Now;
        complaint.State = (int)decision;
        complaint.ReviewedBy = caller.Id;
        complaint.ReviewedAt = now;
        complaint.Decision = protector.SealText(text);
        if (decision == ComplaintState.Upheld && await ReopenAsync(complaint, record, ct) is { } reopened)
        {
            // The record's next version: a concurrent review or change makes it ABORTED (VERSION_MISMATCH).
            await store.CommitAsync(record, record.Version, RecordChange.HandlingReopened, caller.Id, protector.SealText(reopened), now, ct);
            return complaint;
        }

        try
        {
            await store.SaveAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The state is a concurrency token: another reviewer decided first.
            throw ComplaintRules.NotOpen();
        }

        return complaint;
    }

    /// <summary>
    /// Reopens the objection or repair application the upheld complaint concerns, when it can be handled anew
    /// (<see cref="RecordLifecycle.ReopenObjection"/>, <see cref="RecordLifecycle.ReopenRepair"/>): open or pending
    /// again with a due date under rule "reopened-handling". Returns the history's reason, or null when not reopened.
    /// </summary>
    private async Task<string?> ReopenAsync(ComplaintEntity complaint, RecordEntity record, CancellationToken ct)
    {
        var state = LifecycleOperations.State(record);
        var due = limits.Due(TimeLimits.ReopenedHandling, call.Today, calendar);
        if (complaint.ObjectionId is { } objectionId)
        {
            var objection = await store.FindObjectionAsync(objectionId, ct);
            if (objection is null || RecordLifecycle.ReopenObjection(state, (ObjectionState)objection.State) is not { } next)
            {
                return null;
            }

            if (objection.State != (int)ObjectionState.Open)
            {
                // The earlier answer stays in the record's history (its version's reason).
                objection.StatusBefore = record.Status;
                objection.State = (int)ObjectionState.Open;
                objection.AnsweredBy = null;
                objection.AnsweredAt = null;
                objection.Answer = null;
            }

            objection.AnswerDueDate = due;
            objection.ReopenedByComplaintId = complaint.Id;
            record.Status = (int)next;
            complaint.ReopenedDueDate = due;
            return $"Complaint {complaint.Id} upheld: objection {objectionId} reopened; the source agency answers it anew by {due:yyyy-MM-dd}.";
        }

        var repair = await store.FindRepairAsync(complaint.RepairId!.Value, ct);
        var pending = await store.PendingRepairAsync(record.Id, ct);
        if (repair is null || !RecordLifecycle.ReopenRepair(state, (RepairState)repair.State, pending is not null && pending.Id != repair.Id))
        {
            return null;
        }

        repair.State = (int)RepairState.Pending;
        repair.DecidedBy = null;
        repair.DecidedAt = null;
        repair.DecisionReason = null;
        repair.DecisionDueDate = due;
        repair.ReopenedByComplaintId = complaint.Id;
        complaint.ReopenedDueDate = due;
        return $"Complaint {complaint.Id} upheld: repair application {repair.Id} reopened; the source agency decides it anew by {due:yyyy-MM-dd}.";
    }

    private async Task<(Guid RecordId, HandlingFacts Handling)> HandlingAsync(Agency caller, Guid? objectionId, Guid? repairId, CancellationToken ct)
    {
        if (objectionId is { } oid)
        {
            var objection = await store.FindObjectionAsync(oid, ct) ?? throw HandlingNotFound(caller, objectionId, repairId);
            return (objection.RecordId, HandlingFacts.OfObjection((ObjectionState)objection.State, objection.AnswerDueDate, Day(objection.AnsweredAt)));
        }

        var repair = await store.FindRepairAsync(repairId!.Value, ct) ?? throw HandlingNotFound(caller, objectionId, repairId);
        return (repair.RecordId, HandlingFacts.OfRepair((RepairState)repair.State, Day(repair.DecidedAt)));
    }

    private static DateOnly? Day(DateTimeOffset? at) => at is { } instant ? ChinaCalendar.DateOf(instant) : null;

    private static DomainException HandlingNotFound(Agency caller, Guid? objectionId, Guid? repairId) => objectionId is { } oid
        ? new(ErrorKind.NotFound, ErrorReason.ObjectionNotFound, $"No objection {oid} is visible to agency '{caller.Id}'.")
        : new(ErrorKind.NotFound, ErrorReason.RepairNotFound, $"No repair application {repairId} is visible to agency '{caller.Id}'.");
}
