using System.Collections.Concurrent;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>
/// Keeps agencies' signed requests and spends their nonces. A signature is stored when the hub accepts it, in its own
/// transaction before the call's change: a nonce is spent even when the change is then refused, so a signed request is
/// never answered twice (a retry is signed anew).
/// </summary>
public sealed class SignatureStore(CreditDbContext db, SigningCertificateCache known)
{
    /// <summary>
    /// Stores each signature with its certificate and answers its id, or null for one whose (agency, nonce) was spent
    /// before. The rows' <see cref="RequestSignatureEntity.CertificateSha256"/> must name a certificate in
    /// <paramref name="certificates"/> (DER by SHA-256) or one stored already.
    /// </summary>
    public async Task<long?[]> SpendAsync(IReadOnlyList<RequestSignatureEntity> signatures, IReadOnlyDictionary<string, byte[]> certificates, DateTimeOffset at, CancellationToken ct)
    {
        await StoreCertificatesAsync(certificates, at, ct);
        var ids = new long?[signatures.Count];
        try
        {
            db.RequestSignatures.AddRange(signatures);
            await db.SaveChangesAsync(ct);
            for (var i = 0; i < signatures.Count; i++)
            {
                ids[i] = signatures[i].Id;
            }

            return ids;
        }
        catch (DbUpdateException e) when (RecordStore.IsUniqueViolation(e))
        {
            // One of them was spent: below, each on its own.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        // One of them was spent: each on its own, so that only the replayed ones are refused.
        for (var i = 0; i < signatures.Count; i++)
        {
            var row = signatures[i];
            row.Id = 0;
            try
            {
                db.RequestSignatures.Add(row);
                await db.SaveChangesAsync(ct);
                ids[i] = row.Id;
            }
            catch (DbUpdateException e) when (RecordStore.IsUniqueViolation(e))
            {
                ids[i] = null;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return ids;
    }

    /// <summary>The signed request and its certificate, for evidence.</summary>
    public async Task<(RequestSignatureEntity Signature, byte[] CertificateDer)?> FindAsync(long id, CancellationToken ct)
    {
        var row = await db.RequestSignatures.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
        {
            return null;
        }

        var certificate = await db.SigningCertificates.AsNoTracking().SingleAsync(c => c.Sha256 == row.CertificateSha256, ct);
        return (row, certificate.Der);
    }

    private async Task StoreCertificatesAsync(IReadOnlyDictionary<string, byte[]> certificates, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var (hash, der) in certificates)
        {
            if (known.Contains(hash))
            {
                continue;
            }

            var sha256 = Convert.FromHexString(hash);
            if (!await db.SigningCertificates.AsNoTracking().AnyAsync(c => c.Sha256 == sha256, ct))
            {
                try
                {
                    db.SigningCertificates.Add(new SigningCertificateEntity { Sha256 = sha256, Der = der, FirstUsedAt = at });
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException e) when (RecordStore.IsUniqueViolation(e))
                {
                    // Another call stored it first.
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }

            known.Add(hash);
        }
    }
}

/// <summary>The signing certificates one hub has seen stored (by SHA-256, hex), so that each is looked up once.</summary>
public sealed class SigningCertificateCache
{
    private readonly ConcurrentDictionary<string, byte> _stored = new(StringComparer.OrdinalIgnoreCase);

    public bool Contains(string sha256) => _stored.ContainsKey(sha256);

    public void Add(string sha256) => _stored.TryAdd(sha256, 0);
}
