using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

public sealed class AgencyStore(CreditDbContext db)
{
    public Task<List<AgencyEntity>> ListAsync(CancellationToken ct) =>
        db.Agencies.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);

    /// <summary>
    /// Inserts or updates the agencies named in configuration; agencies not named are left as they
    /// are, and so are agencies changed through the AdminService since (revision above 0): from then
    /// on the registry, not the configuration file, is their source of truth.
    /// </summary>
    /// <returns>The ids of configured agencies whose configuration was ignored for that reason.</returns>
    public async Task<IReadOnlyList<string>> SeedAsync(IEnumerable<AgencyEntity> agencies, CancellationToken ct)
    {
        var prevailing = new List<string>();
        foreach (var seed in agencies)
        {
            var row = await db.Agencies.FindAsync([seed.Id], ct);
            if (row is null)
            {
                db.Agencies.Add(seed);
                continue;
            }

            if (row.Revision > 0)
            {
                prevailing.Add(row.Id);
                continue;
            }

            row.DisplayName = seed.DisplayName;
            row.CertificateSubject = seed.CertificateSubject;
            row.CertificateUri = seed.CertificateUri;
            row.Categories = seed.Categories;
            row.Domains = seed.Domains;
            row.MayQuery = seed.MayQuery;
            row.Scopes = seed.Scopes;
        }

        await db.SaveChangesAsync(ct);
        return prevailing;
    }
}
