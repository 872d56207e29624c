using CreditExchange.Server.Database;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Settings;
using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Server.Hosting;

/// <summary>
/// `dotnet run --project src/CreditExchange.Server -- rotate-privacy-key`: re-encrypts every sealed
/// value (<see cref="SealedData.Columns"/>: record contents and versions, free text, audit purposes) that is
/// not under Hub:Privacy:CurrentEncryptionKey to that key, in batches, printing its progress, with the same configuration as the hub (every key still needed must be listed). When
/// it reports no record left under the old key, the old key may be removed from the configuration.
/// Safe to run while hubs serve, when every running instance already holds the new key (a record changed meanwhile
/// is re-read); running it again changes nothing and says so. It refuses (exit 2) when a configured key file is not the
/// one the database remembers under its id, and verifies afterwards that every sealed value opens with a key held.
/// </summary>
internal static class KeyRotationCommand
{
    public const string Name = "rotate-privacy-key";

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var builder = HubEnvironment.CreateBuilder(args.Where(a => a != Name).ToArray());
            builder.AddHubSettings();
            builder.AddDatabase();
            builder.AddPrivacy();
            await using var app = builder.Build();
            await app.InitializeDatabaseAsync();
            var keys = app.Services.GetRequiredService<PrivacyKeys>();
            var protector = app.Services.GetRequiredService<PersonalDataProtector>();

            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
            var before = await SealedData.CountByKeyAsync(db, CancellationToken.None);
            var missing = before.Keys.Where(k => !keys.Encryption.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                await Console.Error.WriteLineAsync($"{Name}: stored values need privacy keys that are not configured: {string.Join(", ", missing.Select(k => $"'{k}' ({before[k]} values)"))}. List them in Hub:Privacy:EncryptionKeys.");
                return StartupFailure.ConfigurationExitCode;
            }

            // A key file replaced under its id is refused before anything is re-encrypted with it.
            await PrivacyKeyChecks.EnsureAsync(app.Services, app.Services.GetRequiredService<TimeProvider>());
            var total = before.Where(k => k.Key != keys.CurrentEncryptionKeyId).Sum(k => k.Value);
            if (total == 0)
            {
                Console.WriteLine($"{Name}: nothing to re-encrypt: all {before.GetValueOrDefault(keys.CurrentEncryptionKeyId)} sealed values are already under key '{keys.CurrentEncryptionKeyId}' (this run changes nothing).");
            }
            else
            {
                Console.WriteLine($"{Name}: {total} values to re-encrypt to key '{keys.CurrentEncryptionKeyId}' ({Describe(before)}).");
                await SealedData.ResealAsync(app.Services, protector, done => Console.WriteLine($"{Name}: re-encrypted {done} of {total} values"), CancellationToken.None);
            }

            // Every sealed value must open with a key held, or the run has not succeeded.
            var check = await SealedData.OpenAllAsync(app.Services, protector, CancellationToken.None);
            if (check.Describe() is { } unreadable)
            {
                await Console.Error.WriteLineAsync($"{Name}: verification failed: {check.Opened} sealed values open, {check.FailedCount} do not: {unreadable} Keep every key listed until this passes.");
                return StartupFailure.ConfigurationExitCode;
            }

            Console.WriteLine($"{Name}: verified: all {check.Opened} sealed values open with the keys held.");

            var now = await SealedData.CountByKeyAsync(db, CancellationToken.None);
            Console.WriteLine($"{Name}: done; sealed values by key: {Describe(now)}. Keys no longer needed: " +
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
        counts.Count == 0 ? "no encrypted values" : string.Join(", ", counts.Select(c => $"'{c.Key}': {c.Value}"));
}
