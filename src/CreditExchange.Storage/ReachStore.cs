using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>A change of a record: the event of one version, and the record's region.</summary>
public sealed record ChangeRow(Guid RecordId, long Version, long Sequence, int EventType, DateTimeOffset OccurredAt, string ChangedBy, string DivisionCode);

/// <summary>A past recipient of a change, with the first time one of its subscriptions reached the change's sequence (null: not yet).</summary>
public sealed record RecipientRow(string AgencyId, long FirstVersion, DateTime FirstDeliveredAt, long LatestVersion, DateTime LatestDeliveredAt, DateTime? AcknowledgedAt);

/// <summary>A past recipient that has not acknowledged a change.</summary>
public sealed record UnacknowledgedRow(string AgencyId, Guid RecordId, long Version, long Sequence, int EventType, DateTimeOffset OccurredAt, string DivisionCode, bool Delivered);

/// <summary>
/// What the recipient ledger (<see cref="DeliveryLedger"/>) and the acknowledgement history say of a change's reach.
/// The conditions are those of <c>Domain.Feed.ChangeReach</c>: a past recipient first received an earlier version
/// (<c>FirstVersion &lt; Version</c>), is not the agency that made the change, and acknowledged it once a subscription
/// reached its feed sequence.
/// </summary>
public sealed class ReachStore(CreditDbContext db)
{
    /// <summary>Per record of <paramref name="recordIds"/> the agency received, the first version it received.</summary>
    public async Task<IReadOnlyDictionary<Guid, long>> FirstReceivedAsync(string agencyId, IReadOnlyCollection<Guid> recordIds, CancellationToken ct) =>
        await db.RecordDeliveries.AsNoTracking()
            .Where(d => d.AgencyId == agencyId && recordIds.Contains(d.RecordId))
            .ToDictionaryAsync(d => d.RecordId, d => d.FirstVersion, ct);

    /// <summary>The change that made <paramref name="version"/> of a record, or null.</summary>
    public async Task<ChangeRow?> ChangeAsync(Guid recordId, long version, CancellationToken ct) =>
        await (from e in db.RecordEvents.AsNoTracking()
               where e.RecordId == recordId && e.Version == version
               join v in db.RecordVersions.AsNoTracking() on new { e.RecordId, e.Version } equals new { v.RecordId, v.Version }
               join r in db.Records.AsNoTracking() on e.RecordId equals r.Id
               select new ChangeRow(e.RecordId, e.Version, e.FeedPosition ?? 0, e.EventType, e.OccurredAt, v.AgencyId, r.DivisionCode))
            .FirstOrDefaultAsync(ct);

    /// <summary>Every past recipient of <paramref name="change"/>, by agency id.</summary>
    public async Task<List<RecipientRow>> RecipientsAsync(ChangeRow change, CancellationToken ct)
    {
        var deliveries = await db.RecordDeliveries.AsNoTracking()
            .Where(d => d.RecordId == change.RecordId && d.FirstVersion < change.Version && d.AgencyId != change.ChangedBy)
            .OrderBy(d => d.AgencyId)
            .ToListAsync(ct);
        // One query for every recipient's first acknowledgement at or past the change (not one per recipient).
        var agencies = deliveries.Select(d => d.AgencyId).ToList();
        var acknowledged = change.Sequence == 0 || agencies.Count == 0
            ? []
            : await db.FeedAcknowledgements.AsNoTracking()
                .Where(a => agencies.Contains(a.AgencyId) && a.Sequence >= change.Sequence)
                .GroupBy(a => a.AgencyId)
                .Select(g => new { AgencyId = g.Key, At = g.Min(a => a.At) })
                .ToDictionaryAsync(a => a.AgencyId, a => a.At, ct);
        var rows = deliveries
            .Select(d => new RecipientRow(d.AgencyId, d.FirstVersion, d.FirstDeliveredAt, d.LatestVersion, d.LatestDeliveredAt,
                acknowledged.TryGetValue(d.AgencyId, out var at) ? at : null))
            .ToList();
        return rows;
    }

    /// <summary>
    /// Every (past recipient, change) pair not acknowledged, of changes numbered in the feed and (on PostgreSQL)
    /// occurred before <paramref name="before"/>; optionally only records whose division code starts with
    /// <paramref name="divisionPrefix"/>. SQLite cannot compare the changes' times: the caller filters them.
    /// </summary>
    public async Task<List<UnacknowledgedRow>> UnacknowledgedAsync(DateTimeOffset before, string? divisionPrefix, CancellationToken ct)
    {
        before = before.ToUniversalTime(); // PostgreSQL takes instants at offset 0 only
        var events = db.RecordEvents.AsNoTracking().Where(e => e.FeedPosition != null);
        if (db.IsPostgres)
        {
            events = events.Where(e => e.OccurredAt < before);
        }

        var query =
            from e in events
            join d in db.RecordDeliveries.AsNoTracking() on e.RecordId equals d.RecordId
            where d.FirstVersion < e.Version
            join v in db.RecordVersions.AsNoTracking() on new { e.RecordId, e.Version } equals new { v.RecordId, v.Version }
            where v.AgencyId != d.AgencyId
            where !db.FeedAcknowledgements.Any(a => a.AgencyId == d.AgencyId && a.Sequence >= e.FeedPosition)
            join r in db.Records.AsNoTracking() on e.RecordId equals r.Id
            select new { d.AgencyId, e.RecordId, e.Version, Sequence = e.FeedPosition!.Value, e.EventType, e.OccurredAt, r.DivisionCode, Delivered = d.LatestVersion >= e.Version };
        if (divisionPrefix is not null)
        {
            query = query.Where(x => x.DivisionCode.StartsWith(divisionPrefix));
        }

        var rows = await query.ToListAsync(ct);
        return rows
            .Where(x => x.OccurredAt < before)
            .Select(x => new UnacknowledgedRow(x.AgencyId, x.RecordId, x.Version, x.Sequence, x.EventType, x.OccurredAt, x.DivisionCode, x.Delivered))
            .ToList();
    }

    /// <summary>Per change of <paramref name="changes"/>, its past recipients and how many have it delivered.</summary>
    public async Task<Dictionary<(Guid RecordId, long Version), (int Recipients, int Delivered)>> CoverageAsync(
        IReadOnlyCollection<UnacknowledgedRow> changes, CancellationToken ct)
    {
        var result = new Dictionary<(Guid, long), (int, int)>();
        // A bounded number of queries per chunk of records, not two per record.
        foreach (var chunk in changes.GroupBy(c => c.RecordId).Chunk(CoverageChunk))
        {
            var ids = chunk.Select(g => g.Key).ToList();
            var changedBy = (await db.RecordVersions.AsNoTracking()
                    .Where(v => ids.Contains(v.RecordId))
                    .Select(v => new { v.RecordId, v.Version, v.AgencyId })
                    .ToListAsync(ct))
                .ToDictionary(v => (v.RecordId, v.Version), v => v.AgencyId);
            var deliveries = (await db.RecordDeliveries.AsNoTracking().Where(d => ids.Contains(d.RecordId)).ToListAsync(ct))
                .ToLookup(d => d.RecordId);
            foreach (var group in chunk)
            {
                foreach (var change in group.DistinctBy(c => c.Version))
                {
                    var by = changedBy.GetValueOrDefault((change.RecordId, change.Version));
                    var recipients = deliveries[group.Key].Where(d => d.FirstVersion < change.Version && d.AgencyId != by).ToList();
                    result[(change.RecordId, change.Version)] = (recipients.Count, recipients.Count(d => d.LatestVersion >= change.Version));
                }
            }
        }

        return result;
    }

    private const int CoverageChunk = 500;
}
