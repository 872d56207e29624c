namespace CreditExchange.Bench;

/// <summary>What one run measures and against which hub.</summary>
public sealed record BenchOptions
{
    /// <summary>Records seeded before the scenarios run.</summary>
    public long Records { get; init; } = 1_000_000;

    /// <summary>Seeded records per subject (production has about 20).</summary>
    public int RecordsPerSubject { get; init; } = 20;

    /// <summary>PostgreSQL with fsync, synchronous_commit and full_page_writes on (its defaults, as production runs it); false switches them off.</summary>
    public bool Fsync { get; init; } = true;

    /// <summary>Measured window of each timed scenario.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Warm-up before each scenario's window, thrown away.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Unmeasured load of every unary kind once, before the first scenario, so that the hub's JIT has settled.</summary>
    public TimeSpan HubWarmup { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Channels (HTTP/2 connections) of the ordinary scenarios.</summary>
    public int Channels { get; init; } = 4;

    /// <summary>Calls in flight on each channel.</summary>
    public int InFlightPerChannel { get; init; } = 16;

    /// <summary>Calls in flight of the latency-bound check (the target is stated at 16).</summary>
    public int CheckLatencyInFlight { get; init; } = 16;

    /// <summary>Candidates per CheckCandidates call.</summary>
    public int BatchCandidates { get; init; } = 10_000;

    /// <summary>Measured CheckCandidates calls (after one warm-up call).</summary>
    public int BatchCalls { get; init; } = 5;

    /// <summary>Items per SubmitRecords stream (the hub's Hub:MaxBatchItems, 1,000 by default).</summary>
    public int IngestBatch { get; init; } = 1_000;

    /// <summary>SubmitRecords streams in flight.</summary>
    public int IngestStreams { get; init; } = 4;

    /// <summary>Records of the raw COPY baseline; 0 picks 10% of the seeded records, between 20,000 and 100,000.</summary>
    public int CopyRecords { get; init; }

    /// <summary>Concurrent clients of the overload scenario, each on its own connection.</summary>
    public int OverloadClients { get; init; } = 200;

    /// <summary>Audit rows the sealer is measured at (and at a tenth of it); 0 skips the measurement.</summary>
    public long AuditRows { get; init; } = 1_000_000;

    /// <summary>Due records of the expiry sweep scenario.</summary>
    public int ExpiryRecords { get; init; } = 20_000;

    /// <summary>Due records the expiry sweep of the sweep_check_batch scenario expires while check_batch runs.</summary>
    public int SweepRecords { get; init; } = 70_000;

    /// <summary>Records of the one subject of the hot_subject scenario.</summary>
    public int HotRecords { get; init; } = 5_000;

    /// <summary>Each scenario waits until the 1-minute load average is below this (default: half the cores).</summary>
    public double QuietLoad { get; init; } = Environment.ProcessorCount / 2.0;

    /// <summary>Longest wait for a quiet machine before a scenario (then it runs anyway, and its note says so).</summary>
    public TimeSpan QuietWait { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Writes per second started during the feed_live scenario (an open loop of unary submissions).</summary>
    public int FeedWriteRate { get; init; } = 1_000;

    /// <summary>Events the feed_catchup stream reads from sequence 0 (copied in first when the feed holds fewer).</summary>
    public int FeedCatchUpEvents { get; init; } = 100_000;

    /// <summary>Per-agency rate limit configured for the run (burst and calls per second), so that the load measures the hub and not its limiter.</summary>
    public int RateLimit { get; init; } = 1_000_000;

    /// <summary>Scenarios to run (null: all).</summary>
    public IReadOnlySet<string>? Only { get; init; }

    /// <summary>Folder the JSON and Markdown results and the hub's log are written to.</summary>
    public string OutputFolder { get; init; } = Path.Combine("TestResults", "bench");

    /// <summary>A running hub to measure instead of starting one (then <see cref="CertificatesFolder"/> is required).</summary>
    public Uri? Target { get; init; }

    /// <summary>The development certificate folder of the targeted hub (its <c>Hub:Tls:DevCertificatesFolder</c>, e.g. certs-dev).</summary>
    public string? CertificatesFolder { get; init; }

    /// <summary>The targeted hub's process id, for its CPU time and memory (same machine only).</summary>
    public int? HubPid { get; init; }

    /// <summary>Npgsql connection string of the targeted hub's database, for seeding and the COPY baseline.</summary>
    public string? Postgres { get; init; }

    /// <summary>A previous run's JSON to compare check latency with (e.g. the same run at 10,000 records).</summary>
    public string? Compare { get; init; }

    public bool Runs(string scenario) => Only is null || Only.Contains(scenario);

    public int EffectiveCopyRecords => CopyRecords > 0 ? CopyRecords : (int)Math.Clamp(Records / 10, 20_000, 100_000);
}
