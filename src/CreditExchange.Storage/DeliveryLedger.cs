using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using LedgerRow = System.Collections.Generic.KeyValuePair<(System.Guid RecordId, string Agency), (long First, System.DateTime FirstAt, long Latest, System.DateTime LatestAt)>;

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
    /// group commits upserting the same keys wait for each other rather than deadlock). A key the ledger already covers
    /// is left out before the upsert: PostgreSQL locks every row an <c>ON CONFLICT DO UPDATE</c> meets, its <c>WHERE</c>
    /// false or not, and a row lock writes the row's page and WAL, so the same records read or checked again (a hot
    /// subject checked over and over, a 10,000-candidate check of known subjects) locked and wrote up to 200,000 rows per
    /// call to change none. A covered row stays covered (the ledger only widens, and keeps every row), so leaving it out
    /// on this statement's snapshot is safe.
    /// </summary>
    public static async Task SaveAsync(CreditDbContext db, IEnumerable<AuditEntryEntity> entries, CancellationToken ct)
    {
        var rows = Rows(entries);
        if (rows.Length == 0)
        {
            return;
        }

        if (db.IsPostgres)
        {
            var ids = new Guid[rows.Length];
            var agencies = new string[rows.Length];
            var firsts = new long[rows.Length];
            var firstAts = new DateTime[rows.Length];
            var latests = new long[rows.Length];
            var latestAts = new DateTime[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                (ids[i], agencies[i]) = rows[i].Key;
                (firsts[i], firstAts[i], latests[i], latestAts[i]) = rows[i].Value;
            }

            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO record_deliveries AS d ("RecordId", "AgencyId", "FirstVersion", "FirstDeliveredAt", "LatestVersion", "LatestDeliveredAt")
                SELECT n."RecordId", n."AgencyId", n."FirstVersion", n."FirstDeliveredAt", n."LatestVersion", n."LatestDeliveredAt"
                FROM unnest({ids}, {agencies}, {firsts}, {firstAts}, {latests}, {latestAts}) WITH ORDINALITY
                    AS n("RecordId", "AgencyId", "FirstVersion", "FirstDeliveredAt", "LatestVersion", "LatestDeliveredAt", "Order")
                WHERE NOT EXISTS (
                    SELECT 1 FROM record_deliveries AS o
                    WHERE o."RecordId" = n."RecordId" AND o."AgencyId" = n."AgencyId"
                        AND o."FirstVersion" <= n."FirstVersion" AND o."LatestVersion" >= n."LatestVersion")
                ORDER BY n."Order"
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
        foreach (var ((recordId, agency), (first, firstAtUtc, latest, latestAtUtc)) in rows)
        {
            var id = recordId.ToString().ToUpperInvariant();
            var firstAt = SqliteTime(firstAtUtc);
            var latestAt = SqliteTime(latestAtUtc);
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO record_deliveries ("RecordId", "AgencyId", "FirstVersion", "FirstDeliveredAt", "LatestVersion", "LatestDeliveredAt")
                VALUES ({id}, {agency}, {first}, {firstAt}, {latest}, {latestAt})
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

    /// <summary>
    /// Per record and agency, the lowest version delivered (the earliest time among equals) and the highest (likewise),
    /// in key order. One pass over the deliveries into one table: a 10,000-candidate check delivers up to 200,000.
    /// </summary>
    private static LedgerRow[] Rows(IEnumerable<AuditEntryEntity> entries)
    {
        if (entries is IReadOnlyList<AuditEntryEntity> { Count: 1 } one)
        {
            // One entry (a call's own transaction): its deliveries are one per record already.
            var single = one[0];
            return single.AgencyId is not { } agency
                ? []
                : Sorted(single.Deliveries.Select(d => KeyValuePair.Create((d.RecordId, agency), (d.Version, single.At, d.Version, single.At))).ToArray());
        }

        var rows = new Dictionary<(Guid RecordId, string Agency), (long First, DateTime FirstAt, long Latest, DateTime LatestAt)>();
        foreach (var entry in entries)
        {
            if (entry.AgencyId is not { } agency)
            {
                continue;
            }

            rows.EnsureCapacity(rows.Count + entry.Deliveries.Count);
            foreach (var (recordId, version) in entry.Deliveries)
            {
                var key = (recordId, agency);
                if (!rows.TryGetValue(key, out var row))
                {
                    rows[key] = (version, entry.At, version, entry.At);
                    continue;
                }

                if (version < row.First || (version == row.First && entry.At < row.FirstAt))
                {
                    (row.First, row.FirstAt) = (version, entry.At);
                }

                if (version > row.Latest || (version == row.Latest && entry.At < row.LatestAt))
                {
                    (row.Latest, row.LatestAt) = (version, entry.At);
                }

                rows[key] = row;
            }
        }

        return Sorted(rows.ToArray());
    }

    /// <summary>Keys in one order: two group commits upserting the same keys wait for each other rather than deadlock.</summary>
    private static LedgerRow[] Sorted(LedgerRow[] rows)
    {
        Array.Sort(rows, static (a, b) => a.Key.RecordId.CompareTo(b.Key.RecordId) is var c and not 0 ? c : string.CompareOrdinal(a.Key.Agency, b.Key.Agency));
        return rows;
    }

    private static string SqliteTime(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
}
