using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using CreditExchange.Domain.Records;

namespace CreditExchange.Storage;

/// <summary>
/// Persistence of lifecycle changes. Rows are read tracked, changed by the caller under the
/// domain's rules, then committed by <see cref="CommitAsync"/>: one transaction holding the record
/// at its next version, the version row, exactly one feed event and any objection or repair rows.
/// The record's Version column is the concurrency token, so a change made against a stale
/// version never commits.
/// </summary>
public sealed class LifecycleStore(CreditDbContext db, UnitOfWork unit)
{
    public Task<RecordEntity?> FindRecordAsync(Guid id, CancellationToken ct) =>
        db.Records.FirstOrDefaultAsync(r => r.Id == id, ct);

    public Task<ObjectionEntity?> FindObjectionAsync(Guid id, CancellationToken ct) =>
        db.Objections.FirstOrDefaultAsync(o => o.Id == id, ct);

    public Task<RepairApplicationEntity?> FindRepairAsync(Guid id, CancellationToken ct) =>
        db.RepairApplications.FirstOrDefaultAsync(r => r.Id == id, ct);

    public Task<ObjectionEntity?> OpenObjectionAsync(Guid recordId, CancellationToken ct) =>
        db.Objections.FirstOrDefaultAsync(o => o.RecordId == recordId && o.State == (int)ObjectionState.Open, ct);

    public Task<RepairApplicationEntity?> PendingRepairAsync(Guid recordId, CancellationToken ct) =>
        db.RepairApplications.FirstOrDefaultAsync(r => r.RecordId == recordId && r.State == (int)RepairState.Pending, ct);

    public Task<ComplaintEntity?> FindComplaintAsync(Guid id, CancellationToken ct) =>
        db.Complaints.FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>Whether a complaint about this objection or repair application awaits review.</summary>
    public Task<bool> ComplaintOpenAsync(Guid? objectionId, Guid? repairId, CancellationToken ct) =>
        db.Complaints.AnyAsync(c => c.State == (int)ComplaintState.Open && (objectionId != null ? c.ObjectionId == objectionId : c.RepairId == repairId), ct);

    public void Add(ComplaintEntity complaint) => db.Complaints.Add(complaint);

    /// <summary>Commits tracked changes that touch no record version (complaints), with the call's audit entry: no version, no event.</summary>
    public Task SaveAsync(CancellationToken ct) => unit.SaveAsync(ct);

    public void Add(ObjectionEntity objection) => db.Objections.Add(objection);

    public void Add(RepairApplicationEntity repair) => db.RepairApplications.Add(repair);

    /// <summary>
    /// Commits <paramref name="record"/> (tracked, already changed) as version
    /// <paramref name="expectedVersion"/> + 1 with its history row and event, together with every
    /// other tracked change and the call's audit entry (<see cref="UnitOfWork"/>). Throws ABORTED "VERSION_MISMATCH" and changes nothing when another
    /// change committed first.
    /// </summary>
    public async Task CommitAsync(RecordEntity record, long expectedVersion, RecordChange change, string agencyId, string reason, DateTimeOffset at, CancellationToken ct)
    {
        record.Version = expectedVersion + 1;
        RecordHistory.Append(db, record, change, agencyId, reason, at);
        try
        {
            await unit.SaveAsync(ct); // one transaction, with the call's audit entry
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Records.AsNoTracking().Where(r => r.Id == record.Id).Select(r => (long?)r.Version).FirstOrDefaultAsync(ct);
            if (current != expectedVersion)
            {
                // Either the concurrency token or the (record, version) key of the history refused
                // a second writer: someone else's change won.
                throw RecordLifecycle.VersionMismatch(record.Id, expectedVersion, actual: null);
            }

            throw;
        }
    }

    /// <summary>
    /// Records (tracked) whose expiry from publication may be recorded: in a state the standing
    /// allows (<see cref="RecordStanding.ExpiryRecordableStatuses"/>) and whose disclosure period
    /// ended on or before <paramref name="today"/>, oldest first.
    /// </summary>
    public Task<List<RecordEntity>> DueForExpiryAsync(DateOnly today, IReadOnlyCollection<Guid> skip, int limit, CancellationToken ct) =>
        db.Records
            .Where(StandingQueries.DueForExpiryOn(today))
            .Where(r => !skip.Contains(r.Id))
            .OrderBy(r => r.DisclosureMaximumEnd)
            .ThenBy(r => r.Sequence)
            .Take(limit)
            .ToListAsync(ct);

    /// <summary>Whether <see cref="ExpireManyAsync"/> and <see cref="RecordEffectEndsAsync"/> (set-based, PostgreSQL) are available; else the sweeps commit entities.</summary>
    public bool SetBasedSweeps => db.IsPostgres;

    /// <summary>
    /// The facts the expiry sweep decides and words its reason from, for records whose expiry from publication may be
    /// recorded (as <see cref="DueForExpiryAsync"/>), without content or persons and untracked.
    /// </summary>
    public Task<List<ExpiryCandidate>> ExpiryCandidatesAsync(DateOnly today, IReadOnlyCollection<Guid> skip, int limit, CancellationToken ct) =>
        db.Records.AsNoTracking()
            .Where(StandingQueries.DueForExpiryOn(today))
            .Where(r => !skip.Contains(r.Id))
            .OrderBy(r => r.DisclosureMaximumEnd)
            .ThenBy(r => r.Sequence)
            .Take(limit)
            .Select(r => new ExpiryCandidate(
                r.Id, r.Version, new StandingFacts((RecordStatus)r.Status, r.DecisionDate, r.EffectLastDay, (RecordDisclosure)r.Disclosure, r.DisclosureMaximumEnd),
                r.PolicyVersion, r.ListingLastDay))
            .ToListAsync(ct);

    /// <summary>
    /// Records EXPIRED for many records in one statement (PostgreSQL), exactly as <see cref="CommitManyAsync"/> with
    /// <see cref="RecordChange.Expired"/> writes it: each record at its next version with status EXPIRED, its
    /// record_versions row (who, when, <paramref name="reasons"/>, the content and hash copied from the record row) and
    /// exactly one record_events row. A record is changed only when it is still at <paramref name="versions"/> and
    /// still in a state the standing lets the sweep expire (a change that committed first wins, as the concurrency
    /// token does for an entity). Answers the ids that were expired.
    /// </summary>
    public async Task<HashSet<Guid>> ExpireManyAsync(
        IReadOnlyList<Guid> ids, IReadOnlyList<long> versions, IReadOnlyList<string> reasons, DateOnly today, string agencyId, DateTimeOffset at, CancellationToken ct)
    {
        var statuses = RecordStanding.ExpiryRecordableStatuses.Select(s => (int)s).ToArray();
        var expired = (int)RecordStatus.Expired;
        var change = (int)RecordChange.Expired;
        var idArray = ids.ToArray();
        var versionArray = versions.ToArray();
        var reasonArray = reasons.ToArray();
        // One statement, so one transaction: the three writes commit together or not at all. Not composed by EF (a
        // data-modifying WITH must stay at the top level), so its guard restates StandingQueries.DueForExpiryOn: the
        // recordable statuses, and the disclosure period ended.
        var changed = await db.Database.SqlQuery<Guid>($"""
            WITH due AS (
                SELECT * FROM unnest({idArray}::uuid[], {versionArray}::bigint[], {reasonArray}::text[]) AS d(id, version, reason)
            ), changed AS (
                UPDATE records AS r SET "Status" = {expired}, "Version" = r."Version" + 1
                FROM due
                WHERE r."Id" = due.id AND r."Version" = due.version AND r."Status" = ANY ({statuses}) AND r."DisclosureMaximumEnd" <= {today}
                RETURNING r."Id", r."Version", r."Status", r."ContentHash", r."Content", due.reason
            ), versions AS (
                INSERT INTO record_versions ("RecordId", "Version", "Change", "Status", "AgencyId", "Reason", "ChangedAt", "ContentHash", "Content")
                SELECT c."Id", c."Version", {change}, c."Status", {agencyId}, c.reason, {at}, c."ContentHash", c."Content" FROM changed AS c
            ), events AS (
                INSERT INTO record_events ("RecordId", "Version", "EventType", "Status", "OccurredAt")
                SELECT c."Id", c."Version", {change}, c."Status", {at} FROM changed AS c
            )
            SELECT c."Id" AS "Value" FROM changed AS c
            """).ToListAsync(ct);
        return [.. changed];
    }

    /// <summary>
    /// Records (tracked) whose end of effect the sweep should record on <paramref name="today"/>
    /// (<see cref="StandingQueries.DueForEffectEndOn"/>), earliest last day first.
    /// </summary>
    public Task<List<RecordEntity>> DueForEffectEndAsync(DateOnly today, IReadOnlyCollection<Guid> skip, int limit, CancellationToken ct) =>
        db.Records
            .Where(StandingQueries.DueForEffectEndOn(today))
            .Where(r => !skip.Contains(r.Id))
            .OrderBy(r => r.EffectLastDay)
            .ThenBy(r => r.Sequence)
            .Take(limit)
            .ToListAsync(ct);

    /// <summary>What the effect-end sweep reads of the records <see cref="DueForEffectEndAsync"/> finds, untracked and without content.</summary>
    public Task<List<EffectEndCandidate>> EffectEndCandidatesAsync(DateOnly today, IReadOnlyCollection<Guid> skip, int limit, CancellationToken ct) =>
        db.Records.AsNoTracking()
            .Where(StandingQueries.DueForEffectEndOn(today))
            .Where(r => !skip.Contains(r.Id))
            .OrderBy(r => r.EffectLastDay)
            .ThenBy(r => r.Sequence)
            .Take(limit)
            .Select(r => new EffectEndCandidate(
                r.Id, r.Version, new StandingFacts((RecordStatus)r.Status, r.DecisionDate, r.EffectLastDay, (RecordDisclosure)r.Disclosure, r.DisclosureMaximumEnd),
                r.EffectEndRecorded, r.ListingLastDay))
            .ToListAsync(ct);

    /// <summary>
    /// Records EFFECT_ENDED for many records in one statement (PostgreSQL), exactly as <see cref="CommitManyAsync"/>
    /// with <see cref="RecordChange.EffectEnded"/> writes it: each record at its next version, state unchanged, its
    /// last day of effect noted as recorded, its record_versions row and exactly one record_events row. A record is
    /// changed only when it is still at <paramref name="versions"/> and its end is still due (the guard restates
    /// <see cref="StandingQueries.DueForEffectEndOn"/>), so two hubs sweeping the same midnight record each end once.
    /// Answers the ids that were changed.
    /// </summary>
    public async Task<HashSet<Guid>> RecordEffectEndsAsync(
        IReadOnlyList<Guid> ids, IReadOnlyList<long> versions, IReadOnlyList<string> reasons, DateOnly today, string agencyId, DateTimeOffset at, CancellationToken ct)
    {
        var statuses = RecordStanding.StandingStatuses.Select(s => (int)s).ToArray();
        var change = (int)RecordChange.EffectEnded;
        var idArray = ids.ToArray();
        var versionArray = versions.ToArray();
        var reasonArray = reasons.ToArray();
        var changed = await db.Database.SqlQuery<Guid>($"""
            WITH due AS (
                SELECT * FROM unnest({idArray}::uuid[], {versionArray}::bigint[], {reasonArray}::text[]) AS d(id, version, reason)
            ), changed AS (
                UPDATE records AS r SET "EffectEndRecorded" = r."EffectLastDay", "Version" = r."Version" + 1
                FROM due
                WHERE r."Id" = due.id AND r."Version" = due.version AND r."Status" = ANY ({statuses})
                  AND r."EffectLastDay" IS NOT NULL AND r."EffectLastDay" < {today}
                  AND (r."EffectEndRecorded" IS NULL OR r."EffectEndRecorded" <> r."EffectLastDay")
                RETURNING r."Id", r."Version", r."Status", r."ContentHash", r."Content", due.reason
            ), versions AS (
                INSERT INTO record_versions ("RecordId", "Version", "Change", "Status", "AgencyId", "Reason", "ChangedAt", "ContentHash", "Content")
                SELECT c."Id", c."Version", {change}, c."Status", {agencyId}, c.reason, {at}, c."ContentHash", c."Content" FROM changed AS c
            ), events AS (
                INSERT INTO record_events ("RecordId", "Version", "EventType", "Status", "OccurredAt")
                SELECT c."Id", c."Version", {change}, c."Status", {at} FROM changed AS c
            )
            SELECT c."Id" AS "Value" FROM changed AS c
            """).ToListAsync(ct);
        return [.. changed];
    }

    /// <summary>
    /// Commits the same change of many records (tracked, already changed) in one transaction, each at
    /// its next version with its history row and event. Returns false, committing nothing, when
    /// another change to one of them committed first.
    /// </summary>
    public async Task<bool> CommitManyAsync(IReadOnlyList<RecordEntity> records, RecordChange change, string agencyId, Func<RecordEntity, string> reason, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var record in records)
        {
            record.Version++;
            RecordHistory.Append(db, record, change, agencyId, reason(record), at);
        }

        try
        {
            await unit.SaveAsync(ct); // one transaction
            return true;
        }
        catch (DbUpdateException)
        {
            // A concurrency token or the (record, version) key of the history refused a second
            // writer; the caller falls back to one record at a time.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>One page of the objections overdue on <paramref name="today"/> on records <paramref name="caller"/> may see, earliest deadline first.</summary>
    public Task<List<ObjectionEntity>> OverdueObjectionsAsync(DateOnly today, Agency caller, (DateOnly DueDate, long Sequence)? after, int limit, CancellationToken ct)
    {
        var visible = db.Records.Where(VisibilityQueries.SharedWith(caller));
        var rows = db.Objections.AsNoTracking().Where(OverdueQueries.Objections(today)).Where(o => visible.Any(r => r.Id == o.RecordId));
        if (after is var (afterDue, afterSequence))
        {
            rows = rows.Where(o => o.AnswerDueDate > afterDue || (o.AnswerDueDate == afterDue && o.Sequence > afterSequence));
        }

        return rows.OrderBy(o => o.AnswerDueDate).ThenBy(o => o.Sequence).Take(limit).ToListAsync(ct);
    }

    /// <summary>One page of the repair applications overdue on <paramref name="today"/> on records <paramref name="caller"/> may see, earliest deadline first.</summary>
    public Task<List<RepairApplicationEntity>> OverdueRepairsAsync(DateOnly today, Agency caller, (DateOnly DueDate, long Sequence)? after, int limit, CancellationToken ct)
    {
        var visible = db.Records.Where(VisibilityQueries.SharedWith(caller));
        var rows = db.RepairApplications.AsNoTracking().Where(OverdueQueries.Repairs(today)).Where(a => visible.Any(r => r.Id == a.RecordId));
        if (after is var (afterDue, afterSequence))
        {
            rows = rows.Where(a => a.DecisionDueDate > afterDue || (a.DecisionDueDate == afterDue && a.Sequence > afterSequence));
        }

        return rows.OrderBy(a => a.DecisionDueDate).ThenBy(a => a.Sequence).Take(limit).ToListAsync(ct);
    }

    /// <summary>
    /// One page of the complaints overdue on <paramref name="today"/>, earliest deadline first: on records <paramref name="caller"/>
    /// may see, or every one when the caller is a complaint reviewer (<paramref name="reviewer"/>), who must review them.
    /// </summary>
    public Task<List<ComplaintEntity>> OverdueComplaintsAsync(DateOnly today, Agency caller, bool reviewer, (DateOnly DueDate, long Sequence)? after, int limit, CancellationToken ct)
    {
        var visible = db.Records.Where(VisibilityQueries.SharedWith(caller));
        var rows = db.Complaints.AsNoTracking().Where(OverdueQueries.Complaints(today)).Where(c => reviewer || visible.Any(r => r.Id == c.RecordId));
        if (after is var (afterDue, afterSequence))
        {
            rows = rows.Where(c => c.ReviewDueDate > afterDue || (c.ReviewDueDate == afterDue && c.Sequence > afterSequence));
        }

        return rows.OrderBy(c => c.ReviewDueDate).ThenBy(c => c.Sequence).Take(limit).ToListAsync(ct);
    }

    public Task<List<ComplaintEntity>> ComplaintsAsync(IReadOnlyCollection<Guid> recordIds, CancellationToken ct) =>
        db.Complaints.AsNoTracking().Where(c => recordIds.Contains(c.RecordId)).OrderBy(c => c.Sequence).ToListAsync(ct);

    public Task<int> CountOverdueObjectionsAsync(DateOnly today, CancellationToken ct) =>
        db.Objections.CountAsync(OverdueQueries.Objections(today), ct);

    public Task<List<RecordVersionEntity>> VersionsAsync(Guid recordId, CancellationToken ct) => VersionsAsync([recordId], ct);

    public Task<List<ObjectionEntity>> ObjectionsAsync(Guid recordId, CancellationToken ct) => ObjectionsAsync([recordId], ct);

    public Task<List<RepairApplicationEntity>> RepairsAsync(Guid recordId, CancellationToken ct) => RepairsAsync([recordId], ct);

    public Task<List<ComplaintEntity>> ComplaintsAsync(Guid recordId, CancellationToken ct) => ComplaintsAsync([recordId], ct);

    /// <summary>The versions of several records in one query (a credit file), oldest first per record.</summary>
    public Task<List<RecordVersionEntity>> VersionsAsync(IReadOnlyCollection<Guid> recordIds, CancellationToken ct) =>
        db.RecordVersions.AsNoTracking().Where(v => recordIds.Contains(v.RecordId)).OrderBy(v => v.RecordId).ThenBy(v => v.Version).ToListAsync(ct);

    public Task<List<ObjectionEntity>> ObjectionsAsync(IReadOnlyCollection<Guid> recordIds, CancellationToken ct) =>
        db.Objections.AsNoTracking().Where(o => recordIds.Contains(o.RecordId)).OrderBy(o => o.Sequence).ToListAsync(ct);

    public Task<List<RepairApplicationEntity>> RepairsAsync(IReadOnlyCollection<Guid> recordIds, CancellationToken ct) =>
        db.RepairApplications.AsNoTracking().Where(r => recordIds.Contains(r.RecordId)).OrderBy(r => r.Sequence).ToListAsync(ct);

    /// <summary>Forgets tracked rows, e.g. between the records of an expiry sweep.</summary>
    public void Reset() => db.ChangeTracker.Clear();

    /// <summary>
    /// Brings records accepted before the lifecycle existed up to date, in batches: their periods
    /// fixed by <paramref name="fix"/>, their submitted hash, and their version 1 with its feed
    /// event (written with the acceptance time, in acceptance order). Returns how many.
    /// </summary>
    public async Task<int> BackfillLegacyRecordsAsync(Func<RecordEntity, DisclosurePeriods> fix, CancellationToken ct)
    {
        var done = 0;
        while (true)
        {
            db.ChangeTracker.Clear();
            var rows = await db.Records.Where(r => r.PolicyVersion == "").OrderBy(r => r.Sequence).Take(500).ToListAsync(ct);
            if (rows.Count == 0)
            {
                return done;
            }

            var ids = rows.Select(r => r.Id).ToList();
            var versioned = (await db.RecordVersions.Where(v => ids.Contains(v.RecordId)).Select(v => v.RecordId).Distinct().ToListAsync(ct)).ToHashSet();
            foreach (var row in rows)
            {
                var periods = fix(row);
                row.PolicyVersion = periods.PolicyVersion;
                row.PublishedByDefault = periods.PublishedByDefault;
                row.DisclosureMinimumEnd = periods.MinimumEnd;
                row.DisclosureMaximumEnd = periods.MaximumEnd;
                row.SubmittedContentHash ??= row.ContentHash;
                if (!versioned.Contains(row.Id))
                {
                    RecordHistory.Append(db, row, RecordChange.Submitted, row.AgencyId, "", row.AcceptedAt);
                }
            }

            await db.SaveChangesAsync(ct); // one transaction
            done += rows.Count;
        }
    }

    /// <summary>
    /// Records the shipped policies: adds the versions not yet stored and refuses a stored version
    /// whose terms differ (a policy is changed by adding a version, never by editing one).
    /// </summary>
    public async Task SeedPoliciesAsync(IEnumerable<DisclosurePolicyEntity> policies, CancellationToken ct)
    {
        var stored = await db.DisclosurePolicies.AsNoTracking().ToDictionaryAsync(p => p.Version, ct);
        foreach (var policy in policies)
        {
            if (!stored.TryGetValue(policy.Version, out var row))
            {
                db.DisclosurePolicies.Add(policy);
            }
            else if (row.Terms != policy.Terms || row.EffectiveFrom != policy.EffectiveFrom)
            {
                throw new InvalidOperationException(
                    $"Disclosure policy '{policy.Version}' is already stored with different terms. Records keep the version that fixed their periods: ship changed rules as a new version.");
            }
        }

        await db.SaveChangesAsync(ct);
    }
}

/// <summary>What the expiry sweep reads of a due record: its id and version, its standing facts, what its reason names.</summary>
public sealed record ExpiryCandidate(Guid Id, long Version, StandingFacts Standing, string PolicyVersion, DateOnly? ListingLastDay);

/// <summary>What the effect-end sweep reads of a due record: its id and version, its standing facts, the end already recorded, what its reason names.</summary>
public sealed record EffectEndCandidate(Guid Id, long Version, StandingFacts Standing, DateOnly? EffectEndRecorded, DateOnly? ListingLastDay);
