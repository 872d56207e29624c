using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;

namespace CreditExchange.Tests.ClientSdk;

/// <summary>
/// Runs the TypeScript (node --test) and Python (unittest) SDK suites against live hubs started
/// here: real Kestrel, real mTLS with the dev CA, PostgreSQL. One hub issues 3-second tokens (the
/// refresh tests); a second instance on its database sits behind a relay and is stopped, started
/// and cut off on the suite's command (<see cref="RestartableHub"/>: the feed follower tests); a third
/// allows one call per second (the retry tests). Each suite's own counts
/// are written to $CREDITEXCHANGE_SDK_RESULTS/&lt;language&gt;.counts, which tests/test.sh adds to its
/// closing line; this test fails when the suite fails or runs no test.
/// </summary>
[Collection("postgres")]
public sealed partial class ForeignSdkTests(PostgresFixture postgres)
{
    private const int TokenLifetimeSeconds = 3;

    [Fact]
    public async Task TypeScriptSdk_NodeTestRunner_AllPass()
    {
        var folder = Path.Combine(RepositoryRoot(), "clients", "typescript");
        Assert.True(File.Exists(Path.Combine(folder, "dist", "index.js")), "clients/typescript is not built: run npm ci && npm run build there (tests/test.sh does).");

        var (exitCode, output) = await RunAgainstHubsAsync(folder, "node", "--test", "--test-reporter=tap", "test/");

        var counts = new Counts(Count(output, @"^# pass (\d+)"), Count(output, @"^# fail (\d+)") + Count(output, @"^# cancelled (\d+)"), Count(output, @"^# skipped (\d+)") + Count(output, @"^# todo (\d+)"));
        Report("typescript", counts);
        Assert.True(exitCode == 0 && counts.Failed == 0 && counts.Passed > 0, output);
    }

    [Fact]
    public async Task PythonSdk_Unittest_AllPass()
    {
        var folder = Path.Combine(RepositoryRoot(), "clients", "python");
        // Debian's python3 carries python3-grpcio and python3-protobuf (installed by tests/test.sh); another
        // python3 earlier on PATH (pyenv) may not.
        var python = Environment.GetEnvironmentVariable("CREDITEXCHANGE_PYTHON") ?? "/usr/bin/python3";

        var (exitCode, output) = await RunAgainstHubsAsync(folder, python, "tests/run.py");

        var summary = SummaryLine().Match(output);
        var counts = summary.Success
            ? new Counts(int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(summary.Groups[3].Value, CultureInfo.InvariantCulture))
            : new Counts(0, 1, 0);
        Report("python", counts);
        Assert.True(exitCode == 0 && counts.Failed == 0 && counts.Passed > 0, output);
    }

    private async Task<(int ExitCode, string Output)> RunAgainstHubsAsync(string folder, string command, params string[] args)
    {
        var database = await postgres.CreateDatabaseAsync();
        // The development time-stamping authority: evidence bundles the suites export carry its tokens.
        await using var authority = TestTimestampAuthority.Start();
        // Both hubs on the database store checkpoints, so both have them time-stamped.
        var shortTokens = new Dictionary<string, string?>(TestTimestampAuthority.Settings(authority))
        {
            ["Hub:Tokens:AccessTokenLifetime"] = TimeSpan.FromSeconds(TokenLifetimeSeconds).ToString("c", CultureInfo.InvariantCulture),
            // Every agency must sign: the SDKs' writes pass only because they sign by themselves.
            ["Hub:Signatures:RequiredAgencies:0"] = "*",
        };
        await using var hub = await HubHost.StartAsync(database, shortTokens);
        // A second instance on the same database, behind a relay, that the suite stops, starts and cuts off (feed follower tests).
        await using var feedHub = await RestartableHub.StartAsync(database, shortTokens);
        await using var limited = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Hub:Limits:TokenLimit"] = "1",
            ["Hub:Limits:TokensPerPeriod"] = "1",
            ["Hub:Limits:ReplenishmentPeriod"] = "00:00:01",
            ["Hub:Signatures:RequiredAgencies:0"] = "*",
        });
        var certs = TestCertificates.Set;
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["CREDITEXCHANGE_HUB"] = hub.Address.ToString().TrimEnd('/'),
                ["CREDITEXCHANGE_LIMITED_HUB"] = limited.Address.ToString().TrimEnd('/'),
                ["CREDITEXCHANGE_FEED_HUB"] = feedHub.Address.ToString().TrimEnd('/'),
                ["CREDITEXCHANGE_FEED_CONTROL"] = feedHub.ControlPort.ToString(CultureInfo.InvariantCulture),
                ["CREDITEXCHANGE_CA"] = certs.CaCertificate,
                ["CREDITEXCHANGE_TSA"] = TestTimestampAuthority.Certificate,
                ["CREDITEXCHANGE_AGENCIES"] = Path.GetDirectoryName(certs.AgencyCertificate("court")),
                ["CREDITEXCHANGE_CREDIT_CODES"] = string.Join(",", Enumerable.Range(0, 100).Select(_ => TestData.NewCreditCode())),
                ["CREDITEXCHANGE_TOKEN_LIFETIME_SECONDS"] = TokenLifetimeSeconds.ToString(CultureInfo.InvariantCulture),
                ["NODE_NO_WARNINGS"] = "1",
            },
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', args)} ran longer than 5 minutes:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static int Count(string output, string pattern) =>
        Regex.Matches(output, pattern, RegexOptions.Multiline).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    private static void Report(string language, Counts counts)
    {
        if (Environment.GetEnvironmentVariable("CREDITEXCHANGE_SDK_RESULTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, language + ".counts"), $"{counts.Passed} {counts.Failed} {counts.Skipped}\n");
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "clients")) && File.Exists(Path.Combine(dir.FullName, "CreditExchange.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with clients/) was not found above the test binaries.");
    }

    [GeneratedRegex(@"^python: (\d+) passed, (\d+) failed, (\d+) skipped$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    private sealed record Counts(int Passed, int Failed, int Skipped);
}
