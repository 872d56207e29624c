using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>
/// The recipient ledger (<see cref="RecordDeliveryEntity"/>): what each agency received of each record, saved with the
/// audit entries of the calls that delivered it, in their transaction, and what it tells of a change's reach.
/// </summary>
public static class DeliveryLedger
{
    /// <summary>Whether any of <paramref name="entries"/> delivered a record version to a named agency.</summary>
    public static bool AnyDeliveries(IEnumerable<AuditEntryEntity> entries) => entries.Any(e => e.AgencyId is not null && e.Deliveries.Count > 0);

    /// <summary>
    /// Saves the tracked changes (audit entries among them) atomically, then clears the change tracker: with what
    /// <paramref name="entries"/> delivered in the same transaction when they delivered something (the caller's
    /// transaction when one is open), else as <see cref="CreditDbContext.SaveChangesAtomicallyAsync"/> does.
    /// </summary>
    public static async Task SaveChangesWithAsync(CreditDbContext db, IReadOnlyList<AuditEntryEntity> entries, CancellationToken ct)
    {
        if (!AnyDeliveries(entries))
        {
            await db.SaveChangesAtomicallyAsync(ct);
            return;
        }

        try
        {
            var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            await using (own)
            {
                await db.SaveChangesAsync(ct);
                await SaveAsync(db, entries, ct);
                if (own is not null)
                {
                    await own.CommitAsync(ct);
                }
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Records what <paramref name="entries"/> delivered, in the current transaction of <paramref name="db"/>: per record
    /// and agency, the lowest and highest versions and when each first arrived. A delivery that tells the ledger
    /// nothing new (the same version read again) writes nothing. One statement on PostgreSQL, keys in one order (two
    /// group commits upserting the same keys wait for each other rather than deadlock).
    /// </summary>
    public static async Task SaveAsync(CreditDbContext db, IEnumerable<AuditEntryEntity> entries, CancellationToken ct)
    {
        var rows = entries
            .Where(e => e.AgencyId is not null)
            .SelectMany(e => e.Deliveries.Select(d => (d.RecordId, Agency: e.AgencyId!, d.Version, e.At)))
            .GroupBy(d => (d.RecordId, d.Agency))
            .Select(g =>
            {
                var first = g.OrderBy(d => d.Version).ThenBy(d => d.At).First();
                var latest = g.OrderByDescending(d => d.Version).ThenBy(d => d.At).First();
                return (g.Key.RecordId, g.Key.Agency, First: first.Version, FirstAt: first.At, Latest: latest.Version, LatestAt: latest.At);
            })
            .OrderBy(r => r.RecordId)
            .ThenBy(r => r.Agency, StringComparer.Ordinal)
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        if (db.IsPostgres)
        {
            var ids = rows.Select(r => r.RecordId).ToArray();
            var agencies = rows.Select(r => r.Agency).ToArray();
            var firsts = rows.Select(r => r.First).ToArray();
            var firstAts = rows.Select(r => r.FirstAt).ToArray();
            var latests = rows.Select(r => r.Latest).ToArray();
            var latestAts = rows.Select(r => r.LatestAt).ToArray();
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO record_deliveries AS d ("RecordId", "AgencyId", "FirstVersion", "FirstDeliveredAt", "LatestVersion", "LatestDeliveredAt")
                SELECT * FROM unnest({ids}, {agencies}, {firsts}, {firstAts}, {latests}, {latestAts})
                ON CONFLICT ("RecordId", "AgencyId") DO UPDATE SET
                    "FirstVersion" = LEAST(d."FirstVersion", EXCLUDED."FirstVersion"),
                    "FirstDeliveredAt" = CASE WHEN EXCLUDED."FirstVersion" < d."FirstVersion" THEN EXCLUDED."FirstDeliveredAt" ELSE d."FirstDeliveredAt" END,
                    "LatestVersion" = GREATEST(d."LatestVersion", EXCLUDED."LatestVersion"),
                    "LatestDeliveredAt" = CASE WHEN EXCLUDED."LatestVersion" > d."LatestVersion" THEN EXCLUDED."LatestDeliveredAt" ELSE d."LatestDeliveredAt" END
                WHERE EXCLUDED."FirstVersion" < d."FirstVersion" OR EXCLUDED."LatestVersion" > d."LatestVersion"
                """,
                ct);
            return;
        }

        // SQLite (one writer at a time): the same upsert row by row, with the values as EF Core stores them (a Guid
        // as upper-case text, a DateTime as ISO text).
        foreach (var r in rows)
        {
            var id = r.RecordId.ToString().ToUpperInvariant();
            var firstAt = SqliteTime(r.FirstAt);
            var latestAt = SqliteTime(r.LatestAt);
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO record_deliveries ("RecordId", "AgencyId", "FirstVersion", "FirstDeliveredAt", "LatestVersion", "LatestDeliveredAt")
                VALUES ({id}, {r.Agency}, {r.First}, {firstAt}, {r.Latest}, {latestAt})
                ON CONFLICT ("RecordId", "AgencyId") DO UPDATE SET
                    "FirstDeliveredAt" = CASE WHEN excluded."FirstVersion" < "FirstVersion" THEN excluded."FirstDeliveredAt" ELSE "FirstDeliveredAt" END,
                    "FirstVersion" = min("FirstVersion", excluded."FirstVersion"),
                    "LatestDeliveredAt" = CASE WHEN excluded."LatestVersion" > "LatestVersion" THEN excluded."LatestDeliveredAt" ELSE "LatestDeliveredAt" END,
                    "LatestVersion" = max("LatestVersion", excluded."LatestVersion")
                WHERE excluded."FirstVersion" < "FirstVersion" OR excluded."LatestVersion" > "LatestVersion"
                """,
                ct);
        }
    }

    private static string SqliteTime(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
}
