using CreditExchange.Domain.Records;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>
/// Reads of the public disclosure list: the records that may have been on it on a day, and their versions,
/// from which the list of any day and its changes are decided (Server Publication.PublicList).
/// </summary>
public sealed class PublicationStore(CreditDbContext db)
{
    /// <summary>
    /// One batch of the records, in acceptance order after <paramref name="afterSequence"/>, that may have been on
    /// the list on <paramref name="asOf"/>: accepted before the end of that day and not past their disclosure
    /// period. For today (<paramref name="current"/>) the current state is the day's, so the standing filters exactly.
    /// </summary>
    public Task<List<RecordEntity>> CandidatesAsync(DateOnly asOf, bool current, long afterSequence, int limit, CancellationToken ct)
    {
        var acceptedBefore = ChinaCalendar.StartOf(asOf.AddDays(1)).ToUniversalTime(); // Npgsql writes UTC instants only
        var rows = db.Records.AsNoTracking()
            .Where(r => r.Sequence > afterSequence && r.AcceptedAt < acceptedBefore && r.DisclosureMaximumEnd > asOf);
        if (current)
        {
            rows = rows.Where(StandingQueries.PublishableOn(asOf)).Where(r => r.DecisionDate <= asOf);
        }

        return rows.OrderBy(r => r.Sequence).Take(limit).ToListAsync(ct);
    }

    /// <summary>The versions of <paramref name="recordIds"/> made before <paramref name="before"/> (all when null), in version order.</summary>
    public async Task<ILookup<Guid, RecordVersionEntity>> VersionsAsync(IReadOnlyCollection<Guid> recordIds, DateTimeOffset? before, CancellationToken ct)
    {
        if (recordIds.Count == 0)
        {
            return Array.Empty<RecordVersionEntity>().ToLookup(v => v.RecordId);
        }

        var versions = db.RecordVersions.AsNoTracking().Where(v => recordIds.Contains(v.RecordId));
        if (before is { } end)
        {
            var utc = end.ToUniversalTime();
            versions = versions.Where(v => v.ChangedAt < utc);
        }

        var list = await versions.OrderBy(v => v.RecordId).ThenBy(v => v.Version).ToListAsync(ct);
        return list.ToLookup(v => v.RecordId);
    }
}
