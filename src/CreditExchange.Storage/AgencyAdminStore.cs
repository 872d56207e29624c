using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>Changes to the agency registry made by the AdminService; each bumps the row's revision.</summary>
public sealed class AgencyAdminStore(CreditDbContext db, UnitOfWork unit)
{
    /// <summary>
    /// A fingerprint of the whole agency table that changes whenever a row is added or changed
    /// through this store: what each hub instance polls to know when to reload its registry.
    /// </summary>
    public async Task<(int Count, long Revisions)> FingerprintAsync(CancellationToken ct)
    {
        var count = await db.Agencies.CountAsync(ct);
        var revisions = count == 0 ? 0 : await db.Agencies.SumAsync(a => a.Revision, ct);
        return (count, revisions);
    }

    public Task<List<AgencyEntity>> ListAsync(CancellationToken ct) =>
        db.Agencies.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);

    public Task<AgencyEntity?> FindAsync(string id, CancellationToken ct) =>
        db.Agencies.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>The agency (other than <paramref name="exceptId"/>) already named by this certificate URI or subject, if any.</summary>
    public Task<AgencyEntity?> FindByCertificateIdentityAsync(string? uri, string? subject, string? exceptId, CancellationToken ct) =>
        db.Agencies.AsNoTracking()
            .Where(a => a.Id != exceptId
                && ((uri != null && a.CertificateUri == uri) || (subject != null && a.CertificateSubject == subject)))
            .FirstOrDefaultAsync(ct);

    /// <summary>Adds a new agency; false when the id is taken.</summary>
    public async Task<bool> AddAsync(AgencyEntity agency, CancellationToken ct)
    {
        if (await db.Agencies.AnyAsync(a => a.Id == agency.Id, ct))
        {
            return false;
        }

        agency.Revision = 1;
        db.Agencies.Add(agency);
        await unit.SaveAsync(ct);
        return true;
    }

    /// <summary>Applies <paramref name="change"/> to the agency and bumps its revision; null when there is no such agency.</summary>
    public async Task<AgencyEntity?> UpdateAsync(string id, Action<AgencyEntity> change, CancellationToken ct)
    {
        var row = await db.Agencies.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (row is null)
        {
            return null;
        }

        change(row);
        row.Revision++;
        await unit.SaveAsync(ct);
        return row;
    }
}
