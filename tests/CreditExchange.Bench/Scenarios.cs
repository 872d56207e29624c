using System.Diagnostics;
using CreditExchange.Bench.Load;
using CreditExchange.Bench.Measuring;
using CreditExchange.Bench.Reporting;
using CreditExchange.Bench.Seeding;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using HdrHistogram;

namespace CreditExchange.Bench;

/// <summary>What the scenarios share: the hub, its meter, the seeded data and how to make more.</summary>
public sealed class BenchContext
{
    private long _fresh;

    public required BenchOptions Options { get; init; }

    public required HubTarget Target { get; init; }

    public required HubMeter Meter { get; init; }

    public required SeedData Data { get; init; }

    /// <summary>Ids of the seeded records, by record index.</summary>
    public required Guid[] RecordIds { get; init; }

    /// <summary>Makes hub-prepared rows for the COPY baseline; null when the database is not reachable from here.</summary>
    public RecordFactory? Factory { get; init; }

    public string? Postgres { get; init; }

    public required Action<string> Log { get; init; }

    /// <summary>
    /// Kills the hub process this run started and starts it again with the same settings, measured from then on; waits until
    /// it is SERVING, or, when given false, until it answers at all. Null when the run did not start the hub.
    /// </summary>
    public Func<bool, Task>? RestartHub { get; init; }

    /// <summary>The next fresh submission (a new source id about a new subject).</summary>
    public SubmitRecordRequest NextFresh() => Data.Fresh(Interlocked.Increment(ref _fresh));
}

/// <summary>
/// The scenarios of issues 14 and 24. Reads go to the regional platform's (DRC's) view, which may query every agency's
/// records; writes come from the court. Each unary scenario runs <c>channels × in-flight</c> closed-loop callers.
/// </summary>
public sealed class Scenarios(BenchContext context)
{
    /// <summary>The agency that reads and checks: the regional credit platform.</summary>
    public const string Reader = "drc";

    /// <summary>The agency that submits the fresh records (judicial judgments about government bodies).</summary>
    public const string Writer = "court";

    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(60);

    /// <summary>An orchestrator's liveness probe gives up after this long.</summary>
    private static readonly TimeSpan ProbeDeadline = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan IngestMinimumWindow = TimeSpan.FromSeconds(15);

    /// <summary>Calls in flight of each ordinary kind beside the hot subject (each kind on a channel of its own).</summary>
    private const int HotSideInFlight = 4;

    /// <summary>Calls in flight of each of the hot subject's two kinds (check and credit file): 16 together.</summary>
    private const int HotInFlight = 8;

    /// <summary>Entries per GetCreditFile page of the hot subject: the service's maximum.</summary>
    private const int CreditFilePageSize = 500;

    private static readonly Purpose Purpose = new() { AppraisalType = AppraisalType.Honors, CaseReference = "内组评〔2026〕7号" };

    private BenchOptions Options => context.Options;

    /// <summary>grpc.health.v1 Check: certificate only, no token, no audit (the hub's answer includes a database ping).</summary>
    public Task<ScenarioResult> HealthAsync() =>
        RunUnaryAsync("health", null, Options.Channels, Options.InFlightPerChannel, HealthCall, "Health/Check pings the database on every call");

    /// <summary>ReceiptService.GetReceiptKeys: the cheapest token-authenticated, audited call; the hub's own per-call floor.</summary>
    public Task<ScenarioResult> NoopAsync() =>
        RunUnaryAsync("noop", Reader, Options.Channels, Options.InFlightPerChannel, NoopCall);

    /// <summary>RecordService.GetRecord of a random seeded record.</summary>
    public Task<ScenarioResult> GetAsync() =>
        RunUnaryAsync("get", Reader, Options.Channels, Options.InFlightPerChannel, GetCall);

    /// <summary>AppraisalService.CheckCandidate of a random seeded subject, at full load.</summary>
    public Task<ScenarioResult> CheckAsync() =>
        RunUnaryAsync("check", Reader, Options.Channels, Options.InFlightPerChannel, CheckCall);

    /// <summary>The same check at the in-flight count the latency target is stated at.</summary>
    public Task<ScenarioResult> CheckLatencyAsync()
    {
        var channels = Math.Min(Options.Channels, Options.CheckLatencyInFlight);
        return RunUnaryAsync(
            "check_16", Reader, channels, Math.Max(1, Options.CheckLatencyInFlight / channels), CheckCall,
            $"CheckCandidate at {Options.CheckLatencyInFlight} in flight");
    }

    /// <summary>AppraisalService.CheckCandidates of distinct random seeded subjects, one call at a time.</summary>
    public async Task<ScenarioResult> CheckBatchAsync()
    {
        var (call, note) = CheckBatchCall();
        await call();
        var before = context.Meter.Snapshot();
        var (latency, calls, elapsed) = await TimeCallsAsync(call, n => n < Options.BatchCalls);
        var after = context.Meter.Snapshot();
        return ScenarioResult.FromHistogram(
            "check_batch", latency, calls, calls, elapsed,
            after.HubCpu - before.HubCpu, after.DatabaseCpu - before.DatabaseCpu, context.Meter.ResidentBytes(), 1, note) with
        {
            OthersCpuPct = after.OthersCpuPctSince(before),
        };
    }

    /// <summary>Times calls one after the other while <paramref name="more"/> says so (given the calls made so far).</summary>
    public static async Task<(LongHistogram Latency, int Calls, TimeSpan Elapsed)> TimeCallsAsync(Func<Task> call, Func<int, bool> more)
    {
        var latency = KindResult.NewHistogram();
        var clock = Stopwatch.StartNew();
        var calls = 0;
        for (; more(calls); calls++)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            latency.RecordValue((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        return (latency, calls, clock.Elapsed);
    }

    /// <summary>
    /// One CheckCandidates call of <see cref="BenchOptions.BatchCandidates"/> candidates: distinct random seeded
    /// subjects, and never-seeded ones when the database has fewer subjects; with what to note about them.
    /// </summary>
    public (Func<Task> Call, string Note) CheckBatchCall()
    {
        var client = new AppraisalService.AppraisalServiceClient(context.Target.Channel(Reader));
        var seeded = (int)Math.Min(Options.BatchCandidates, context.Data.Subjects);
        var note = seeded < Options.BatchCandidates
            ? $"{Options.BatchCandidates:N0} candidates, {seeded:N0} of them seeded (the database has no more subjects)"
            : $"{Options.BatchCandidates:N0} seeded candidates per call";
        return (CallAsync, note);

        async Task CallAsync()
        {
            var request = new CheckCandidatesRequest { Purpose = Purpose };
            var subjects = new HashSet<long>();
            while (subjects.Count < seeded)
            {
                subjects.Add(Random.Shared.NextInt64(context.Data.Subjects));
            }

            request.Subjects.AddRange(subjects.Select(SeedData.Key));
            for (var i = seeded; i < Options.BatchCandidates; i++)
            {
                request.Subjects.Add(SeedData.Key(context.Data.Unseeded(i)));
            }

            var response = await client.CheckCandidatesAsync(request, await context.Target.HeadersAsync(Reader), DateTime.UtcNow.AddMinutes(5));
            if (response.Results.Count != Options.BatchCandidates)
            {
                throw new InvalidOperationException($"CheckCandidates answered {response.Results.Count} results for {Options.BatchCandidates} candidates.");
            }
        }
    }

    /// <summary>RecordService.SubmitRecord of fresh records, unary.</summary>
    public Task<ScenarioResult> SingleInsertAsync() =>
        RunUnaryAsync("single_insert", Writer, Options.Channels, Options.InFlightPerChannel, SubmitCall);

    /// <summary>RecordService.SubmitRecords: client-streamed batches of fresh records, several streams at once.</summary>
    public async Task<ScenarioResult> IngestAsync()
    {
        var workers = new List<Worker>();
        for (var i = 0; i < Options.IngestStreams; i++)
        {
            var client = new RecordService.RecordServiceClient(context.Target.Channel(Writer));
            workers.Add(new Worker("ingest", async ct =>
            {
                using var call = client.SubmitRecords(await context.Target.HeadersAsync(Writer), DateTime.UtcNow.AddMinutes(5), ct);
                for (var n = 0; n < Options.IngestBatch; n++)
                {
                    await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = context.NextFresh() }, ct);
                }

                await call.RequestStream.CompleteAsync();
                var response = await call;
                if (response.RejectedCount > 0)
                {
                    var error = response.Results.First(r => r.Error is not null).Error;
                    throw new InvalidOperationException($"{response.RejectedCount} items refused, e.g. {error.Reason}: {error.Message}");
                }

                return response.AcceptedCount;
            }));
        }

        // A batch of 1,000 takes seconds at today's rates: give the window room for several rounds of every stream.
        var window = Options.Duration < IngestMinimumWindow ? IngestMinimumWindow : Options.Duration;
        var run = await LoadRunner.RunAsync("ingest", workers, Options.Warmup, window, context.Meter);
        return ScenarioResult.From(run, $"{Options.IngestStreams} streams × {Options.IngestBatch:N0} records; rps = records/s, CPU per record, latency per batch");
    }

    /// <summary>
    /// Raw binary COPY of hub-prepared rows of fresh records into the same three tables the hub writes (records,
    /// record_versions, record_events), without the hub: the database's own write ceiling for these rows.
    /// Preparing the rows (encryption, hashing) is not timed.
    /// </summary>
    public async Task<ScenarioResult> CopyBaselineAsync()
    {
        if (context.Factory is null || context.Postgres is null)
        {
            return ScenarioResult.NotAvailable("copy_baseline", "not available (no database connection string given)");
        }

        var count = Options.EffectiveCopyRecords;
        var now = DateTimeOffset.UtcNow;
        var items = Enumerable.Range(0, count)
            .Select(i => (context.NextFresh(), Writer, now + TimeSpan.FromTicks(i * 10)))
            .ToList();
        var rows = context.Factory.Prepare(items);
        var before = context.Meter.Snapshot();
        var clock = Stopwatch.StartNew();
        await using (var copier = await RecordCopier.OpenAsync(context.Postgres, context.Factory.Model))
        {
            await copier.WriteAsync(rows);
            await copier.CompleteAsync();
        }

        var elapsed = clock.Elapsed;
        var after = context.Meter.Snapshot();
        return new ScenarioResult
        {
            Name = "copy_baseline",
            Note = $"{count:N0} records = {rows.Records.Count + rows.Versions.Count + rows.Events.Count:N0} rows in 3 tables, 3 COPY streams; rps = records/s",
            InFlight = 3,
            Calls = 3,
            Items = count,
            Rps = count / elapsed.TotalSeconds,
            P50Ms = elapsed.TotalMilliseconds,
            P99Ms = elapsed.TotalMilliseconds,
            DbCpuUsPerItem = (after.DatabaseCpu - before.DatabaseCpu)?.TotalMicroseconds / count,
            OthersCpuPct = after.OthersCpuPctSince(before),
        };
    }

    /// <summary>
    /// Many clients at once, each on its own connection, in equal shares of health probes (with an orchestrator's
    /// 5 s deadline), noop, get, check and unary submissions.
    /// </summary>
    public async Task<ScenarioResult> OverloadAsync()
    {
        var kinds = UnaryKinds;
        var workers = new List<Worker>();
        for (var i = 0; i < Options.OverloadClients; i++)
        {
            var (kind, agency, make, _) = kinds[i % kinds.Length];
            workers.Add(new Worker(kind, make(context.Target.Channel(agency ?? Reader), agency)));
        }

        var run = await LoadRunner.RunAsync("overload", workers, Options.Warmup, Options.Duration, context.Meter);
        return ScenarioResult.FromMixed(run, $"{Options.OverloadClients} clients on their own connections, {Options.OverloadClients / kinds.Length} per kind");
    }

    /// <summary>
    /// One subject with <see cref="BenchOptions.HotRecords"/> records, copied in first (decided within the last 60
    /// days, so none expires): health, get and single_insert at a modest load, each kind on its own channel, first
    /// alone (kinds <c>base/…</c>), then while CheckCandidate (<c>hot_check</c>) and one GetCreditFile page
    /// (<c>hot_file</c>) of that subject run beside them. The scenario's own row is the loaded window's.
    /// </summary>
    public async Task<ScenarioResult> HotSubjectAsync()
    {
        if (context.Factory is null || context.Postgres is null)
        {
            return ScenarioResult.NotAvailable("hot_subject", "not available (no database connection string given)");
        }

        await Seeder.CopyAsync(context.Factory, context.Postgres, Options.HotRecords, context.Data.Hot, DateTimeOffset.UtcNow);
        var hot = SeedData.Key(context.Data.HotSubject);
        var baseline = await LoadRunner.RunAsync("hot_subject baseline", SideWorkers("base/"), Options.Warmup, Options.Duration, context.Meter);
        var checkChannel = context.Target.Channel(Reader);
        var fileChannel = context.Target.Channel(Reader);
        List<Worker> workers =
        [
            .. SideWorkers(""),
            .. Enumerable.Range(0, HotInFlight).Select(_ => new Worker("hot_check", CheckCall(checkChannel, Reader, () => hot))),
            .. Enumerable.Range(0, HotInFlight).Select(_ => new Worker("hot_file", CreditFileCall(fileChannel, hot))),
        ];
        var loaded = ScenarioResult.FromMixed(
            await LoadRunner.RunAsync("hot_subject", workers, Options.Warmup, Options.Duration, context.Meter),
            $"one subject with {Options.HotRecords:N0} records; health, get, single_insert at {HotSideInFlight} in flight each, alone (base/) "
            + $"and beside hot_check and hot_file (pages of {CreditFilePageSize}) at {HotInFlight} each; this row: the loaded window");
        return loaded with { Kinds = ScenarioResult.FromMixed(baseline).Kinds!.Concat(loaded.Kinds!).ToDictionary() };

        List<Worker> SideWorkers(string prefix) =>
        [
            .. UnaryKinds.Where(k => k.Kind is "health" or "get" or "single_insert").SelectMany(k =>
            {
                var channel = context.Target.Channel(k.Agency ?? Reader);
                return Enumerable.Range(0, HotSideInFlight).Select(_ => new Worker(prefix + k.Kind, k.Make(channel, k.Agency)));
            }),
        ];
    }

    /// <summary>
    /// Unmeasured calls of every unary kind, one channel each at 16 in flight, so that the hub's JIT has compiled and
    /// tiered its hot paths before the first measured window (under load on two cores that takes tens of seconds).
    /// </summary>
    public async Task WarmHubAsync(TimeSpan length, bool seeded)
    {
        var workers = new List<Worker>();
        foreach (var (kind, agency, make, _) in UnaryKinds.Where(k => seeded || !k.NeedsSeed))
        {
            var channel = context.Target.Channel(agency ?? Reader);
            workers.AddRange(Enumerable.Range(0, 16).Select(_ => new Worker(kind, make(channel, agency))));
        }

        await LoadRunner.RunAsync("hub warm-up", workers, TimeSpan.Zero, length, context.Meter);
    }

    /// <summary>The unary kinds the overload scenario mixes and the warm-up runs; get and check need seeded records.</summary>
    private (string Kind, string? Agency, Func<GrpcChannel, string?, Func<CancellationToken, Task<int>>> Make, bool NeedsSeed)[] UnaryKinds =>
    [
        ("health", null, HealthCall, false),
        ("noop", Reader, NoopCall, false),
        ("get", Reader, GetCall, true),
        ("check", Reader, CheckCall, true),
        ("single_insert", Writer, SubmitCall, false),
    ];

    private async Task<ScenarioResult> RunUnaryAsync(
        string name, string? agency, int channels, int perChannel, Func<GrpcChannel, string?, Func<CancellationToken, Task<int>>> make, string? note = null)
    {
        var workers = new List<Worker>();
        for (var c = 0; c < channels; c++)
        {
            var channel = context.Target.Channel(agency ?? Reader);
            for (var i = 0; i < perChannel; i++)
            {
                workers.Add(new Worker(name, make(channel, agency)));
            }
        }

        var run = await LoadRunner.RunAsync(name, workers, Options.Warmup, Options.Duration, context.Meter);
        return ScenarioResult.From(run, note);
    }

    private Func<CancellationToken, Task<int>> HealthCall(GrpcChannel channel, string? agency)
    {
        var client = new Health.HealthClient(channel);
        return async ct =>
        {
            var reply = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(ProbeDeadline), cancellationToken: ct);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? 1
                : throw new InvalidOperationException($"health answered {reply.Status}");
        };
    }

    private Func<CancellationToken, Task<int>> NoopCall(GrpcChannel channel, string? agency)
    {
        var client = new ReceiptService.ReceiptServiceClient(channel);
        return async ct =>
        {
            await client.GetReceiptKeysAsync(new GetReceiptKeysRequest(), await context.Target.HeadersAsync(agency!), DateTime.UtcNow.Add(CallDeadline), ct);
            return 1;
        };
    }

    private Func<CancellationToken, Task<int>> GetCall(GrpcChannel channel, string? agency)
    {
        var client = new RecordService.RecordServiceClient(channel);
        return async ct =>
        {
            var id = context.RecordIds[Random.Shared.NextInt64(context.RecordIds.LongLength)];
            await client.GetRecordAsync(new GetRecordRequest { RecordId = id.ToString() }, await context.Target.HeadersAsync(agency!), DateTime.UtcNow.Add(CallDeadline), ct);
            return 1;
        };
    }

    private Func<CancellationToken, Task<int>> CheckCall(GrpcChannel channel, string? agency) =>
        CheckCall(channel, agency, () => SeedData.Key(Random.Shared.NextInt64(context.Data.Subjects)));

    private Func<CancellationToken, Task<int>> CheckCall(GrpcChannel channel, string? agency, Func<SubjectKey> subject)
    {
        var client = new AppraisalService.AppraisalServiceClient(channel);
        return async ct =>
        {
            await client.CheckCandidateAsync(
                new CheckCandidateRequest { Purpose = Purpose, Subject = subject() }, await context.Target.HeadersAsync(agency!), DateTime.UtcNow.Add(CallDeadline), ct);
            return 1;
        };
    }

    /// <summary>The first page of a subject's credit file, as the DRC reads it for one screen.</summary>
    private Func<CancellationToken, Task<int>> CreditFileCall(GrpcChannel channel, SubjectKey subject)
    {
        var client = new CreditFileService.CreditFileServiceClient(channel);
        return async ct =>
        {
            var response = await client.GetCreditFileAsync(
                new GetCreditFileRequest { Subject = subject, PageSize = CreditFilePageSize }, await context.Target.HeadersAsync(Reader), DateTime.UtcNow.Add(CallDeadline), ct);
            return response.CreditFile.Entries.Count > 0 ? 1 : throw new InvalidOperationException("the hot subject's credit file is empty");
        };
    }

    private Func<CancellationToken, Task<int>> SubmitCall(GrpcChannel channel, string? agency)
    {
        var client = new RecordService.RecordServiceClient(channel);
        return async ct =>
        {
            var response = await client.SubmitRecordAsync(context.NextFresh(), await context.Target.HeadersAsync(agency!), DateTime.UtcNow.Add(CallDeadline), ct);
            return response.Duplicate ? throw new InvalidOperationException("a fresh submission was answered as a duplicate") : 1;
        };
    }
}
