using CreditExchange.Storage;

namespace CreditExchange.Server.Privacy;

/// <summary>
/// Which privacy keys the stored data needs: the key id of every sealed value of every sealed column
/// (<see cref="SealedData.Columns"/>), counted in the database. The hub refuses to start when one of
/// them is no longer configured (every read of those records would fail), naming the key and the
/// number of rows. (Receipt keys need no such check: no stored row references one; a retired
/// receipt key is kept listed only so that receipts it signed keep verifying.)
/// </summary>
public static class StoredKeys
{
    /// <summary>Throws when stored rows need a key the ring does not hold.</summary>
    public static async Task EnsureStoredKeysPresentAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var keys = app.Services.GetRequiredService<PrivacyKeys>();
        var used = await SealedData.CountByKeyAsync(scope.ServiceProvider.GetRequiredService<CreditDbContext>(), ct);
        var missing = used.Where(u => !keys.Encryption.ContainsKey(u.Key)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", missing.Select(m =>
                $"{m.Value} stored values (record contents, versions, free text) are encrypted with privacy key '{m.Key}', which Hub:Privacy:EncryptionKeys does not list.")) +
                " List the key again; to retire it, run the rotate-privacy-key command with both keys configured first (README, key rotation).");
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Privacy");
        Log.PrivacyKeysInUse(logger, keys.CurrentEncryptionKeyId, string.Join(", ", used.Select(u => $"{u.Key}: {u.Value} values")));
    }

}
