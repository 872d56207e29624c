using System.Diagnostics;
using System.Text.RegularExpressions;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Receipts;
using CreditExchange.Storage;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// The README's backup and restore, run by bash as they stand, on PostgreSQL (pg_dump/pg_restore) and SQLite (its
/// online copy): after a restore and new traffic the audit chain verifier reports the entries sealed after the backup
/// as TRUNCATED at the first lost position, and the segment sealed after the restore verifies, with a signed checkpoint.
/// </summary>
[Collection("postgres")]
public sealed partial class BackupRestoreTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("creditexchange-restore-").FullName;

    [Fact]
    public async Task Postgres_ReadmeBackupRestoreThenTraffic_LostEntriesTruncatedNewSegmentVerifies()
    {
        var connection = await postgres.CreateDatabaseAsync();
        var builder = new NpgsqlConnectionStringBuilder(connection);
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = builder.Host!,
            ["PGPORT"] = builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = builder.Username!,
            ["PGDATABASE"] = builder.Database!,
            ["PGPASSWORD"] = builder.Password ?? "",
            ["PATH"] = PostgresBin() + ":" + Environment.GetEnvironmentVariable("PATH"),
        };
        await BackupRestoreAsync(() => HubHost.StartAsync(connection), "backup-postgres", "restore-postgres", environment, lossKnownWithoutCheckpoint: false);
    }

    [Fact]
    public async Task Sqlite_ReadmeBackupRestoreThenTraffic_LostEntriesTruncatedNewSegmentVerifies()
    {
        var database = Path.Combine(_root, "data", "creditexchange.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        await BackupRestoreAsync(
            () => HubHost.StartAsync(null, new Dictionary<string, string?> { ["Hub:Storage:SqlitePath"] = database }),
            "backup-sqlite", "restore-sqlite", [], lossKnownWithoutCheckpoint: true);
    }

    private async Task BackupRestoreAsync(Func<Task<HubHost>> start, string backup, string restore, Dictionary<string, string> environment, bool lossKnownWithoutCheckpoint)
    {
        SignedChainCheckpoint beforeBackup, afterBackup;
        long keptPosition;
        await using (var hub = await start())
        {
            await SubmitAsync(hub, 2);
            beforeBackup = (await SealedAsync(hub)).Checkpoint;
            await RunBlockAsync(backup, environment);

            // Sealed after the backup point: lost with the restore.
            await SubmitAsync(hub, 3);
            var verified = await SealedAsync(hub);
            afterBackup = verified.Checkpoint;
            keptPosition = verified.HeadChainPosition;
        }

        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (environment.Count > 0)
        {
            environment["BACKUP"] = Path.GetFileName(Assert.Single(Directory.GetFiles(_root, "*.dump")));
        }

        await RunBlockAsync(restore, environment);

        await using (var hub = await start())
        {
            await SubmitAsync(hub, 2);
            var audit = Audit(hub);
            VerifyAuditChainResponse result = null!;
            await Eventually.HoldsAsync(
                async () => (result = await audit.VerifyAuditChainAsync(new VerifyAuditChainRequest { KnownCheckpoints = { beforeBackup, afterBackup } }))
                    is { HeadChainSegment: 1, UnsealedEntries: 0 },
                seconds: 120);

            long restoredHead;
            await using (var scope = hub.Services.CreateAsyncScope())
            {
                var segment = await scope.ServiceProvider.GetRequiredService<CreditDbContext>().AuditSegments.SingleAsync(s => s.Segment == 1);
                restoredHead = segment.StartPosition - 1;
            }

            Assert.True(restoredHead < keptPosition, $"the restored head {restoredHead} should be behind the kept checkpoint {keptPosition}");
            Assert.False(result.Intact);
            var problem = Assert.Single(result.Problems);
            Assert.Equal(ChainProblemKind.Truncated, problem.Kind);
            Assert.Equal(restoredHead + 1, problem.ExpectedChainPosition);
            Assert.Contains($"Chain positions {restoredHead + 1}–{keptPosition} of segment 0 were lost", problem.Description, StringComparison.Ordinal);
            Assert.True(result.HeadChainPosition > restoredHead);

            // The new segment continues from the restore point and is signed: a checkpoint of its head verifies.
            var keys = (await new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("drc")).GetReceiptKeysAsync(new GetReceiptKeysRequest())).Keys;
            var checkpoint = ReceiptVerifier.VerifyCheckpoint(result.Checkpoint, keys);
            Assert.NotNull(checkpoint);
            Assert.Equal(1, checkpoint.ChainSegment);
            Assert.Equal(result.HeadChainPosition, checkpoint.ChainPosition);

            // Checkpoints within the restored part still verify; the new one verifies in its segment.
            var alone = await audit.VerifyAuditChainAsync(new VerifyAuditChainRequest { KnownCheckpoints = { beforeBackup, result.Checkpoint } });
            Assert.DoesNotContain(alone.Problems, p => p.Kind != ChainProblemKind.Truncated);
            Assert.Equal(lossKnownWithoutCheckpoint, alone.Problems.Count == 1);
        }
    }

    private static AuditService.AuditServiceClient Audit(HubHost hub) => new(hub.AgencyChannel("supervision"));

    private static async Task SubmitAsync(HubHost hub, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await hub.Records("court").SubmitRecordAsync(TestData.Submission(subject: TestData.CivilServantSubject()));
        }
    }

    /// <summary>Waits until every entry is sealed and the chain is intact; the verification (with its checkpoint).</summary>
    private static async Task<VerifyAuditChainResponse> SealedAsync(HubHost hub)
    {
        VerifyAuditChainResponse result = null!;
        await Eventually.HoldsAsync(
            async () => (result = await Audit(hub).VerifyAuditChainAsync(new VerifyAuditChainRequest())) is { Intact: true, UnsealedEntries: 0, SealedEntries: > 0 },
            seconds: 120);
        return result;
    }

    private async Task RunBlockAsync(string marker, Dictionary<string, string> environment)
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "README.md"));
        var match = Regex.Match(readme, $@"<!-- {marker} -->\s*```sh\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"the README block {marker} was not found");
        var bash = new ProcessStartInfo("bash") { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        bash.ArgumentList.Add("-euc");
        bash.ArgumentList.Add(match.Groups[1].Value);
        foreach (var (name, value) in environment)
        {
            bash.Environment[name] = value;
        }

        using var process = Process.Start(bash)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"README block {marker} exited with {process.ExitCode}: {await output}{await errors}");
    }

    private static string PostgresBin()
    {
        try
        {
            using var config = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var bin = config.StandardOutput.ReadToEnd().Trim();
            config.WaitForExit();
            if (config.ExitCode == 0 && File.Exists(Path.Combine(bin, "pg_restore")))
            {
                return bin;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config: the Debian layout below.
        }

        return Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            .Select(d => Path.Combine(d, "bin")).First(d => File.Exists(Path.Combine(d, "pg_restore")));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreditExchange.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No repository root above " + AppContext.BaseDirectory);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
