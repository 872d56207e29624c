using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>The write probe behind readiness: an upsert of this instance's row, committed.</summary>
public sealed class StorageProbeStore(CreditDbContext db)
{
    /// <summary>Writes and commits this instance's probe row; throws when the database cannot be written.</summary>
    public async Task ProbeAsync(string instance, DateTime at, CancellationToken ct)
    {
        // An explicit transaction: the commit must reach the database's log, and no retry hides a failure.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO storage_probes ("Instance", "ProbedAt") VALUES ({instance}, {at}) ON CONFLICT ("Instance") DO UPDATE SET "ProbedAt" = excluded."ProbedAt" """,
            ct);
        await tx.CommitAsync(ct);
    }
}
