using System.Runtime.CompilerServices;
using CreditExchange.Storage.Bulk;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace CreditExchange.Storage;

/// <summary>Filters of an audit query; null means any. <see cref="BeforeSequence"/> is the keyset page position.</summary>
public sealed record AuditQuery(
    string? AgencyId,
    string? SubjectHash,
    DateTime? From,
    DateTime? To,
    long? BeforeSequence,
    int Limit);

/// <summary>The audit table: appends (no lock, one transaction per group), sealing in chain order, queries.</summary>
public sealed class AuditStore(CreditDbContext db)
{
    // Any constant: the key of the PostgreSQL advisory lock that lets one sealer run at a time across instances.
    private const long SealerLockKey = 0x4345_4155_4449_5431;

    private static readonly ConditionalWeakTable<IModel, TableCopy<AuditEntryEntity>> EntryCopies = [];

    /// <summary>
    /// Appends entries, and rows of their calls (entities of the model), in one short transaction (committed on
    /// return); the database assigns the entries' sequences in list order. On PostgreSQL, from
    /// <paramref name="copyFrom"/> entries on, the entries go in by binary COPY (the rows by EF Core, in the same
    /// transaction); fewer go as one batch of INSERTs.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<AuditEntryEntity> entries, IReadOnlyList<object> rows, int copyFrom, CancellationToken ct)
    {
        if (entries.Count < copyFrom || !db.IsPostgres)
        {
            db.AuditEntries.AddRange(entries);
            db.AddRange(rows);
            // What the calls delivered goes to the recipient ledger in the entries' transaction.
            await DeliveryLedger.SaveChangesWithAsync(db, entries, ct);
            return;
        }

        var copy = EntryCopies.GetValue(db.Model, model => new TableCopy<AuditEntryEntity>(model));
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await copy.CopyAsync((NpgsqlConnection)db.Database.GetDbConnection(), entries, ct);

            if (rows.Count > 0)
            {
                db.AddRange(rows);
                await db.SaveChangesAsync(ct);
            }

            await DeliveryLedger.SaveAsync(db, entries, ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Runs <paramref name="seal"/> in a transaction that, on PostgreSQL, holds an advisory lock:
    /// of several hub instances only one seals at a time. Answers false when another one is sealing.
    /// </summary>
    public async Task<bool> SealExclusivelyAsync(Func<Task> seal, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.IsPostgres)
        {
            var locked = await db.Database
                .SqlQueryRaw<bool>("SELECT pg_try_advisory_xact_lock({0}) AS \"Value\"", SealerLockKey)
                .SingleAsync(ct);
            if (!locked)
            {
                return false;
            }
        }

        await seal();
        if (db.IsPostgres)
        {
            await SaveSealsAsync(ct);
        }
        else
        {
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return true;
    }

    /// <summary>
    /// PostgreSQL: the chain columns of every entry sealed in this context, in one set-based UPDATE (one statement
    /// for a whole tick, not one per entry).
    /// </summary>
    private async Task SaveSealsAsync(CancellationToken ct)
    {
        var modified = db.ChangeTracker.Entries<AuditEntryEntity>()
            .Where(e => e.State == EntityState.Modified && e.Entity.EntryHash is not null)
            .Select(e => e.Entity)
            .ToList();
        var refused = modified.Where(e => e.ChainPosition is null).Select(e => e.Sequence).ToArray();
        if (refused.Length > 0)
        {
            // Refused by the sealer: an empty link and no position keep them out of the chain and out of its queue.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE audit_entries SET \"EntryHash\" = '\\x'::bytea WHERE \"Sequence\" = ANY({refused})", ct);
        }

        var sealedEntries = modified.Where(e => e.ChainPosition is not null).ToList();
        if (sealedEntries.Count == 0)
        {
            return;
        }

        var sequences = sealedEntries.Select(e => e.Sequence).ToArray();
        var positions = sealedEntries.Select(e => e.ChainPosition!.Value).ToArray();
        var previous = sealedEntries.Select(e => e.PreviousHash!).ToArray();
        var hashes = sealedEntries.Select(e => e.EntryHash!).ToArray();
        var segments = sealedEntries.Select(e => e.ChainSegment).ToArray();
        var versions = sealedEntries.Select(e => e.ChainVersion).ToArray();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE audit_entries AS a
            SET "ChainPosition" = u.position, "PreviousHash" = u.previous, "EntryHash" = u.hash, "ChainSegment" = u.segment, "ChainVersion" = u.version
            FROM unnest({sequences}, {positions}, {previous}, {hashes}, {segments}, {versions}) AS u(sequence, position, previous, hash, segment, version)
            WHERE a."Sequence" = u.sequence
            """,
            ct);
    }

    /// <summary>The sealed entry with the highest chain position (the chain's head), or null.</summary>
    public Task<AuditEntryEntity?> HeadAsync(CancellationToken ct) =>
        db.AuditEntries.AsNoTracking()
            .Where(e => e.ChainPosition != null)
            .OrderByDescending(e => e.ChainPosition)
            .ThenByDescending(e => e.Sequence)
            .FirstOrDefaultAsync(ct);

    /// <summary>The segments of the chain, in order.</summary>
    public Task<List<AuditSegmentEntity>> SegmentsAsync(CancellationToken ct) =>
        db.AuditSegments.AsNoTracking().OrderBy(s => s.Segment).ToListAsync(ct);

    /// <summary>The sealed entry at a chain position (the first by sequence when several claim it), or null.</summary>
    public Task<AuditEntryEntity?> AtPositionAsync(long position, CancellationToken ct) =>
        db.AuditEntries.AsNoTracking().Where(e => e.ChainPosition == position).OrderBy(e => e.Sequence).FirstOrDefaultAsync(ct);

    /// <summary>Adds a segment, saved at once (in the sealing transaction, before anything is sealed in it).</summary>
    public async Task AddSegmentAsync(AuditSegmentEntity segment, CancellationToken ct)
    {
        db.AuditSegments.Add(segment);
        await db.SaveChangesAsync(ct);
        db.Entry(segment).State = EntityState.Detached;
    }

    /// <summary>Whether the store is PostgreSQL.</summary>
    public bool IsPostgres => db.IsPostgres;

    /// <summary>What identifies this PostgreSQL database copy: the oids of the database and of the audit table, which a restore from a dump changes.</summary>
    public Task<string> PostgresMarkerAsync(CancellationToken ct) =>
        db.Database.SqlQueryRaw<string>(
            "SELECT 'pg:' || (SELECT oid FROM pg_database WHERE datname = current_database())::text || ':' || 'audit_entries'::regclass::oid::text AS \"Value\"")
            .SingleAsync(ct);

    /// <summary>The highest sequence among sealed entries, 0 when none.</summary>
    public async Task<long> MaxSealedSequenceAsync(CancellationToken ct) =>
        await db.AuditEntries.Where(e => e.ChainPosition != null).MaxAsync(e => (long?)e.Sequence, ct) ?? 0;

    /// <summary>Unsealed entries in sequence order, tracked so that sealing them is saved.</summary>
    public Task<List<AuditEntryEntity>> UnsealedAsync(int limit, CancellationToken ct) =>
        db.AuditEntries
            .Where(e => e.EntryHash == null)
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(ct);

    /// <summary>
    /// The sequences of entries other than the batch's own (<paramref name="batch"/>) that carry one of
    /// <paramref name="macs"/>: sealed ones, and unsealed ones written before the batch's first; by MAC.
    /// </summary>
    public async Task<Dictionary<byte[], long>> OtherEntriesWithMacsAsync(IReadOnlyList<byte[]> macs, long[] batch, CancellationToken ct)
    {
        var first = batch.Length == 0 ? 0 : batch.Min();
        var others = db.AuditEntries.AsNoTracking().Where(e => !batch.Contains(e.Sequence) && (e.ChainPosition != null || e.Sequence < first));
        var found = new Dictionary<byte[], long>(ByteArrayComparer.Instance);
        if (db.IsPostgres)
        {
            // One index probe per MAC, in one statement.
            foreach (var row in await others.Where(e => macs.Contains(e.Mac)).OrderBy(e => e.Sequence).Select(e => new { e.Mac, e.Sequence }).ToListAsync(ct))
            {
                found.TryAdd(row.Mac, row.Sequence);
            }

            return found;
        }

        foreach (var mac in macs)
        {
            if (await others.Where(e => e.Mac == mac).OrderBy(e => e.Sequence).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(ct) is { } sequence)
            {
                found.TryAdd(mac, sequence);
            }
        }

        return found;
    }

    /// <summary>Entries the sealer refused to seal (an empty link, no chain position), in sequence order.</summary>
    public Task<List<AuditEntryEntity>> RefusedAsync(int limit, CancellationToken ct) =>
        db.AuditEntries.AsNoTracking()
            .Where(e => e.ChainPosition == null && e.EntryHash != null)
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(ct);

    /// <summary>The lowest sequence of another entry carrying <paramref name="mac"/>, or null.</summary>
    public async Task<long?> OtherWithMacAsync(byte[] mac, long sequence, CancellationToken ct) =>
        await db.AuditEntries.AsNoTracking()
            .Where(e => e.Mac == mac && e.Sequence != sequence)
            .OrderBy(e => e.Sequence)
            .Select(e => (long?)e.Sequence)
            .FirstOrDefaultAsync(ct);

    /// <summary>Compares byte arrays by content.</summary>
    public sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }

    /// <summary>The sealed entries of a segment at positions <paramref name="from"/>..<paramref name="to"/>, in chain order.</summary>
    public Task<List<AuditEntryEntity>> SealedRangeAsync(int segment, long from, long to, CancellationToken ct) =>
        db.AuditEntries.AsNoTracking()
            .Where(e => e.ChainSegment == segment && e.ChainPosition >= from && e.ChainPosition <= to)
            .OrderBy(e => e.ChainPosition)
            .ThenBy(e => e.Sequence)
            .ToListAsync(ct);

    /// <summary>The entries (sealed or not, refused ones excluded) naming a record, in write order, at most <paramref name="limit"/>.</summary>
    public Task<List<AuditEntryEntity>> ForRecordAsync(Guid recordId, int limit, CancellationToken ct)
    {
        var id = recordId.ToString();
        return db.AuditEntries.AsNoTracking()
            .Where(e => e.RecordIds.Contains(id) && (e.EntryHash == null || e.ChainPosition != null))
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(ct);
    }

    /// <summary>A page of sealed entries in chain order, after (position, sequence).</summary>
    public Task<List<AuditEntryEntity>> SealedPageAsync(long afterPosition, long afterSequence, int limit, CancellationToken ct) =>
        db.AuditEntries.AsNoTracking()
            .Where(e => e.ChainPosition != null
                && (e.ChainPosition > afterPosition || (e.ChainPosition == afterPosition && e.Sequence > afterSequence)))
            .OrderBy(e => e.ChainPosition)
            .ThenBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(ct);

    /// <summary>How many entries are unsealed, and the time of the oldest.</summary>
    public async Task<(long Count, DateTime? Oldest)> UnsealedLagAsync(CancellationToken ct)
    {
        var unsealed = db.AuditEntries.Where(e => e.EntryHash == null);
        var count = await unsealed.LongCountAsync(ct);
        var oldest = count == 0
            ? null
            : await unsealed.OrderBy(e => e.Sequence).Select(e => (DateTime?)e.At).FirstOrDefaultAsync(ct);
        return (count, oldest);
    }

    /// <summary>Entries matching the filters, newest first.</summary>
    public Task<List<AuditEntryEntity>> ListAsync(AuditQuery q, CancellationToken ct)
    {
        var rows = db.AuditEntries.AsNoTracking();
        if (q.AgencyId is not null)
        {
            rows = rows.Where(e => e.AgencyId == q.AgencyId);
        }

        if (q.SubjectHash is not null)
        {
            var framed = ";" + q.SubjectHash + ";";
            rows = rows.Where(e => e.SubjectHashes.Contains(framed));
        }

        if (q.From is { } from)
        {
            rows = rows.Where(e => e.At >= from);
        }

        if (q.To is { } to)
        {
            rows = rows.Where(e => e.At < to);
        }

        if (q.BeforeSequence is { } before)
        {
            rows = rows.Where(e => e.Sequence < before);
        }

        return rows.OrderByDescending(e => e.Sequence).Take(q.Limit).ToListAsync(ct);
    }
}
