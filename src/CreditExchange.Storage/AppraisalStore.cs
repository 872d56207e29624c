using CreditExchange.Domain.Appraisal;
using CreditExchange.Domain.Records;
using CreditExchange.Storage.Entities;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using CreditExchange.Storage.Bulk;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace CreditExchange.Storage;

/// <summary>Set-based reads for appraisal checks and their audit entries.</summary>
public sealed class AppraisalStore(CreditDbContext db, UnitOfWork unit)
{
    /// <summary>
    /// Subject keys per query: a 10,000-candidate list takes ten queries whatever the provider
    /// (SQLite limits the number of parameters of one statement).
    /// </summary>
    public const int KeysPerQuery = 1000;

    /// <summary>
    /// The facts of every standing record of all <paramref name="subjectKeys"/>, by subject key: the
    /// records about them and, for civil servants (whose key is the keyed hash of their resident ID),
    /// those naming them as responsible, with the role (a record both about and naming someone counts
    /// once, as about them). All dates are read: which records count is the records' standing on the
    /// check date, decided by the domain (a record decided long ago may still be within its period of effect).
    /// </summary>
    /// <remarks>Read whole (<see cref="WholeReads"/>): a subject's thousands of records are streamed, not buffered.</remarks>
    public Task<IReadOnlyDictionary<string, List<RecordFacts>>> LoadFactsAsync(IReadOnlyCollection<string> subjectKeys, CancellationToken ct) =>
        db.ReadWholeAsync(c => ReadFactsAsync(subjectKeys, c), ct);

    private async Task<IReadOnlyDictionary<string, List<RecordFacts>>> ReadFactsAsync(IReadOnlyCollection<string> subjectKeys, CancellationToken ct)
    {
        // By subject, in lists of their own: no list of every fact of the slice (a subject with thousands of records
        // made it a large object, whose budget starts the GC's full collections).
        var about = new Dictionary<string, List<RecordFacts>>(StringComparer.Ordinal);
        var naming = new List<(string Key, RecordFacts Facts)>();
        foreach (var chunk in subjectKeys.Distinct(StringComparer.Ordinal).Chunk(KeysPerQuery))
        {
            var rows = chunk.Length == 1
                ? OneKeyFactsQueries.GetValue(db.Model, _ => CompileOneKeyFactsQuery())(db, chunk[0], Standing)
                : FactsQueries.GetValue(db.Model, _ => CompileFactsQuery())(db, chunk, Standing);
            await foreach (var r in rows.WithCancellation(ct))
            {
                var facts = new RecordFacts(
                    r.Id, r.Sequence, r.AgencyId, (RecordCategory)r.Category, (RecordSeverity)r.Severity,
                    new StandingFacts((RecordStatus)r.Status, r.DecisionDate, r.EffectLastDay, (RecordDisclosure)r.Disclosure, r.DisclosureMaximumEnd),
                    (ResponsibleRole?)r.Role,
                    r.Version);
                if (r.Role is null)
                {
                    Of(about, r.Key).Add(facts);
                }
                else
                {
                    naming.Add((r.Key, facts));
                }
            }
        }

        // A record about someone that also names them counts once, as about them; one naming them twice, in its first
        // role (principal before related). A record is about one subject only, so only the naming rows can repeat one.
        foreach (var named in naming.GroupBy(n => n.Key, StringComparer.Ordinal))
        {
            var list = Of(about, named.Key);
            list.AddRange(SubjectRows.NamingOnly(named.Select(n => n.Facts), list, f => f.Id)
                .GroupBy(f => f.Id)
                .Select(g => g.MinBy(f => f.NamedAs)!));
        }

        return about;
    }

    private static List<RecordFacts> Of(Dictionary<string, List<RecordFacts>> facts, string key)
    {
        if (!facts.TryGetValue(key, out var list))
        {
            facts[key] = list = [];
        }

        return list;
    }

    private static readonly int[] Standing = RecordStanding.StandingStatuses.Select(s => (int)s).ToArray();

    /// <summary>The compiled facts queries of each model (a compiled query keeps the executor of the first model it ran on; the tests run both providers).</summary>
    private static readonly ConditionalWeakTable<IModel, Func<CreditDbContext, string[], int[], IAsyncEnumerable<FactRow>>> FactsQueries = [];

    private static readonly ConditionalWeakTable<IModel, Func<CreditDbContext, string, int[], IAsyncEnumerable<FactRow>>> OneKeyFactsQueries = [];

    /// <summary>
    /// A record's facts as a check reads them, about its subject. On PostgreSQL every column here is in the subject index
    /// (its key or INCLUDE, CreditDbContext), so a check reads no heap page; a fact added here goes there too
    /// (CheckFactsIndexTests fails otherwise).
    /// </summary>
    private static readonly Expression<Func<RecordEntity, FactRow>> About = r => new FactRow
    {
        Key = r.SubjectKey, Role = null, Id = r.Id, Sequence = r.Sequence, Version = r.Version, AgencyId = r.AgencyId, Category = r.Category, Severity = r.Severity,
        Status = r.Status, DecisionDate = r.DecisionDate, EffectLastDay = r.EffectLastDay, Disclosure = r.Disclosure, DisclosureMaximumEnd = r.DisclosureMaximumEnd,
    };

    /// <summary>A record's facts as a check reads them, for a person it names.</summary>
    private static readonly Expression<Func<RecordEntity, RecordPersonEntity, FactRow>> Naming = (r, p) => new FactRow
    {
        Key = p.PersonKey, Role = (int?)p.Role, Id = r.Id, Sequence = r.Sequence, Version = r.Version, AgencyId = r.AgencyId, Category = r.Category, Severity = r.Severity,
        Status = r.Status, DecisionDate = r.DecisionDate, EffectLastDay = r.EffectLastDay, Disclosure = r.Disclosure, DisclosureMaximumEnd = r.DisclosureMaximumEnd,
    };

    /// <summary>
    /// One statement per chunk of keys (UNION ALL), each branch on its own index: records about the subjects, and
    /// records naming them (record_persons.PersonKey). Compiled once per model: a check does not rebuild and look up
    /// the expression tree on every call.
    /// </summary>
    private static Func<CreditDbContext, string[], int[], IAsyncEnumerable<FactRow>> CompileFactsQuery() => EF.CompileAsyncQuery(
        (CreditDbContext db, string[] keys, int[] standing) => db.Records.AsNoTracking()
            .Where(r => keys.Contains(r.SubjectKey) && standing.Contains(r.Status))
            .Select(About)
            .Concat(db.Records.AsNoTracking()
                .Where(r => standing.Contains(r.Status))
                .SelectMany(r => r.Persons.Where(p => keys.Contains(p.PersonKey)), Naming)));

    /// <summary>
    /// The same for one key (a single check), compared with <c>=</c>: PostgreSQL keeps one generic plan for this
    /// prepared statement, where it planned a key list (<c>= ANY($1)</c>) anew on every call (about 225 µs of its CPU
    /// per check, seen in <c>pg_stat_statements</c> with <c>track_planning</c>).
    /// </summary>
    private static Func<CreditDbContext, string, int[], IAsyncEnumerable<FactRow>> CompileOneKeyFactsQuery() => EF.CompileAsyncQuery(
        (CreditDbContext db, string key, int[] standing) => db.Records.AsNoTracking()
            .Where(r => r.SubjectKey == key && standing.Contains(r.Status))
            .Select(About)
            .Concat(db.Records.AsNoTracking()
                .Where(r => standing.Contains(r.Status))
                .SelectMany(r => r.Persons.Where(p => p.PersonKey == key), Naming)));

    private sealed class FactRow
    {
        public required string Key { get; init; }

        public int? Role { get; init; }

        public Guid Id { get; init; }

        public long Sequence { get; init; }

        public long Version { get; init; }

        public required string AgencyId { get; init; }

        public int Category { get; init; }

        public int Severity { get; init; }

        public int Status { get; init; }

        public DateOnly DecisionDate { get; init; }

        public DateOnly? EffectLastDay { get; init; }

        public int Disclosure { get; init; }

        public DateOnly DisclosureMaximumEnd { get; init; }
    }

    /// <summary>Candidates from which a check's rows go in by binary COPY on PostgreSQL rather than batched INSERTs.</summary>
    public const int CopyFrom = 100;

    private static readonly ConditionalWeakTable<IModel, TableCopy<AppraisalCandidateEntity>> CandidateCopies = [];

    /// <summary>
    /// Writes a check and all its candidates with the call's audit entry, in one transaction: on PostgreSQL, a large
    /// list's candidates by binary COPY inside that transaction (a 10,000-candidate check is one round trip, not forty
    /// INSERT batches); otherwise in the next audit group commit.
    /// </summary>
    public async Task RecordCheckAsync(AppraisalCheckEntity check, CancellationToken ct)
    {
        if (db.IsPostgres && check.Candidates.Count >= CopyFrom)
        {
            await RecordWithCopyAsync(check, ct);
            return;
        }

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            db.AppraisalChecks.Add(check);
            await unit.SaveAsync(ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    private async Task RecordWithCopyAsync(AppraisalCheckEntity check, CancellationToken ct)
    {
        var candidates = check.Candidates;
        check.Candidates = [];
        try
        {
            var copy = CandidateCopies.GetValue(db.Model, model => new TableCopy<AppraisalCandidateEntity>(model));
            await unit.InTransactionAsync(
                async _ =>
                {
                    db.AppraisalChecks.Add(check);
                    await db.SaveChangesAsync(ct);
                    foreach (var candidate in candidates)
                    {
                        candidate.CheckId = check.Id;
                    }

                    await copy.CopyAsync((NpgsqlConnection)db.Database.GetDbConnection(), candidates, ct);
                },
                [], // a check changes no record: the records it listed are named as delivered (AuditFacts.Deliver)
                ct);
        }
        finally
        {
            check.Candidates = candidates;
        }
    }
}
