using CreditExchange.Domain.Lifecycle;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>
/// Writes a record's change the one way every change is written: the record row at its new
/// version, a record_versions row with who/when/why and the content, and exactly one
/// record_events row — all in the caller's transaction.
/// </summary>
public static class RecordHistory
{
    /// <summary>The agency id written for changes the hub makes on its own (automatic expiry).</summary>
    public const string HubAgencyId = "hub";

    // Arbitrary, fixed: the key of the advisory lock that serialises feed writers on PostgreSQL.
    private const long FeedLockKey = 0x4345_4645_4544; // "CEFEED"

    /// <summary>Adds the version and its event for <paramref name="record"/>, whose Version and Status are already the new ones.</summary>
    public static void Append(CreditDbContext db, RecordEntity record, RecordChange change, string agencyId, string reason, DateTimeOffset at)
    {
        db.RecordVersions.Add(new RecordVersionEntity
        {
            RecordId = record.Id,
            Version = record.Version,
            Change = (int)change,
            Status = record.Status,
            AgencyId = agencyId,
            Reason = reason,
            ChangedAt = at,
            ContentHash = record.ContentHash,
            Content = record.Content,
        });
        db.RecordEvents.Add(new RecordEventEntity
        {
            RecordId = record.Id,
            Version = record.Version,
            EventType = (int)change,
            Status = record.Status,
            OccurredAt = at,
        });
    }

    /// <summary>
    /// Takes the feed lock for the rest of the transaction (PostgreSQL): event sequence numbers are
    /// then handed out in commit order, so a feed reader that has seen sequence N never later
    /// finds a smaller one committed. SQLite serialises writers anyway.
    /// </summary>
    public static async Task LockFeedAsync(CreditDbContext db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({FeedLockKey})", ct);
        }
    }

    /// <summary>An instant as the database keeps it (UTC; PostgreSQL: microseconds), so answers match later reads.</summary>
    public static DateTimeOffset Stored(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % 10));
    }
}
