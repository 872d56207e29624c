using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Lifecycle;

/// <summary>
/// Complaints (投诉) about how an objection or a repair application was handled: filed for the
/// subject, reviewed by the complaint reviewers within a working-day deadline. The rules are in
/// <see cref="ComplaintRules"/>; a complaint never changes its record (no version, no event).
/// </summary>
public sealed class ComplaintOperations(
    LifecycleStore store,
    RecordLifecycle lifecycle,
    ComplaintRules rules,
    WorkingDayCalendar calendar,
    IOptions<LifecycleOptions> options,
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
            ReviewDueDate = calendar.AddWorkingDays(today, options.Value.ComplaintReviewWorkingDays),
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

    /// <summary>Reviews an open complaint: upheld or rejected, with the decision in words.</summary>
    public async Task<ComplaintEntity> ReviewAsync(Agency caller, Guid complaintId, ComplaintState decision, string text, CancellationToken ct)
    {
        rules.EnsureReviewer(caller);
        var complaint = await store.FindComplaintAsync(complaintId, ct);
        var record = complaint is null ? null : await store.FindRecordAsync(complaint.RecordId, ct);
        if (complaint is null || record is null || !lifecycle.MaySee(caller, LifecycleOperations.State(record)))
        {
            throw new DomainException(ErrorKind.NotFound, ErrorReason.ComplaintNotFound, $"No complaint {complaintId} is visible to agency '{caller.Id}'.");
        }

        ComplaintRules.EnsureOpen((ComplaintState)complaint.State);
        complaint.State = (int)decision;
        complaint.ReviewedBy = caller.Id;
        complaint.ReviewedAt = call.Now;
        complaint.Decision = protector.SealText(text);
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
