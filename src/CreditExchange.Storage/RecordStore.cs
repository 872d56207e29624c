using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Storage.Bulk;
using CreditExchange.Storage.Entities;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace CreditExchange.Storage;

/// <summary>
/// A record as intake prepared it (RecordIntake): competence checked, content normalised,
/// hashed and sealed, periods fixed. The store keeps it as it is.
/// </summary>
public sealed record NewRecord(
    string AgencyId,
    string SourceRecordId,
    byte[] ContentHash,
    int SubjectKind,
    string SubjectKey,
    string DivisionCode,
    int Category,
    int Severity,
    int Domain,
    int Disclosure,
    DateOnly DecisionDate,
    DateOnly? EffectLastDay,
    byte[] Content,
    DerivedColumns Derived,
    DisclosurePeriods Periods,
    DateOnly? ListingLastDay = null)
{
    /// <summary>The agency's stored signature over the request (or batch item) that submitted it; null when unsigned.</summary>
    public long? RequestSignatureId { get; init; }
}

/// <summary>What queries need of the content beyond its taxonomy: arrears, the project's code, the persons it names.</summary>
public sealed record DerivedColumns(ArrearsColumns Arrears, string? ProjectCode, IReadOnlyList<NamedPerson> Persons);

/// <summary>The arrears a record's content finds, in fen (see <see cref="RecordEntity.ArrearsFen"/>).</summary>
public readonly record struct ArrearsColumns(long Owed, long ProjectPayments, long MigrantWorkersWages, long Paid);

/// <summary>A person the content names as responsible: the keyed hash of the resident ID and the Domain ResponsibleRole.</summary>
public sealed record NamedPerson(string PersonKey, int Role);

public enum SubmitOutcome
{
    /// <summary>Stored now.</summary>
    Accepted,

    /// <summary>A retry: the same content was stored before; nothing new stored.</summary>
    Duplicate,

    /// <summary>The source id is taken by different content; nothing stored.</summary>
    Conflict,
}

public sealed record SubmitResult(SubmitOutcome Outcome, RecordEntity Record);

/// <summary>Filters of a subject query; only the records <see cref="Caller"/> may see are listed (<see cref="VisibilityQueries.SharedWith"/>).</summary>
public sealed record SubjectQuery(
    string SubjectKey,
    CreditExchange.Domain.Agencies.Agency Caller,
    IReadOnlyCollection<int> Categories,
    IReadOnlyCollection<int> Statuses,
    DateOnly? DecisionDateFrom,
    DateOnly? DecisionDateTo,
    (DateOnly DecisionDate, long Sequence)? After,
    int Limit);

/// <summary>Persistence of records: inserts what intake prepared, reads what services ask for. No rule of its own.</summary>
public sealed class RecordStore(CreditDbContext db, UnitOfWork unit)
{
    /// <summary>New records from which a batch goes in by binary COPY on PostgreSQL (<see cref="RecordCopy"/>) rather than batched INSERTs.</summary>
    public const int CopyFrom = 50;

    /// <summary>
    /// Stores a batch in one transaction with the call's audit entry, acknowledged only once committed. Items whose (agency,
    /// source id) already exists — in the database or earlier in the same batch — are stored
    /// nothing and answered with <paramref name="classify"/>'s verdict on that row.
    /// </summary>
    public async Task<IReadOnlyList<SubmitResult>> SubmitManyAsync(
        IReadOnlyList<NewRecord> items, DateTimeOffset acceptedAt, Func<RecordEntity, NewRecord, SubmitOutcome> classify, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await TrySubmitManyAsync(items, acceptedAt, classify, ct);
            }
            catch (Exception e) when (attempt < 2 && IsUniqueViolation(e))
            {
                // A concurrent submission of the same source id won the unique index between our
                // read and our insert. Nothing of ours was committed; answer again from the winner.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Whether the database refused a row on a unique index (a concurrent twin won), however EF Core wraps it.</summary>
    internal static bool IsUniqueViolation(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                or Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: SqliteUniqueViolation or SqlitePrimaryKeyViolation })
            {
                return true;
            }
        }

        return false;
    }

    // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY (https://sqlite.org/rescode.html).
    private const int SqliteUniqueViolation = 2067;
    private const int SqlitePrimaryKeyViolation = 1555;

    private async Task<IReadOnlyList<SubmitResult>> TrySubmitManyAsync(
        IReadOnlyList<NewRecord> items, DateTimeOffset acceptedAt, Func<RecordEntity, NewRecord, SubmitOutcome> classify, CancellationToken ct)
    {
        // No transaction around the read: a concurrent submission of the same source id that commits in between
        // fails our write on the unique index, and SubmitManyAsync answers again from the winner.
        var existing = await FindExistingAsync(items, ct);
        var results = new SubmitResult[items.Count];
        var added = new List<RecordEntity>();
        var signatures = new Dictionary<Guid, long>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var key = (item.AgencyId, item.SourceRecordId);
            if (existing.TryGetValue(key, out var found))
            {
                results[i] = new SubmitResult(classify(found, item), found);
                continue;
            }

            var entity = ToEntity(item, acceptedAt);
            added.Add(entity);
            if (item.RequestSignatureId is { } signature)
            {
                signatures[entity.Id] = signature;
            }

            existing[key] = entity;
            results[i] = new SubmitResult(SubmitOutcome.Accepted, entity);
        }

        if (added.Count >= CopyFrom && db.IsPostgres)
        {
            await unit.InTransactionAsync(_ => RecordCopy.InsertAsync(db, added, signatures, acceptedAt, ct), added.Select(r => r.Id), ct);
        }
        else if (added.Count > 0)
        {
            foreach (var entity in added)
            {
                db.Records.Add(entity);
                RecordHistory.Append(db, entity, RecordChange.Submitted, entity.AgencyId, "", acceptedAt, signatures.TryGetValue(entity.Id, out var signature) ? signature : null);
            }

            await unit.SaveAsync(ct);
        }

        return results;
    }

    private async Task<Dictionary<(string, string), RecordEntity>> FindExistingAsync(IReadOnlyList<NewRecord> items, CancellationToken ct)
    {
        var found = new Dictionary<(string, string), RecordEntity>();
        // One query per agency present (in practice one: a batch comes from one caller).
        foreach (var group in items.GroupBy(i => i.AgencyId))
        {
            var sourceIds = group.Select(i => i.SourceRecordId).Distinct().ToList();
            var agency = db.Records.AsNoTracking().Where(r => r.AgencyId == group.Key);
            // One id is compared with =: PostgreSQL keeps a generic plan for that statement, where it plans a list
            // (= ANY) anew on every call, which was most of a single submission's database CPU.
            List<RecordEntity> rows = sourceIds.Count == 1
                ? await FindBySourceAsync(group.Key, sourceIds[0], ct) is { } one ? [one] : []
                : await agency.Where(r => sourceIds.Contains(r.SourceRecordId)).ToListAsync(ct);
            foreach (var row in rows)
            {
                found[(row.AgencyId, row.SourceRecordId)] = row;
            }
        }

        return found;
    }

    /// <summary>The row of a newly accepted record: version 1, ACTIVE (also for tools that bulk-load what the hub would store).</summary>
    public static RecordEntity ToEntity(NewRecord item, DateTimeOffset acceptedAt)
    {
        var entity = new RecordEntity
        {
            Id = Guid.CreateVersion7(acceptedAt),
            AgencyId = item.AgencyId,
            SourceRecordId = item.SourceRecordId,
            ContentHash = item.ContentHash,
            SubjectKey = item.SubjectKey,
            DivisionCode = item.DivisionCode,
            Content = item.Content,
            Status = (int)RecordStatus.Active,
            Version = 1,
            AcceptedAt = acceptedAt,
            SubmittedContentHash = item.ContentHash,
        };
        ApplyContent(entity, item);
        return entity;
    }

    /// <summary>
    /// Sets every column that follows from a record's content and periods: on insert, and when a
    /// correction makes <paramref name="item"/> the record's new version.
    /// </summary>
    public static void ApplyContent(RecordEntity row, NewRecord item)
    {
        ApplyDerived(row, item.Derived);
        row.ContentHash = item.ContentHash;
        row.SubjectKind = item.SubjectKind;
        row.SubjectKey = item.SubjectKey;
        row.DivisionCode = item.DivisionCode;
        row.Category = item.Category;
        row.Severity = item.Severity;
        row.Domain = item.Domain;
        row.Disclosure = item.Disclosure;
        row.DecisionDate = item.DecisionDate;
        row.EffectLastDay = item.EffectLastDay;
        row.ListingLastDay = item.ListingLastDay;
        row.Content = item.Content;
        row.PolicyVersion = item.Periods.PolicyVersion;
        row.PublishedByDefault = item.Periods.PublishedByDefault;
        row.DisclosureMinimumEnd = item.Periods.MinimumEnd;
        row.DisclosureMaximumEnd = item.Periods.MaximumEnd;
    }

    /// <summary>
    /// The columns queries read that follow from the content alone (arrears, project code, named
    /// persons), without its periods: also what the start-up backfill sets on rows an earlier hub wrote.
    /// </summary>
    public static void ApplyDerived(RecordEntity row, DerivedColumns item)
    {
        row.ArrearsFen = item.Arrears.Owed;
        row.ProjectArrearsFen = item.Arrears.ProjectPayments;
        row.WageArrearsFen = item.Arrears.MigrantWorkersWages;
        row.ArrearsPaidFen = item.Arrears.Paid;
        row.ProjectCode = item.ProjectCode;
        // A new list, not an edit of the old one: EF replaces the owned rows.
        row.Persons = item.Persons.Select(p => new RecordPersonEntity { PersonKey = p.PersonKey, Role = p.Role }).ToList();
        row.DerivedColumnsVersion = RecordEntity.CurrentDerivedColumnsVersion;
    }

    public Task<RecordEntity?> FindAsync(Guid id, CancellationToken ct) =>
        FindQueries.GetValue(db.Model, _ => EF.CompileAsyncQuery((CreditDbContext c, Guid key, CancellationToken t) =>
            c.Records.AsNoTracking().FirstOrDefault(r => r.Id == key)))(db, id, ct);

    /// <summary>
    /// <see cref="FindAsync"/> compiled once per model (GetRecord's query: EF Core otherwise rebuilds, funcletizes and
    /// looks up its expression tree on every call; compiling it took a GetRecord from 492 to 331 µs of hub CPU).
    /// </summary>
    private static readonly ConditionalWeakTable<IModel, Func<CreditDbContext, Guid, CancellationToken, Task<RecordEntity?>>> FindQueries = [];

    /// <summary>An agency's record by its source id (a single submission's look-up of an earlier one), compiled once per model as <see cref="FindAsync"/>.</summary>
    private Task<RecordEntity?> FindBySourceAsync(string agencyId, string sourceRecordId, CancellationToken ct) =>
        FindBySourceQueries.GetValue(db.Model, _ => EF.CompileAsyncQuery((CreditDbContext c, string agency, string source, CancellationToken t) =>
            c.Records.AsNoTracking().FirstOrDefault(r => r.AgencyId == agency && r.SourceRecordId == source)))(db, agencyId, sourceRecordId, ct);

    private static readonly ConditionalWeakTable<IModel, Func<CreditDbContext, string, string, CancellationToken, Task<RecordEntity?>>> FindBySourceQueries = [];

    /// <summary>One page of a subject's records, newest decision first, keyset-paged.</summary>
    public async Task<IReadOnlyList<RecordEntity>> ListBySubjectAsync(SubjectQuery q, CancellationToken ct)
    {
        var rows = db.Records.AsNoTracking().Where(r => r.SubjectKey == q.SubjectKey).Where(VisibilityQueries.SharedWith(q.Caller));
        if (q.Categories.Count > 0)
        {
            rows = rows.Where(r => q.Categories.Contains(r.Category));
        }

        if (q.Statuses.Count > 0)
        {
            rows = rows.Where(r => q.Statuses.Contains(r.Status));
        }

        if (q.DecisionDateFrom is { } from)
        {
            rows = rows.Where(r => r.DecisionDate >= from);
        }

        if (q.DecisionDateTo is { } to)
        {
            rows = rows.Where(r => r.DecisionDate <= to);
        }

        return await NewestFirst(rows, q.After, q.Limit).ToListAsync(ct);
    }

    /// <summary>One page of a project's records (by exact project code), newest decision first, keyset-paged.</summary>
    public async Task<IReadOnlyList<RecordEntity>> ListByProjectAsync(
        string projectCode, CreditExchange.Domain.Agencies.Agency caller, (DateOnly DecisionDate, long Sequence)? after, int limit, CancellationToken ct) =>
        await NewestFirst(db.Records.AsNoTracking().Where(r => r.ProjectCode == projectCode).Where(VisibilityQueries.SharedWith(caller)), after, limit).ToListAsync(ct);

    /// <summary>The records that name the person (by keyed hash) as responsible, newest decision first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<RecordEntity>> ListNamingAsync(string personKey, CreditExchange.Domain.Agencies.Agency caller, int limit, CancellationToken ct) =>
        await NewestFirst(db.Records.AsNoTracking().Where(r => r.Persons.Any(p => p.PersonKey == personKey)).Where(VisibilityQueries.SharedWith(caller)), null, limit).ToListAsync(ct);

    /// <summary>
    /// The index of a credit file: the records about the subject and (for a civil servant, <paramref name="naming"/>)
    /// those naming them, with what the counts need and no content, newest decision first, each list at most
    /// <paramref name="limit"/>. The page's records are then read whole (<see cref="FindManyAsync"/>).
    /// </summary>
    public Task<(List<CreditFileIndexRow> About, List<CreditFileIndexRow> Naming)> CreditFileIndexAsync(
        string subjectKey, CreditExchange.Domain.Agencies.Agency caller, bool naming, int limit, CancellationToken ct) =>
        db.ReadWholeAsync(c => ReadCreditFileIndexAsync(subjectKey, caller, naming, limit, c), ct); // thousands of rows: streamed

    private async Task<(List<CreditFileIndexRow> About, List<CreditFileIndexRow> Naming)> ReadCreditFileIndexAsync(
        string subjectKey, CreditExchange.Domain.Agencies.Agency caller, bool naming, int limit, CancellationToken ct)
    {
        var about = await NewestFirst(db.Records.AsNoTracking().Where(r => r.SubjectKey == subjectKey).Where(VisibilityQueries.SharedWith(caller)), null, limit)
            .Select(r => new CreditFileIndexRow(r.Id, r.Sequence, r.DecisionDate, r.Status, r.EffectLastDay, r.Disclosure, r.DisclosureMaximumEnd, null))
            .ToListAsync(ct);
        var named = !naming ? [] : await NewestFirst(
                db.Records.AsNoTracking().Where(r => r.Persons.Any(p => p.PersonKey == subjectKey)).Where(VisibilityQueries.SharedWith(caller)), null, limit)
            .Select(r => new CreditFileIndexRow(
                r.Id, r.Sequence, r.DecisionDate, r.Status, r.EffectLastDay, r.Disclosure, r.DisclosureMaximumEnd,
                r.Persons.Where(p => p.PersonKey == subjectKey).Min(p => (int?)p.Role)))
            .ToListAsync(ct);
        return (about, named);
    }

    /// <summary>The records of <paramref name="ids"/>, whole (with the persons they name).</summary>
    public async Task<Dictionary<Guid, RecordEntity>> FindManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await db.Records.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);

    private static IQueryable<RecordEntity> NewestFirst(IQueryable<RecordEntity> rows, (DateOnly DecisionDate, long Sequence)? after, int limit)
    {
        if (after is var (afterDate, afterSequence))
        {
            rows = rows.Where(r => r.DecisionDate < afterDate || (r.DecisionDate == afterDate && r.Sequence < afterSequence));
        }

        return rows.OrderByDescending(r => r.DecisionDate).ThenByDescending(r => r.Sequence).Take(limit);
    }
}

/// <summary>A credit file's entry as its index reads it: ordering, standing and role, no content.</summary>
/// <param name="Role">Null when the record is about the subject; else the role (lowest) in which it names them.</param>
public sealed record CreditFileIndexRow(
    Guid Id, long Sequence, DateOnly DecisionDate, int Status, DateOnly? EffectLastDay, int Disclosure, DateOnly DisclosureMaximumEnd, int? Role)
{
    public CreditExchange.Domain.Records.StandingFacts Standing() =>
        new((CreditExchange.Domain.Records.RecordStatus)Status, DecisionDate, EffectLastDay, (CreditExchange.Domain.Records.RecordDisclosure)Disclosure, DisclosureMaximumEnd);
}
