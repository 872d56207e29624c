using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CreditExchange.Bench.Background;
using CreditExchange.Bench.Hosting;
using CreditExchange.Bench.Load;
using CreditExchange.Bench.Measuring;
using CreditExchange.Bench.Reporting;
using CreditExchange.Bench.Seeding;
using CreditExchange.DevCerts;
using CreditExchange.Domain.Records;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Npgsql;

namespace CreditExchange.Bench;

/// <summary>
/// One benchmark run: a throwaway PostgreSQL (or the given database), the hub's schema and seeded records, the hub
/// as its own process (or a running one), the scenarios in order — reads first, on the seeded size; writes after —
/// then the report.
/// </summary>
public static class BenchRun
{
    /// <summary>The environment the started hub runs in: not Production, so it mints its development keys and certificates.</summary>
    private const string HubEnvironment = "Benchmark";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var clock = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}");

        var output = Path.GetFullPath(options.OutputFolder);
        Directory.CreateDirectory(output);
        await using var resources = new Resources();
        var runTag = Guid.NewGuid().ToString("N")[..8];

        string? postgres = options.Postgres;
        Uri address;
        string certificatesFolder;
        int? hubPid = options.HubPid;
        RecordFactory? factory = null;
        if (options.Target is null)
        {
            var cluster = await PostgresCluster.StartAsync(durable: options.Fsync);
            resources.Add(cluster);
            postgres = await cluster.CreateDatabaseAsync("bench");
            var work = Path.Combine(output, "work-" + runTag);
            resources.Add(new TemporaryFolder(work));
            certificatesFolder = Path.Combine(work, "certs");
            address = new Uri($"https://127.0.0.1:{HubProcess.FreePort()}");
            Log($"PostgreSQL on port {cluster.Port}; hub will listen on {address}");
        }
        else
        {
            address = options.Target;
            certificatesFolder = Path.GetFullPath(options.CertificatesFolder
                ?? throw new ArgumentException("--certs is required with --target (the hub's development certificate folder)."));
        }

        var settings = new Dictionary<string, string?>
        {
            ["Hub:Url"] = address.ToString().TrimEnd('/'),
            ["Hub:Tls:DevCertificatesFolder"] = certificatesFolder,
            ["ConnectionStrings:Postgres"] = postgres,
            // Configured for the run, not switched off: the limiter still runs on every call.
            ["Hub:Limits:TokenLimit"] = options.RateLimit.ToString(CultureInfo.InvariantCulture),
            ["Hub:Limits:TokensPerPeriod"] = options.RateLimit.ToString(CultureInfo.InvariantCulture),
        };

        var records = options.Target is not null && postgres is null ? 0 : options.Records;
        var data = new SeedData(records, ChinaCalendar.Today(TimeProvider.System), runTag, options.RecordsPerSubject);
        var ids = Array.Empty<Guid>();
        if (postgres is not null)
        {
            Log("composing the hub in-process to migrate the database and prepare rows");
            factory = await RecordFactory.OpenAsync(settings, HubEnvironment);
            resources.Add(factory);
            Log($"seeding {records:N0} records");
            ids = await Seeder.SeedAsync(factory, postgres, data, Log);
        }

        // Before the hub process starts, so that nothing but the sealer timed here seals entries.
        var sealer = new List<ScenarioResult>();
        if (options.Runs("audit_sealer") && options.AuditRows > 0)
        {
            if (factory is not null && postgres is not null && options.Target is null)
            {
                Log($"scenario audit_sealer ({options.AuditRows / 10:N0} and {options.AuditRows:N0} audit rows)");
                var busy = await QuietMachine.WaitAsync(options.QuietLoad, options.QuietWait, Log);
                sealer.AddRange((await new AuditSealerScenario(factory, postgres, Log).RunAsync(options.AuditRows)).Select(r => Noted(r, busy)));
            }
            else
            {
                sealer.Add(ScenarioResult.NotAvailable("audit_sealer_large", "not run: it needs the database of a hub this run starts (another hub would seal meanwhile)"));
            }
        }

        var target = new HubTarget(address, new DevCertificateSet(certificatesFolder, TestCertificates.AgencyIds)) { Log = Log };
        resources.Add(target);
        RunningHub? running = null;
        if (options.Target is null)
        {
            // Ready once its start-up checks are done (every sealed value opened: a database of this size is read whole).
            var starting = Stopwatch.StartNew();
            running = await RunningHub.StartAsync((log, untilServing) => HubProcess.StartAsync(
                settings, HubEnvironment, Path.Combine(output, log), TimeSpan.FromMinutes(10), _ => target.Channel(Scenarios.Reader), untilServing));
            resources.Add(running);
            hubPid = running.Current.Pid;
            Log($"hub started as process {hubPid}, serving after {starting.Elapsed.TotalSeconds:N1} s (log: {running.Current.LogFile})");
        }

        var meter = new HubMeter(hubPid, postgres is null ? null : await PostmasterPidAsync(postgres));
        var context = new BenchContext
        {
            Options = options,
            Target = target,
            Meter = meter,
            Data = data,
            RecordIds = ids,
            Factory = factory,
            Postgres = postgres,
            Log = Log,
            RestartHub = running is null ? null : async untilServing =>
            {
                meter.KeepPeak();
                var hub = await running.RestartAsync(untilServing);
                meter.Measure(hub.Pid);
                target.ForgetTokens();
                Log($"hub started again as process {hub.Pid} (log: {hub.LogFile})");
            },
        };
        var scenarios = new Scenarios(context);
        var results = new List<ScenarioResult>();
        var seeded = ids.Length > 0;
        if (options.HubWarmup > TimeSpan.Zero)
        {
            Log($"hub warm-up ({options.HubWarmup.TotalSeconds:0} s of every unary kind, not measured)");
            await scenarios.WarmHubAsync(options.HubWarmup, seeded);
        }

        (string Name, bool NeedsSeed, Func<Task<ScenarioResult>> Run)[] plan =
        [
            ("health", false, scenarios.HealthAsync),
            ("noop", false, scenarios.NoopAsync),
            ("get", true, scenarios.GetAsync),
            ("check", true, scenarios.CheckAsync),
            ("check_16", true, scenarios.CheckLatencyAsync),
            ("check_batch", true, scenarios.CheckBatchAsync),
            ("single_insert", false, scenarios.SingleInsertAsync),
            ("ingest", false, scenarios.IngestAsync),
            ("copy_baseline", false, scenarios.CopyBaselineAsync),
            ("feed_latency", false, new FeedLatencyScenario(context).SteadyAsync),
            ("feed_live", false, new FeedLatencyScenario(context).LiveAsync),
            ("feed_fanout", false, new FeedLatencyScenario(context).FanOutAsync),
            ("feed_catchup", false, new FeedCatchUpScenario(context).RunAsync),
            ("overload", true, scenarios.OverloadAsync),
            ("hot_subject", true, scenarios.HotSubjectAsync),
            ("expiry_sweep", false, () => new ExpiryScenario(context).RunAsync(options.ExpiryRecords)),
            ("sweep_check_batch", true, new SweepCheckBatchScenario(context, scenarios).RunAsync),
        ];
        foreach (var (name, needsSeed, run) in plan)
        {
            if (!options.Runs(name))
            {
                continue;
            }

            if (needsSeed && !seeded)
            {
                results.Add(ScenarioResult.NotAvailable(name, "not run: no seeded records (give --postgres with --target)"));
                continue;
            }

            Log($"scenario {name}");
            await target.FreshenTokensAsync(TimeSpan.FromMinutes(1));
            var busy = await QuietMachine.WaitAsync(options.QuietLoad, options.QuietWait, Log);
            var result = Noted(await run(), busy);
            results.Add(result);
            Log($"  {name}: {(result.Rps is { } rps ? $"{rps:N0}/s" : "-")}, p50 {result.P50Ms:N1} ms, p99 {result.P99Ms:N1} ms, errors {result.Errors}{(result.Note is null ? "" : $" ({result.Note})")}");
        }

        results.AddRange(sealer);
        (string Fsync, string SynchronousCommit, string FullPageWrites)? durability = postgres is null ? null : await DurabilityAsync(postgres);
        var report = new Report
        {
            Records = records,
            Scenarios = results,
            ServerPeakRssMb = meter.PeakResidentBytes() / 1048576.0,
            Machine = await DescribeMachineAsync(postgres),
            Fsync = durability?.Fsync,
            HotRecords = options.HotRecords,
            SweepRecords = options.SweepRecords,
            Date = DateTimeOffset.UtcNow,
            Settings = (durability is { } d ? $"PostgreSQL fsync {d.Fsync} (synchronous_commit {d.SynchronousCommit}, full_page_writes {d.FullPageWrites}), " : "PostgreSQL settings unknown, ")
                + $"{options.RecordsPerSubject} records per subject, quiet machine: 1-min load < {options.QuietLoad:N1} (waiting at most {options.QuietWait.TotalSeconds:0} s), "
                + $"hub warm-up {options.HubWarmup.TotalSeconds:0} s, then warm-up {options.Warmup.TotalSeconds:0} s and window {options.Duration.TotalSeconds:0} s per scenario, "
                + $"{options.Channels} channels × {options.InFlightPerChannel} in flight, rate limit {options.RateLimit:N0}/s per agency, "
                + (options.Target is null ? "hub started as its own process" : $"hub at {options.Target}"),
            Compared = options.Compare is null ? null : ReadCheckP50(options.Compare),
        };
        var stem = Path.Combine(output, $"bench-{records}-{report.Date:yyyyMMdd-HHmmss}");
        await File.WriteAllTextAsync(stem + ".json", report.ToJsonText());
        var markdown = report.ToMarkdown();
        await File.WriteAllTextAsync(stem + ".md", markdown);
        Console.WriteLine(markdown);
        Log($"wrote {stem}.json and .md");
        return 0;
    }

    /// <summary>Appends to a scenario's note that the machine was not quiet when it started.</summary>
    private static ScenarioResult Noted(ScenarioResult result, string? busy) =>
        busy is null ? result : result with { Note = result.Note is null ? busy : $"{result.Note}; {busy}" };

    /// <summary>The database server's durability settings, as it runs (whoever started it).</summary>
    private static async Task<(string Fsync, string SynchronousCommit, string FullPageWrites)> DurabilityAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }

    private static (long, double)? ReadCheckP50(string file)
    {
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        var p50 = json["scenarios"]?["check"]?["p50_ms"]?.GetValue<double>();
        return p50 is { } value ? (json["records"]!.GetValue<long>(), value) : null;
    }

    /// <summary>The postmaster of a server on this machine: the parent of our own backend.</summary>
    private static async Task<int?> PostmasterPidAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        return ProcessMeter.ParentOf(backend);
    }

    private static async Task<string> DescribeMachineAsync(string? postgres)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var server = "";
        if (postgres is not null)
        {
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync();
            server = $", PostgreSQL {connection.PostgreSqlVersion}";
        }

        return $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memory:N0} GiB, "
            + $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}{server}; hub and load generator on the same cores";
    }

    /// <summary>The run's own certificates and keys, minted for it and deleted after it.</summary>
    private sealed class TemporaryFolder(string path) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    /// <summary>Everything the run started, disposed in reverse order (the hub before its database).</summary>
    private sealed class Resources : IAsyncDisposable
    {
        private readonly Stack<object> _items = new();

        public void Add(object item) => _items.Push(item);

        public async ValueTask DisposeAsync()
        {
            while (_items.TryPop(out var item))
            {
                switch (item)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync();
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
        }
    }
}
