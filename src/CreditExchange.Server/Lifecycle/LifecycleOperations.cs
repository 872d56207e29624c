using System.Diagnostics;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Limits;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using ListingRemovalGround = CreditExchange.Domain.Records.ListingRemovalGround;
using RecordStanding = CreditExchange.Domain.Records.RecordStanding;
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
    TimeLimits limits,
    PersonalDataProtector protector,
    CallContext call,
    BackgroundPacing pacing,
    ILogger<LifecycleOperations> logger)
{
    private const int SweepBatch = 500;

    /// <summary>
    /// Records per statement of the set-based sweep (PostgreSQL): small, so that no statement holds the database for
    /// long (a sweep after a restart may find tens of thousands of records due; 5,000 per statement took 1.7–3.2 s each
    /// on a million-record database and delayed every call meanwhile).
    /// </summary>
    private const int SetBasedSweepBatch = 500;

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
            AnswerDueDate = limits.Due(TimeLimits.ObjectionAnswer, call.Today, calendar),
            State = (int)ObjectionState.Open,
            StatusBefore = row.Status,
        };
        foreach (var year in calendar.YearsWithoutArrangement(call.Today, objection.AnswerDueDate))
        {
            Log.DeadlineInYearWithoutArrangement(logger, objection.Id, objection.AnswerDueDate, year);
        }

        store.Add(objection);
        row.Status = (int)next;
        await store.CommitAsync(row, expectedVersion, RecordChange.ObjectionFiled, caller.Id, protector.SealText(grounds), now, ct);
        return (row, objection);
    }

    public async Task<(RecordEntity Record, ObjectionEntity Objection, RecordContent? Content)> AnswerObjectionAsync(
        Agency caller, Guid objectionId, long expectedVersion, ObjectionState outcome, string answer, RecordContent? correctedContent, CancellationToken ct)
    {
        var (objection, row) = await FindObjectionAsync(caller, objectionId, ct);

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

    /// <summary>
    /// The source agency extends an open objection's answer deadline once for a complex case: the objection's new
    /// deadline and the record's next version (state unchanged) with its history row and feed event, which tell the
    /// subject's side.
    /// </summary>
    public async Task<(RecordEntity Record, ObjectionEntity Objection)> ExtendObjectionAsync(
        Agency caller, Guid objectionId, long expectedVersion, DateOnly newDue, string reason, CancellationToken ct)
    {
        var (objection, row) = await FindObjectionAsync(caller, objectionId, ct);

        var next = rules.ExtendObjection(caller, State(row), expectedVersion, (ObjectionState)objection.State);
        var due = limits.ExtendObjection(objection.ExtendedFromDueDate is not null, objection.AnswerDueDate, newDue, calendar);
        objection.ExtendedFromDueDate = objection.AnswerDueDate;
        objection.AnswerDueDate = due;
        objection.ExtensionReason = protector.SealText(reason);
        row.Status = (int)next;
        await store.CommitAsync(
            row, expectedVersion, RecordChange.ObjectionExtended, caller.Id,
            protector.SealText($"Objection {objection.Id}: answer deadline extended from {objection.ExtendedFromDueDate:yyyy-MM-dd} to {due:yyyy-MM-dd} for a complex case. {reason}"),
            call.Now, ct);
        return (row, objection);
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

    /// <summary>
    /// Records a review (复审/复核) or retrial of a 政务处分 against its record (<see cref="RecordLifecycle.ReviewSanction"/>):
    /// a change to a lighter kind re-decides the statutory period from the original decision date, and when that
    /// period has already ended its EFFECT_ENDED (LIFT) is written at once, in the same unit of work.
    /// </summary>
    public async Task<RecordEntity> ReviewSanctionAsync(
        Agency caller, Guid recordId, long expectedVersion, SanctionReviewOutcome outcome, Domain.Records.SanctionKind? changedTo,
        string documentNumber, DateOnly decidedOn, string reason, CancellationToken ct)
    {
        var row = await FindRecordAsync(caller, recordId, ct);
        var content = RecordContent.Parser.ParseFrom(protector.Open(row.Content));
        var current = content.SanctionKind == Contracts.Records.V1.SanctionKind.Unspecified ? (Domain.Records.SanctionKind?)null : (Domain.Records.SanctionKind)content.SanctionKind;
        var next = rules.ReviewSanction(caller, State(row), expectedVersion, current, outcome, changedTo);
        var sanctionDecided = row.Standing().DecisionDate;
        if (decidedOn < sanctionDecided)
        {
            throw DomainException.InvalidArgument(ErrorReason.InvalidRequest, [new Domain.Errors.FieldViolation(
                "decision_date", $"must not be before the sanction's decision date ({sanctionDecided:yyyy-MM-dd})", FieldViolationReason.BeforeDecision)]);
        }

        if (outcome == SanctionReviewOutcome.Changed)
        {
            content.SanctionKind = (Contracts.Records.V1.SanctionKind)changedTo!.Value;
            content.ValidityEndDate = ""; // the statutory period of the new kind
            intake.ApplyCorrection(row, caller, content);
        }

        row.Status = (int)next;
        var words = outcome switch
        {
            SanctionReviewOutcome.Changed => $"变更为 {content.SanctionKind}",
            SanctionReviewOutcome.Revoked => "撤销",
            _ => "维持",
        };
        var now = call.Now;
        await store.CommitAsync(
            row, expectedVersion, RecordChange.SanctionReviewed, caller.Id,
            protector.SealText($"复审/复核决定 {documentNumber}（{decidedOn:yyyy-MM-dd}）: {words}. {reason}"), now, ct);
        if (outcome == SanctionReviewOutcome.Changed && RecordStanding.Of(row.Standing(), call.Today).DueForEffectEndRecord(row.EffectEndRecorded))
        {
            row.EffectEndRecorded = row.EffectLastDay;
            await store.CommitAsync(row, row.Version, RecordChange.EffectEnded, RecordHistory.HubAgencyId, EffectEndReason(row.ListingLastDay, row.EffectLastDay!.Value), now, ct);
        }

        return row;
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
            DecisionDueDate = limits.Due(TimeLimits.RepairDecision, call.Today, calendar),
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
        row.EffectEndRecorded = row.EffectLastDay; // the removal's event lifts the listing: no EFFECT_ENDED after it
        row.Status = (int)next;
        await store.CommitAsync(row, expectedVersion, RecordChange.JudgmentDebtorRemoved, caller.Id, protector.SealText(reason), call.Now, ct);
        return row;
    }

    /// <summary>
    /// One page of the overdue list: open objections past their answer deadline, pending repair applications past their
    /// decision deadline and open complaints past their review deadline, earliest deadline first (objections, then
    /// applications, then complaints on the same day), at most <paramref name="pageSize"/> together, among the records
    /// the caller may see (every complaint for a complaint reviewer).
    /// </summary>
    internal async Task<OverduePage> OverduePageAsync(Agency caller, bool reviewer, OverduePosition after, int pageSize, CancellationToken ct)
    {
        var today = call.Today;
        var objections = await store.OverdueObjectionsAsync(today, caller, after.Objections, pageSize + 1, ct);
        var repairs = await store.OverdueRepairsAsync(today, caller, after.Repairs, pageSize + 1, ct);
        var complaints = await store.OverdueComplaintsAsync(today, caller, reviewer, after.Complaints, pageSize + 1, ct);
        var merged = objections.Select(o => (Due: o.AnswerDueDate, Kind: 0, o.Sequence, Item: (object)o))
            .Concat(repairs.Select(r => (Due: r.DecisionDueDate!.Value, Kind: 1, r.Sequence, Item: (object)r)))
            .Concat(complaints.Select(c => (Due: c.ReviewDueDate, Kind: 2, c.Sequence, Item: (object)c)))
            .OrderBy(x => x.Due).ThenBy(x => x.Kind).ThenBy(x => x.Sequence)
            .ToList();
        var page = merged.Take(pageSize).ToList();
        var pageObjections = page.Select(x => x.Item).OfType<ObjectionEntity>().ToList();
        var pageRepairs = page.Select(x => x.Item).OfType<RepairApplicationEntity>().ToList();
        var pageComplaints = page.Select(x => x.Item).OfType<ComplaintEntity>().ToList();
        var next = merged.Count <= pageSize ? null : new OverduePosition(
            pageObjections.Count > 0 ? (pageObjections[^1].AnswerDueDate, pageObjections[^1].Sequence) : after.Objections,
            pageComplaints.Count > 0 ? (pageComplaints[^1].ReviewDueDate, pageComplaints[^1].Sequence) : after.Complaints,
            pageRepairs.Count > 0 ? (pageRepairs[^1].DecisionDueDate!.Value, pageRepairs[^1].Sequence) : after.Repairs);
        return new OverduePage(pageObjections, pageRepairs, pageComplaints, next);
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
    /// its history row and event): the publication feed's WITHDRAWN. Expiry changes no answer — every
    /// service decides expiry from the dates itself — and closes nothing: objections and repair
    /// applications go on, since the finding still stands. Returns how many records were marked.
    /// </summary>
    public Task<int> ExpireDueAsync(CancellationToken ct) => SweepAsync(ExpirySweep, ct);

    /// <summary>
    /// Records that the period of effect ended for every standing record whose last day in force has
    /// passed and whose end is not recorded yet (EFFECT_ENDED, state unchanged, with its history row
    /// and event): the feed's LIFT for the departments that punished on the finding. Returns how many.
    /// </summary>
    public Task<int> RecordEffectEndsAsync(CancellationToken ct) => SweepAsync(EffectEndSweep, ct);

    /// <summary>
    /// What a sweep finds, decides and writes. <see cref="Due"/>, <see cref="IsDue"/> and <see cref="Apply"/> serve the
    /// entity path (any provider); <see cref="Candidates"/> and <see cref="WriteMany"/> the set-based path (PostgreSQL),
    /// which writes the same rows by one statement per batch instead of tracked entities (issue 14: ≥ 10,000 records/s).
    /// </summary>
    private sealed record Sweep(
        RecordChange Change,
        Func<DateOnly, IReadOnlyCollection<Guid>, int, CancellationToken, Task<List<RecordEntity>>> Due,
        Func<RecordEntity, DateOnly, bool> IsDue,
        Action<RecordEntity> Apply,
        Func<RecordEntity, string> Reason,
        Func<DateOnly, IReadOnlyCollection<Guid>, int, CancellationToken, Task<List<SweepCandidate>>> Candidates,
        Func<IReadOnlyList<Guid>, IReadOnlyList<long>, IReadOnlyList<string>, DateOnly, string, DateTimeOffset, CancellationToken, Task<HashSet<Guid>>> WriteMany);

    /// <summary>A record the set-based path read: whether the domain finds it due, and the reason its history row gives.</summary>
    private sealed record SweepCandidate(Guid Id, long Version, bool Due, string Reason);

    private Sweep ExpirySweep => new(
        RecordChange.Expired,
        store.DueForExpiryAsync,
        (row, today) => RecordLifecycle.IsDueForExpiry(State(row), today),
        row => row.Status = (int)RecordStatus.Expired,
        row => ExpiryReason(row.ListingLastDay, row.PolicyVersion, row.DisclosureMaximumEnd),
        async (today, skip, limit, ct) => (await store.ExpiryCandidatesAsync(today, skip, limit, ct)).ConvertAll(c => new SweepCandidate(
            c.Id, c.Version, RecordStanding.Of(c.Standing, today).DueForExpiryRecord, ExpiryReason(c.ListingLastDay, c.PolicyVersion, c.Standing.DisclosureEnd))),
        store.ExpireManyAsync);

    private Sweep EffectEndSweep => new(
        RecordChange.EffectEnded,
        store.DueForEffectEndAsync,
        (row, today) => RecordStanding.Of(row.Standing(), today).DueForEffectEndRecord(row.EffectEndRecorded),
        row => row.EffectEndRecorded = row.EffectLastDay,
        row => EffectEndReason(row.ListingLastDay, row.EffectLastDay!.Value),
        async (today, skip, limit, ct) => (await store.EffectEndCandidatesAsync(today, skip, limit, ct)).ConvertAll(c => new SweepCandidate(
            c.Id, c.Version, RecordStanding.Of(c.Standing, today).DueForEffectEndRecord(c.EffectEndRecorded), EffectEndReason(c.ListingLastDay, c.Standing.EffectLastDay!.Value))),
        store.RecordEffectEndsAsync);

    /// <summary>
    /// One sweep, in batches of one transaction each. Each record is written only while the domain still finds it
    /// due and it is still at the version read, so hubs sweeping together (or a sweep and a lifecycle change) write
    /// each change once: on the entity path a batch that meets a concurrent change is redone one record at a time;
    /// on the set-based path the statement checks version and due-ness again, and a record it left unchanged is read
    /// again and retried once. A record changed concurrently is left for the next sweep.
    /// </summary>
    private async Task<int> SweepAsync(Sweep sweep, CancellationToken ct)
    {
        var today = call.Today;
        var written = 0;
        var skipped = new HashSet<Guid>();
        if (store.SetBasedSweeps)
        {
            var retried = new HashSet<Guid>();
            while (true)
            {
                var batchStarted = Stopwatch.GetTimestamp();
                var candidates = await sweep.Candidates(today, skipped, SetBasedSweepBatch, ct);
                if (candidates.Count == 0)
                {
                    return written;
                }

                var due = candidates.Where(c => c.Due).ToList();
                skipped.UnionWith(candidates.Where(c => !c.Due).Select(c => c.Id));
                if (due.Count == 0)
                {
                    continue;
                }

                var changed = await sweep.WriteMany(
                    due.ConvertAll(c => c.Id), due.ConvertAll(c => c.Version), due.ConvertAll(c => c.Reason), today, RecordHistory.HubAgencyId, call.Now, ct);
                written += changed.Count;
                skipped.UnionWith(due.Where(c => !changed.Contains(c.Id) && !retried.Add(c.Id)).Select(c => c.Id));
                await YieldToCallsAsync(batchStarted, ct);
            }
        }

        while (true)
        {
            var batchStarted = Stopwatch.GetTimestamp();
            store.Reset();
            var due = (await sweep.Due(today, skipped, SweepBatch, ct)).Where(r => sweep.IsDue(r, today)).ToList();
            if (due.Count == 0)
            {
                return written;
            }

            due.ForEach(sweep.Apply);
            var now = call.Now;
            if (await store.CommitManyAsync(due, sweep.Change, RecordHistory.HubAgencyId, sweep.Reason, now, ct))
            {
                written += due.Count;
                await YieldToCallsAsync(batchStarted, ct);
                continue;
            }

            foreach (var id in due.Select(r => r.Id))
            {
                store.Reset();
                var row = await store.FindRecordAsync(id, ct);
                if (row is null || !sweep.IsDue(row, today))
                {
                    skipped.Add(id);
                    continue;
                }

                sweep.Apply(row);
                try
                {
                    await store.CommitAsync(row, row.Version, sweep.Change, RecordHistory.HubAgencyId, sweep.Reason(row), now, ct);
                    written++;
                }
                catch (DomainException e) when (e.Kind == ErrorKind.Aborted)
                {
                    skipped.Add(id);
                }
            }
        }
    }

    /// <summary>A sweep runs at low priority: after each batch it gives way to the calls (<see cref="BackgroundPacing"/>).</summary>
    private Task YieldToCallsAsync(long batchStarted, CancellationToken ct) =>
        pacing.AfterBatchAsync(Stopwatch.GetElapsedTime(batchStarted), ct);

    private string ExpiryReason(DateOnly? listingLastDay, string policyVersion, DateOnly disclosureMaximumEnd) => protector.SealText(listingLastDay is null
        ? $"Maximum disclosure period under policy {policyVersion} ended on {disclosureMaximumEnd:yyyy-MM-dd}; publication stopped."
        : $"Judgment-debtor listing period (法释〔2017〕7号 art. 2) ended on {disclosureMaximumEnd:yyyy-MM-dd}; publication stopped. The court removes the listing.");

    private string EffectEndReason(DateOnly? listingLastDay, DateOnly effectLastDay) => protector.SealText(listingLastDay is null
        ? $"Period of effect ended: its last day was {effectLastDay:yyyy-MM-dd}. The finding stands but is no longer in force; lift the punishments imposed on it."
        : $"Judgment-debtor listing period (法释〔2017〕7号 art. 2) ended: its last day was {effectLastDay:yyyy-MM-dd}. Lift the restrictions imposed on the listing; the court removes it.");

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
        row.Listing(),
        (RecordCategory)row.Category);

    /// <summary>The objection and its record, when the caller may see the record; else NOT_FOUND, as for an unknown objection.</summary>
    private async Task<(ObjectionEntity Objection, RecordEntity Record)> FindObjectionAsync(Agency caller, Guid objectionId, CancellationToken ct)
    {
        var objection = await store.FindObjectionAsync(objectionId, ct) ?? throw ObjectionNotFound(caller, objectionId);
        var row = await store.FindRecordAsync(objection.RecordId, ct) ?? throw ObjectionNotFound(caller, objectionId);
        return rules.MaySee(caller, State(row)) ? (objection, row) : throw ObjectionNotFound(caller, objectionId);
    }

    private static DomainException ObjectionNotFound(Agency caller, Guid id) =>
        new(ErrorKind.NotFound, ErrorReason.ObjectionNotFound, $"No objection {id} is visible to agency '{caller.Id}'.");

    private static DomainException RepairNotFound(Agency caller, Guid id) =>
        new(ErrorKind.NotFound, ErrorReason.RepairNotFound, $"No repair application {id} is visible to agency '{caller.Id}'.");
}

/// <summary>Where a page of the overdue list ended, per kind: the last (due date, filing sequence) seen; null when none of that kind was seen yet.</summary>
internal sealed record OverduePosition(
    (DateOnly DueDate, long Sequence)? Objections, (DateOnly DueDate, long Sequence)? Complaints, (DateOnly DueDate, long Sequence)? Repairs);

/// <summary>A page of the overdue list; <see cref="Next"/> is null on the last page.</summary>
internal sealed record OverduePage(
    IReadOnlyList<ObjectionEntity> Objections, IReadOnlyList<RepairApplicationEntity> Repairs, IReadOnlyList<ComplaintEntity> Complaints, OverduePosition? Next);

/// <summary>A record with everything that happened to it.</summary>
public sealed record RecordHistoryView(
    RecordEntity Record,
    IReadOnlyList<RecordVersionEntity> Versions,
    IReadOnlyList<ObjectionEntity> Objections,
    IReadOnlyList<RepairApplicationEntity> Repairs,
    IReadOnlyList<ComplaintEntity> Complaints);
