using CreditExchange.Domain.Lifecycle;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>
/// Writes a record's change the one way every change is written: the record row at its new
/// version, a record_versions row with who/when/why and the content, and exactly one
/// record_events row — all in the caller's transaction. Writers take no lock for the feed: the
/// feed publisher orders committed events on the reading side (FeedStore.PublishAsync).
/// </summary>
public static class RecordHistory
{
    /// <summary>The agency id written for changes the hub makes on its own (automatic expiry).</summary>
    public const string HubAgencyId = "hub";

    /// <summary>Adds the version and its event for <paramref name="record"/>, whose Version and Status are already the new ones.</summary>
    public static void Append(CreditDbContext db, RecordEntity record, RecordChange change, string agencyId, string reason, DateTimeOffset at, long? requestSignatureId = null)
    {
        var (version, recordEvent) = Rows(record, change, agencyId, reason, at, requestSignatureId);
        db.RecordVersions.Add(version);
        db.RecordEvents.Add(recordEvent);
    }

    /// <summary>The version and the event of a change, not yet added to any context (for a bulk copy).</summary>
    public static (RecordVersionEntity Version, RecordEventEntity Event) Rows(RecordEntity record, RecordChange change, string agencyId, string reason, DateTimeOffset at, long? requestSignatureId = null) =>
    (
        new RecordVersionEntity
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
            RequestSignatureId = requestSignatureId,
        },
        new RecordEventEntity
        {
            RecordId = record.Id,
            Version = record.Version,
            EventType = (int)change,
            Status = record.Status,
            OccurredAt = at,
        });

    /// <summary>An instant as the database keeps it (UTC; PostgreSQL: microseconds), so answers match later reads.</summary>
    public static DateTimeOffset Stored(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % 10));
    }
}
