using System.Security.Cryptography;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Server.Privacy;

/// <summary>
/// Remembers, per privacy key id, a check value of the key material (HMAC-SHA256 of a fixed label under the key,
/// never the key) in the database: when the hub first holds a key id as its current key (it seals with it), or first
/// finds the values stored under it opening. A key file replaced under the same id (a second mint) then no longer
/// matches, and the hub and the rotation command refuse to start, naming the key id, instead of sealing and reading
/// with the wrong key.
/// </summary>
public static class PrivacyKeyChecks
{
    private static readonly byte[] Label = "ce-privacy-key-check-v1"u8.ToArray();

    /// <summary>The check value of a key.</summary>
    public static byte[] CheckValue(byte[] key) => HMACSHA256.HashData(key, Label);

    /// <summary>Throws (one line, naming the key id) when a configured key is not the one remembered or does not open its stored values; remembers the keys seen to be right.</summary>
    public static async Task EnsureAsync(IServiceProvider services, TimeProvider time, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
        var keys = services.GetRequiredService<PrivacyKeys>();
        var protector = services.GetRequiredService<PersonalDataProtector>();
        var remembered = await db.PrivacyKeyChecks.AsNoTracking().ToDictionaryAsync(k => k.KeyId, k => k.CheckValue, StringComparer.Ordinal, ct);
        foreach (var (id, key) in keys.Encryption.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var check = CheckValue(key);
            if (remembered.TryGetValue(id, out var known))
            {
                if (!CryptographicOperations.FixedTimeEquals(known, check))
                {
                    throw new InvalidOperationException(
                        $"privacy key '{id}' (Hub:Privacy:EncryptionKeys:{id}) is not the key this database knows under that id (check value {Short(check)}, remembered {Short(known)}): " +
                        "its key file was replaced. Put the original key file back; a new key needs a new id (mint-privacy-key never overwrites one).");
                }

                continue;
            }

            var sample = await SealedData.SampleAsync(db, id, ct);
            if (sample is not null && !Opens(protector, id, sample))
            {
                throw new InvalidOperationException(
                    $"privacy key '{id}' (Hub:Privacy:EncryptionKeys:{id}) does not open the values stored under that id: its key file is not the one that sealed them. Put the original key file back.");
            }

            if (sample is not null || id == keys.CurrentEncryptionKeyId)
            {
                db.PrivacyKeyChecks.Add(new PrivacyKeyCheckEntity { KeyId = id, CheckValue = check, RememberedAt = time.GetUtcNow().UtcDateTime });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another instance remembered it first: compare with what it remembered.
                    db.ChangeTracker.Clear();
                    var other = await db.PrivacyKeyChecks.AsNoTracking().SingleAsync(k => k.KeyId == id, ct);
                    if (!CryptographicOperations.FixedTimeEquals(other.CheckValue, check))
                    {
                        throw new InvalidOperationException(
                            $"privacy key '{id}' (Hub:Privacy:EncryptionKeys:{id}) differs from the key another hub instance holds under that id: give every instance the same key files.");
                    }
                }
            }
        }
    }

    private static bool Opens(PersonalDataProtector protector, string id, object sample)
    {
        try
        {
            switch (sample)
            {
                case byte[] envelope when PersonalDataProtector.KeyIdOf(envelope) == id:
                    protector.Open(envelope);
                    return true;
                case string text when PersonalDataProtector.KeyIdOfText(text) == id:
                    protector.OpenText(text);
                    return true;
                default:
                    return true; // a LIKE match of another id ('_' matches any character): nothing to judge by
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string Short(byte[] check) => Convert.ToHexStringLower(check)[..12];
}
