using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Microsoft.Extensions.Options;
using ListingRemovalGround = CreditExchange.Domain.Records.ListingRemovalGround;
using RecordStatus = CreditExchange.Domain.Records.RecordStatus;

namespace CreditExchange.Server.Lifecycle;

/// <summary>
/// Carries out lifecycle changes: loads the rows, lets the domain (<see cref="RecordLifecycle"/>)
/// decide, and commits the record's next version with its history row and feed event.
/// </summary>
public sealed class LifecycleOperations(
    LifecycleStore store,
    RecordLifecycle rules,
    RecordIntake intake,
    DisclosurePolicyBook policies,
    WorkingDayCalendar calendar,
    IOptions<LifecycleOptions> options,
    PersonalDataProtector protector,
    CallContext call,
    ILogger<LifecycleOperations> logger)
{
    private const int ExpiryBatch = 500;

    /// <summary>Records per statement of the set-based sweep (PostgreSQL).</summary>
    private const int SetBasedExpiryBatch = 5_000;

    public async Task<(RecordEntity Record, ObjectionEntity Objection)> FileObjectionAsync(Agency caller, Guid recordId, long expectedVersion, string grounds, CancellationToken ct)
    {
        rules.EnsureRepresentsSubjects(caller, "file objections");
        var row = await FindRecordAsync(caller, recordId, ct);
        var next = rules.FileObjection(caller, State(row), expectedVersion);
        var now = call.Now;
        var objection = new ObjectionEntity
        {
            Id = Guid.CreateVersion7(now),
            RecordId = row.Id,
            SourceAgencyId = row.AgencyId,
            FiledBy = caller.Id,
            FiledAt = now,
            Grounds = protector.SealText(grounds),
            AnswerDueDate = calendar.AddWorkingDays(call.Today, options.Value.ObjectionAnswerWorkingDays),
            State = (int)ObjectionState.Open,
            StatusBefore = row.Status,
        };
        foreach (var year in calendar.UncoveredYears(call.Today, objection.AnswerDueDate))
        {
            Log.DeadlineInUncoveredYear(logger, objection.Id, objection.AnswerDueDate, year);
        }

        store.Add(objection);
        row.Status = (int)next;
        await store.CommitAsync(row, expectedVersion, RecordChange.ObjectionFiled, caller.Id, protector.SealText(grounds), now, ct);
        return (row, objection);
    }

    public async Task<(RecordEntity Record, ObjectionEntity Objection, RecordContent? Content)> AnswerObjectionAsync(
        Agency caller, Guid objectionId, long expectedVersion, ObjectionState outcome, string answer, RecordContent? correctedContent, CancellationToken ct)
    {
        var objection = await store.FindObjectionAsync(objectionId, ct) ?? throw ObjectionNotFound(caller, objectionId);
        var row = await store.FindRecordAsync(objection.RecordId, ct) ?? throw ObjectionNotFound(caller, objectionId);
        if (!rules.MaySee(caller, State(row)))
        {
            throw ObjectionNotFound(caller, objectionId);
        }

        var next = rules.AnswerObjection(caller, State(row), expectedVersion, (ObjectionState)objection.State, (RecordStatus)objection.StatusBefore, outcome);
        var content = outcome == ObjectionState.Corrected
            ? intake.ApplyCorrection(row, caller, correctedContent ?? throw new InvalidOperationException("A correcting answer carries content (checked by RecordRules)."))
            : null;

        var now = call.Now;
        objection.State = (int)outcome;
        objection.AnsweredBy = caller.Id;
        objection.AnsweredAt = now;
        objection.Answer = protector.SealText(answer);
        if (next == RecordStatus.Revoked)
        {
            await CloseRepairAsync(row.Id, ct);
        }

        row.Status = (int)next;
        await store.CommitAsync(row, expectedVersion, RecordChange.ObjectionAnswered, caller.Id, protector.SealText(answer), now, ct);
        return (row, objection, content);
    }

    /// <summary>The source agency corrects its record; answers the record and its new content as stored (in clear).</summary>
    public async Task<(RecordEntity Record, RecordContent Content)> CorrectAsync(Agency caller, Guid recordId, long expectedVersion, RecordContent content, string reason, CancellationToken ct)
    {
        var row = await FindRecordAsync(caller, recordId, ct);
        var next = rules.Correct(caller, State(row), expectedVersion);
        var stored = intake.ApplyCorrection(row, caller, content);
        row.Status = (int)next;
        await store.CommitAsync(row, expectedVersion, RecordChange.Corrected, caller.Id, protector.SealText(reason), call.Now, ct);
        return (row, stored);
    }

    public async Task<RecordEntity> RevokeAsync(Agency caller, Guid recordId, long expectedVersion, string reason, CancellationToken ct)
    {
        var row = await FindRecordAsync(caller, recordId, ct);
        var next = rules.Revoke(caller, State(row), expectedVersion);
        await CloseRepairAsync(row.Id, ct);
        row.Status = (int)next;
        await store.CommitAsync(row, expectedVersion, RecordChange.Revoked, caller.Id, protector.SealText(reason), call.Now, ct);
        return row;
    }

    public async Task<(RecordEntity Record, RepairApplicationEntity Repair)> ApplyForRepairAsync(
        Agency caller, Guid recordId, long expectedVersion, bool obligationsFulfilled, string evidence, string commitment, CancellationToken ct)
    {
        rules.EnsureRepresentsSubjects(caller, "apply for credit repair");
        var row = await FindRecordAsync(caller, recordId, ct);
        var pending = await store.PendingRepairAsync(row.Id, ct);
        rules.ApplyForRepair(
            caller, State(row), expectedVersion, RepairTermsOf(row), call.Today,
            obligationsFulfilled, !string.IsNullOrWhiteSpace(commitment), pending is not null);
        var now = call.Now;
        var repair = new RepairApplicationEntity
        {
            Id = Guid.CreateVersion7(now),
            RecordId = row.Id,
            SourceAgencyId = row.AgencyId,
            AppliedBy = caller.Id,
            AppliedAt = now,
            ObligationsFulfilled = obligationsFulfilled,
            ObligationsEvidence = protector.SealText(evidence),
            CreditCommitment = protector.SealText(commitment),
            State = (int)RepairState.Pending,
        };
        store.Add(repair);
        await store.CommitAsync(row, expectedVersion, RecordChange.RepairApplied, caller.Id, protector.SealText($"Credit repair application {repair.Id}."), now, ct);
        return (row, repair);
    }

    public async Task<(RecordEntity Record, RepairApplicationEntity Repair)> DecideRepairAsync(
        Agency caller, Guid repairId, long expectedVersion, RepairState decision, string reason, CancellationToken ct)
    {
        var repair = await store.FindRepairAsync(repairId, ct) ?? throw RepairNotFound(caller, repairId);
        var row = await store.FindRecordAsync(repair.RecordId, ct) ?? throw RepairNotFound(caller, repairId);
        if (!rules.MaySee(caller, State(row)))
        {
            throw RepairNotFound(caller, repairId);
        }

        var next = rules.DecideRepair(caller, State(row), expectedVersion, RepairTermsOf(row), call.Today, (RepairState)repair.State, decision);
        var now = call.Now;
        repair.State = (int)decision;
        repair.DecidedBy = caller.Id;
        repair.DecidedAt = now;
        repair.DecisionReason = protector.SealText(reason);
        row.Status = (int)next;
        await store.CommitAsync(row, expectedVersion, RecordChange.RepairDecided, caller.Id, protector.SealText(reason), now, ct);
        return (row, repair);
    }

    /// <summary>
    /// The court removes a judgment-debtor listing today: the listing's effect and publication end
    /// (intake recomputes the periods with the removal), and the record is EXPIRED with its history
    /// row and event.
    /// </summary>
    public async Task<RecordEntity> RemoveListingAsync(Agency caller, Guid recordId, long expectedVersion, ListingRemovalGround ground, string reason, CancellationToken ct)
    {
        var row = await FindRecordAsync(caller, recordId, ct);
        var today = call.Today;
        var next = rules.RemoveListing(caller, State(row), expectedVersion, ground, today);
        intake.ApplyListingRemoval(row, caller, today, ground);
        row.Status = (int)next;
        await store.CommitAsync(row, expectedVersion, RecordChange.JudgmentDebtorRemoved, caller.Id, protector.SealText(reason), call.Now, ct);
        return row;
    }

    /// <summary>
    /// One page of the overdue list: open objections past their answer deadline and open complaints
    /// past their review deadline, earliest deadline first (objections before complaints on the same
    /// day), at most <paramref name="pageSize"/> together, among the records the caller may see.
    /// </summary>
    internal async Task<OverduePage> OverduePageAsync(Agency caller, OverduePosition after, int pageSize, CancellationToken ct)
    {
        var today = call.Today;
        var objections = await store.OverdueObjectionsAsync(today, caller, after.Objections, pageSize + 1, ct);
        var complaints = await store.OverdueComplaintsAsync(today, caller, after.Complaints, pageSize + 1, ct);
        var merged = objections.Select(o => (Due: o.AnswerDueDate, Kind: 0, o.Sequence, Objection: (ObjectionEntity?)o, Complaint: (ComplaintEntity?)null))
            .Concat(complaints.Select(c => (Due: c.ReviewDueDate, Kind: 1, c.Sequence, Objection: (ObjectionEntity?)null, Complaint: (ComplaintEntity?)c)))
            .OrderBy(x => x.Due).ThenBy(x => x.Kind).ThenBy(x => x.Sequence)
            .ToList();
        var page = merged.Take(pageSize).ToList();
        var pageObjections = page.Where(x => x.Objection is not null).Select(x => x.Objection!).ToList();
        var pageComplaints = page.Where(x => x.Complaint is not null).Select(x => x.Complaint!).ToList();
        var next = merged.Count <= pageSize ? null : new OverduePosition(
            pageObjections.Count > 0 ? (pageObjections[^1].AnswerDueDate, pageObjections[^1].Sequence) : after.Objections,
            pageComplaints.Count > 0 ? (pageComplaints[^1].ReviewDueDate, pageComplaints[^1].Sequence) : after.Complaints);
        return new OverduePage(pageObjections, pageComplaints, next);
    }

    public Task<int> CountOverdueObjectionsAsync(CancellationToken ct) =>
        store.CountOverdueObjectionsAsync(call.Today, ct);

    public async Task<RecordHistoryView> HistoryAsync(Agency caller, Guid recordId, CancellationToken ct)
    {
        var row = await FindRecordAsync(caller, recordId, ct);

        return new RecordHistoryView(
            row,
            await store.VersionsAsync(row.Id, ct),
            await store.ObjectionsAsync(row.Id, ct),
            await store.RepairsAsync(row.Id, ct),
            await store.ComplaintsAsync(row.Id, ct));
    }

    /// <summary>
    /// Records that publication stopped for every record whose disclosure period ended (EXPIRED, with
    /// its history row and event), in batches of one transaction each. Expiry changes no answer —
    /// every service decides expiry from the dates itself — and closes nothing: objections and
    /// repair applications go on, since the finding still stands. A batch that meets a concurrent
    /// change is redone one record at a time; a record changed concurrently is left for the next
    /// sweep. Returns how many records were marked.
    /// </summary>
    public async Task<int> ExpireDueAsync(CancellationToken ct)
    {
        if (store.SetBasedExpiry)
        {
            return await ExpireDueSetBasedAsync(ct);
        }

        var today = call.Today;
        var expired = 0;
        var skipped = new HashSet<Guid>();
        while (true)
        {
            store.Reset();
            var due = (await store.DueForExpiryAsync(today, skipped, ExpiryBatch, ct)).Where(r => RecordLifecycle.IsDueForExpiry(State(r), today)).ToList();
            if (due.Count == 0)
            {
                return expired;
            }

            due.ForEach(r => r.Status = (int)RecordStatus.Expired);
            var now = call.Now;
            if (await store.CommitManyAsync(due, RecordChange.Expired, RecordHistory.HubAgencyId, ExpiryReason, now, ct))
            {
                expired += due.Count;
                continue;
            }

            foreach (var id in due.Select(r => r.Id))
            {
                store.Reset();
                var row = await store.FindRecordAsync(id, ct);
                if (row is null || !RecordLifecycle.IsDueForExpiry(State(row), today))
                {
                    skipped.Add(id);
                    continue;
                }

                row.Status = (int)RecordStatus.Expired;
                try
                {
                    await store.CommitAsync(row, row.Version, RecordChange.Expired, RecordHistory.HubAgencyId, ExpiryReason(row), now, ct);
                    expired++;
                }
                catch (DomainException e) when (e.Kind == ErrorKind.Aborted)
                {
                    skipped.Add(id);
                }
            }
        }
    }

    /// <summary>
    /// <see cref="ExpireDueAsync"/> on PostgreSQL: the same decision (<see cref="Domain.Records.RecordStanding.DueForExpiryRecord"/> on
    /// the stored facts), the same rows (EXPIRED at the next version, its history row and event, one transaction per
    /// batch), written by one statement per batch instead of tracked entities (issue 14: ≥ 10,000 records/s). A record
    /// changed concurrently between the read and the statement is left unchanged by it (version and state are
    /// checked again in the statement), read again and retried once, then left for the next sweep.
    /// </summary>
    private async Task<int> ExpireDueSetBasedAsync(CancellationToken ct)
    {
        var today = call.Today;
        var expired = 0;
        var skipped = new HashSet<Guid>();
        var retried = new HashSet<Guid>();
        while (true)
        {
            var candidates = await store.ExpiryCandidatesAsync(today, skipped, SetBasedExpiryBatch, ct);
            if (candidates.Count == 0)
            {
                return expired;
            }

            var due = new List<ExpiryCandidate>(candidates.Count);
            foreach (var candidate in candidates)
            {
                if (Domain.Records.RecordStanding.Of(candidate.Standing, today).DueForExpiryRecord)
                {
                    due.Add(candidate);
                }
                else
                {
                    skipped.Add(candidate.Id);
                }
            }

            if (due.Count == 0)
            {
                continue;
            }

            var changed = await store.ExpireManyAsync(
                due.ConvertAll(c => c.Id),
                due.ConvertAll(c => c.Version),
                due.ConvertAll(c => ExpiryReason(c.ListingLastDay, c.PolicyVersion, c.Standing.DisclosureEnd)),
                today,
                RecordHistory.HubAgencyId,
                call.Now,
                ct);
            expired += changed.Count;
            foreach (var candidate in due)
            {
                if (!changed.Contains(candidate.Id) && !retried.Add(candidate.Id))
                {
                    skipped.Add(candidate.Id);
                }
            }
        }
    }

    private string ExpiryReason(RecordEntity row) => ExpiryReason(row.ListingLastDay, row.PolicyVersion, row.DisclosureMaximumEnd);

    private string ExpiryReason(DateOnly? listingLastDay, string policyVersion, DateOnly disclosureMaximumEnd) => protector.SealText(listingLastDay is null
        ? $"Maximum disclosure period under policy {policyVersion} ended on {disclosureMaximumEnd:yyyy-MM-dd}; publication stopped."
        : $"Judgment-debtor listing period (法释〔2017〕7号 art. 2) ended on {disclosureMaximumEnd:yyyy-MM-dd}; publication stopped. The court removes the listing.");

    internal async Task<RecordEntity> FindRecordAsync(Agency caller, Guid recordId, CancellationToken ct)
    {
        var row = await store.FindRecordAsync(recordId, ct);
        if (row is null || !rules.MaySee(caller, State(row)))
        {
            throw RecordLifecycle.NotFound(caller, recordId);
        }

        return row;
    }

    private async Task CloseRepairAsync(Guid recordId, CancellationToken ct)
    {
        if (await store.PendingRepairAsync(recordId, ct) is { } pending)
        {
            pending.State = (int)RepairState.Closed;
        }
    }

    /// <summary>The repair terms of the record's policy; none for a judgment-debtor listing (the court removes it instead).</summary>
    private RepairTerms? RepairTermsOf(RecordEntity row) => row.ListingLastDay is null ? Policy(row).Repair : null;

    private DisclosurePolicy Policy(RecordEntity row) =>
        policies.Find(row.PolicyVersion)
        ?? throw new InvalidOperationException($"Record {row.Id} names disclosure policy '{row.PolicyVersion}', which this hub does not ship.");

    internal static LifecycleRecord State(RecordEntity row) => new(
        row.Id,
        row.AgencyId,
        row.Version,
        new DisclosurePeriods(row.PolicyVersion, row.PublishedByDefault, row.DisclosureMinimumEnd, row.DisclosureMaximumEnd),
        row.Standing(),
        row.Listing());

    private static DomainException ObjectionNotFound(Agency caller, Guid id) =>
        new(ErrorKind.NotFound, ErrorReason.ObjectionNotFound, $"No objection {id} is visible to agency '{caller.Id}'.");

    private static DomainException RepairNotFound(Agency caller, Guid id) =>
        new(ErrorKind.NotFound, ErrorReason.RepairNotFound, $"No repair application {id} is visible to agency '{caller.Id}'.");
}

/// <summary>Where a page of the overdue list ended, per kind: the last (due date, filing sequence) seen; null when none of that kind was seen yet.</summary>
internal sealed record OverduePosition((DateOnly DueDate, long Sequence)? Objections, (DateOnly DueDate, long Sequence)? Complaints);

/// <summary>A page of the overdue list; <see cref="Next"/> is null on the last page.</summary>
internal sealed record OverduePage(IReadOnlyList<ObjectionEntity> Objections, IReadOnlyList<ComplaintEntity> Complaints, OverduePosition? Next);

/// <summary>A record with everything that happened to it.</summary>
public sealed record RecordHistoryView(
    RecordEntity Record,
    IReadOnlyList<RecordVersionEntity> Versions,
    IReadOnlyList<ObjectionEntity> Objections,
    IReadOnlyList<RepairApplicationEntity> Repairs,
    IReadOnlyList<ComplaintEntity> Complaints);
