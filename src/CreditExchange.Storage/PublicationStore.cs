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
    /// the list on <paramref name="asOf"/>: not past their disclosure period. For today (<paramref name="current"/>)
    /// the current state is the day's, so the standing filters exactly. Instants are compared by the caller: SQLite
    /// cannot compare them in SQL.
    /// </summary>
    public Task<List<RecordEntity>> CandidatesAsync(DateOnly asOf, bool current, long afterSequence, int limit, CancellationToken ct)
    {
        var rows = db.Records.AsNoTracking().Where(r => r.Sequence > afterSequence && r.DisclosureMaximumEnd > asOf);
        if (current)
        {
            rows = rows.Where(StandingQueries.PublishableOn(asOf)).Where(r => r.DecisionDate <= asOf);
        }

        return rows.OrderBy(r => r.Sequence).Take(limit).ToListAsync(ct);
    }

    /// <summary>Every version of <paramref name="recordIds"/>, in version order.</summary>
    public async Task<ILookup<Guid, RecordVersionEntity>> VersionsAsync(IReadOnlyCollection<Guid> recordIds, CancellationToken ct)
    {
        if (recordIds.Count == 0)
        {
            return Array.Empty<RecordVersionEntity>().ToLookup(v => v.RecordId);
        }

        var list = await db.RecordVersions.AsNoTracking().Where(v => recordIds.Contains(v.RecordId))
            .OrderBy(v => v.RecordId).ThenBy(v => v.Version).ToListAsync(ct);
        return list.ToLookup(v => v.RecordId);
    }
}
