using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>The stored checkpoints of the audit chain: written by one hub at a time, time-stamped later, read by the verifier.</summary>
public sealed class AuditCheckpointStore(CreditDbContext db)
{
    // Any constant other than the sealer's: the PostgreSQL advisory lock that lets one hub write checkpoints at a time.
    private const long CheckpointLockKey = 0x4345_4155_4449_5443;

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction that, on PostgreSQL, holds an advisory lock (of several hubs, one
    /// writes checkpoints at a time); saves and commits. Answers false when another hub holds the lock.
    /// </summary>
    public async Task<bool> WriteExclusivelyAsync(Func<Task> write, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.IsPostgres
            && !await db.Database.SqlQueryRaw<bool>("SELECT pg_try_advisory_xact_lock({0}) AS \"Value\"", CheckpointLockKey).SingleAsync(ct))
        {
            return false;
        }

        await write();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return true;
    }

    /// <summary>The checkpoint with the highest number, or null.</summary>
    public Task<AuditCheckpointEntity?> LatestAsync(CancellationToken ct) =>
        db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Number).FirstOrDefaultAsync(ct);

    /// <summary>The checkpoint of a segment with the highest number, or null.</summary>
    public Task<AuditCheckpointEntity?> LatestOfSegmentAsync(int segment, CancellationToken ct) =>
        db.AuditCheckpoints.AsNoTracking().Where(c => c.ChainSegment == segment).OrderByDescending(c => c.Number).FirstOrDefaultAsync(ct);

    /// <summary>The first checkpoint of a segment at or beyond a position, or null.</summary>
    public Task<AuditCheckpointEntity?> CoveringAsync(int segment, long position, CancellationToken ct) =>
        db.AuditCheckpoints.AsNoTracking().Where(c => c.ChainSegment == segment && c.ChainPosition >= position).OrderBy(c => c.Number).FirstOrDefaultAsync(ct);

    /// <summary>The last checkpoint of a segment before a number, or null.</summary>
    public Task<AuditCheckpointEntity?> PreviousOfSegmentAsync(int segment, long number, CancellationToken ct) =>
        db.AuditCheckpoints.AsNoTracking().Where(c => c.ChainSegment == segment && c.Number < number).OrderByDescending(c => c.Number).FirstOrDefaultAsync(ct);

    /// <summary>Adds a checkpoint (saved by <see cref="WriteExclusivelyAsync"/>).</summary>
    public void Add(AuditCheckpointEntity checkpoint) => db.AuditCheckpoints.Add(checkpoint);

    /// <summary>Checkpoints not yet time-stamped, oldest first.</summary>
    public Task<List<AuditCheckpointEntity>> UnstampedAsync(int limit, CancellationToken ct) =>
        db.AuditCheckpoints.AsNoTracking().Where(c => c.StampStatus == CheckpointStampStatus.Pending).OrderBy(c => c.Number).Take(limit).ToListAsync(ct);

    /// <summary>How many checkpoints wait for a time-stamp.</summary>
    public Task<int> CountUnstampedAsync(CancellationToken ct) =>
        db.AuditCheckpoints.CountAsync(c => c.StampStatus == CheckpointStampStatus.Pending, ct);

    /// <summary>
    /// Stores the token of a checkpoint that has none yet; answers false when another hub stamped it first (one token
    /// per checkpoint: the later one is dropped).
    /// </summary>
    public async Task<bool> StampAsync(long number, byte[] token, DateTime stampedAt, CancellationToken ct) =>
        await db.AuditCheckpoints
            .Where(c => c.Number == number && c.StampStatus == CheckpointStampStatus.Pending)
            .ExecuteUpdateAsync(
                set => set.SetProperty(c => c.TimestampToken, token).SetProperty(c => c.StampedAt, stampedAt).SetProperty(c => c.StampStatus, CheckpointStampStatus.Stamped),
                ct) == 1;

    /// <summary>Checkpoints after <paramref name="afterNumber"/>, in number order.</summary>
    public Task<List<AuditCheckpointEntity>> PageAsync(long afterNumber, int limit, CancellationToken ct) =>
        db.AuditCheckpoints.AsNoTracking().Where(c => c.Number > afterNumber).OrderBy(c => c.Number).Take(limit).ToListAsync(ct);
}
