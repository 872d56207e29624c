using CreditExchange.Server.Database;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Settings;
using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Server.Hosting;

/// <summary>
/// `dotnet run --project src/CreditExchange.Server -- rotate-privacy-key`: re-encrypts every stored
/// record that is not under Hub:Privacy:CurrentEncryptionKey to that key, in batches, printing its
/// progress, with the same configuration as the hub (every key still needed must be listed). When
/// it reports no record left under the old key, the old key may be removed from the configuration.
/// Safe to run while hubs serve (a record changed meanwhile is re-read) and to run again.
/// </summary>
internal static class KeyRotationCommand
{
    public const string Name = "rotate-privacy-key";
    private const int BatchSize = 500;

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var builder = WebApplication.CreateBuilder(args.Where(a => a != Name).ToArray());
            builder.AddHubSettings();
            builder.AddDatabase();
            builder.AddPrivacy();
            await using var app = builder.Build();
            await app.InitializeDatabaseAsync();
            var keys = app.Services.GetRequiredService<PrivacyKeys>();
            var protector = app.Services.GetRequiredService<PersonalDataProtector>();

            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
            var before = await StoredKeys.CountByKeyAsync(db, CancellationToken.None);
            var missing = before.Keys.Where(k => !keys.Encryption.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                await Console.Error.WriteLineAsync($"{Name}: stored records need privacy keys that are not configured: {string.Join(", ", missing.Select(k => $"'{k}' ({before[k]} records)"))}. List them in Hub:Privacy:EncryptionKeys.");
                return StartupFailure.ConfigurationExitCode;
            }

            var total = before.Where(k => k.Key != keys.CurrentEncryptionKeyId).Sum(k => k.Value);
            Console.WriteLine($"{Name}: {total} records to re-encrypt to key '{keys.CurrentEncryptionKeyId}' ({Describe(before)}).");
            var done = 0;
            long after = 0;
            while (true)
            {
                var batch = await db.Records.Where(r => r.Sequence > after).OrderBy(r => r.Sequence).Take(BatchSize).ToListAsync();
                if (batch.Count == 0)
                {
                    break;
                }

                var changed = 0;
                foreach (var row in batch)
                {
                    var keyId = PersonalDataProtector.KeyIdOf(row.Content);
                    if (keyId is not null && keyId != keys.CurrentEncryptionKeyId)
                    {
                        row.Content = protector.Seal(protector.Open(row.Content));
                        changed++;
                    }
                }

                try
                {
                    await db.SaveChangesAsync();
                }
                catch (DbUpdateConcurrencyException)
                {
                    // A hub changed one of these records meanwhile: read the batch again.
                    db.ChangeTracker.Clear();
                    continue;
                }

                db.ChangeTracker.Clear();
                after = batch[^1].Sequence;
                done += changed;
                if (changed > 0)
                {
                    Console.WriteLine($"{Name}: re-encrypted {done} of {total} records");
                }
            }

            var now = await StoredKeys.CountByKeyAsync(db, CancellationToken.None);
            Console.WriteLine($"{Name}: done; records by key: {Describe(now)}. Keys no longer needed: " +
                $"{string.Join(", ", keys.Encryption.Keys.Where(k => !now.ContainsKey(k) && k != keys.CurrentEncryptionKeyId).DefaultIfEmpty("none"))}.");
            return 0;
        }
        catch (Exception e)
        {
            var (code, message) = StartupFailure.Describe(e);
            await Console.Error.WriteLineAsync($"{Name}: {message}");
            return code;
        }
    }

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "no encrypted records" : string.Join(", ", counts.Select(c => $"'{c.Key}': {c.Value}"));
}
