using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Server.Privacy;

/// <summary>
/// Which privacy keys the stored data needs: the key id in the header of every encrypted
/// <c>records.Content</c> envelope, counted in the database. The hub refuses to start when one of
/// them is no longer configured (every read of those records would fail), naming the key and the
/// number of rows. (Receipt keys need no such check: no stored row references one; a retired
/// receipt key is kept listed only so that receipts it signed keep verifying.)
/// </summary>
public static class StoredKeys
{
    /// <summary>Rows per privacy key id that encrypted them.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> CountByKeyAsync(CreditDbContext db, CancellationToken ct)
    {
        // "CE" | version 1 | key-id length | key id …: the header PersonalDataProtector writes.
        var sql = db.Database.IsNpgsql()
            ? """
              SELECT convert_from(substring("Content" from 5 for get_byte("Content", 3)), 'UTF8') AS "KeyId", count(*)::int AS "Rows"
              FROM records WHERE length("Content") > 4 AND substring("Content" from 1 for 3) = '\x434501'::bytea GROUP BY 1
              """
            : """
              SELECT CAST(substr("Content", 5, unicode(substr("Content", 4, 1))) AS TEXT) AS "KeyId", count(*) AS "Rows"
              FROM records WHERE length("Content") > 4 AND substr("Content", 1, 3) = X'434501' GROUP BY 1
              """;
        var rows = await db.Database.SqlQueryRaw<KeyRows>(sql).ToListAsync(ct);
        return rows.ToDictionary(r => r.KeyId, r => r.Rows, StringComparer.Ordinal);
    }

    /// <summary>Throws when stored rows need a key the ring does not hold.</summary>
    public static async Task EnsureStoredKeysPresentAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var keys = app.Services.GetRequiredService<PrivacyKeys>();
        var used = await CountByKeyAsync(scope.ServiceProvider.GetRequiredService<CreditDbContext>(), ct);
        var missing = used.Where(u => !keys.Encryption.ContainsKey(u.Key)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", missing.Select(m =>
                $"{m.Value} stored records are encrypted with privacy key '{m.Key}', which Hub:Privacy:EncryptionKeys does not list.")) +
                " List the key again; to retire it, run the rotate-privacy-key command with both keys configured first (README, key rotation).");
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Privacy");
        Log.PrivacyKeysInUse(logger, keys.CurrentEncryptionKeyId, string.Join(", ", used.Select(u => $"{u.Key}: {u.Value} records")));
    }

    private sealed record KeyRows(string KeyId, int Rows);
}
