using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>Reads of the public disclosure list: the records the standing lets be published on a day.</summary>
public sealed class PublicationStore(CreditDbContext db)
{
    /// <summary>One page of the records publishable on <paramref name="asOf"/>, in acceptance order, after <paramref name="afterSequence"/>.</summary>
    public Task<List<RecordEntity>> ListAsync(DateOnly asOf, long afterSequence, int limit, CancellationToken ct) =>
        db.Records.AsNoTracking()
            .Where(StandingQueries.PublishableOn(asOf))
            .Where(r => r.Sequence > afterSequence)
            .OrderBy(r => r.Sequence)
            .Take(limit)
            .ToListAsync(ct);
}
