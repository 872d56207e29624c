using System.CommandLine;
using CreditExchange.Bench;

var defaults = new BenchOptions();
var records = new Option<long>("--records") { Description = "Records seeded before the scenarios run.", DefaultValueFactory = _ => defaults.Records };
var perSubject = new Option<int>("--records-per-subject") { Description = "Seeded records per subject (production has about 20).", DefaultValueFactory = _ => defaults.RecordsPerSubject };
var fsync = new Option<string>("--fsync") { Description = "PostgreSQL's fsync, synchronous_commit and full_page_writes: on (its defaults, as production runs it) or off (fast, not durable).", DefaultValueFactory = _ => "on" };
fsync.AcceptOnlyFromAmong("on", "off");
var duration = new Option<double>("--duration") { Description = "Measured seconds of each scenario.", DefaultValueFactory = _ => defaults.Duration.TotalSeconds };
var warmup = new Option<double>("--warmup") { Description = "Warm-up seconds before each scenario, not measured.", DefaultValueFactory = _ => defaults.Warmup.TotalSeconds };
var hubWarmup = new Option<double>("--hub-warmup") { Description = "Seconds of unmeasured load of every unary kind before the first scenario (the hub's JIT settles).", DefaultValueFactory = _ => defaults.HubWarmup.TotalSeconds };
var channels = new Option<int>("--channels") { Description = "Channels (HTTP/2 connections) per scenario.", DefaultValueFactory = _ => defaults.Channels };
var inFlight = new Option<int>("--in-flight") { Description = "Calls in flight per channel.", DefaultValueFactory = _ => defaults.InFlightPerChannel };
var batchCalls = new Option<int>("--batch-calls") { Description = "Measured CheckCandidates calls of 10,000 candidates.", DefaultValueFactory = _ => defaults.BatchCalls };
var copyRecords = new Option<int>("--copy-records") { Description = "Records of the raw COPY baseline (default: 10% of --records, 20,000–100,000)." };
var overloadClients = new Option<int>("--overload-clients") { Description = "Concurrent clients of the overload scenario.", DefaultValueFactory = _ => defaults.OverloadClients };
var auditRows = new Option<long>("--audit-rows") { Description = "Audit rows the sealer is timed at (and at a tenth of them); 0 skips it.", DefaultValueFactory = _ => defaults.AuditRows };
var expiryRecords = new Option<int>("--expiry-records") { Description = "Due records of the expiry sweep scenario.", DefaultValueFactory = _ => defaults.ExpiryRecords };
var sweepRecords = new Option<int>("--sweep-records") { Description = "Due records the sweep of sweep_check_batch expires while check_batch runs.", DefaultValueFactory = _ => defaults.SweepRecords };
var hotRecords = new Option<int>("--hot-records") { Description = "Records of the one subject of hot_subject.", DefaultValueFactory = _ => defaults.HotRecords };
var quietLoad = new Option<double>("--quiet-load") { Description = "Before each scenario, wait until the 1-minute load average is below this (default: half the cores).", DefaultValueFactory = _ => defaults.QuietLoad };
var quietWait = new Option<double>("--quiet-wait") { Description = "Longest wait in seconds for a quiet machine before each scenario (then it runs anyway, noted); 0 does not wait.", DefaultValueFactory = _ => defaults.QuietWait.TotalSeconds };
var feedRate = new Option<int>("--feed-rate") { Description = "Writes per second of the feed_live scenario.", DefaultValueFactory = _ => defaults.FeedWriteRate };
var catchUpEvents = new Option<int>("--catchup-events") { Description = "Events the feed_catchup stream reads from sequence 0.", DefaultValueFactory = _ => defaults.FeedCatchUpEvents };
var rateLimit = new Option<int>("--rate-limit") { Description = "Per-agency rate limit configured on the hub for the run (burst and calls/s).", DefaultValueFactory = _ => defaults.RateLimit };
var only = new Option<string[]>("--scenarios") { Description = "Run only these scenarios (audit_sealer health noop get check check_16 check_batch single_insert ingest copy_baseline feed_latency feed_live feed_fanout feed_catchup overload hot_subject expiry_sweep sweep_check_batch).", AllowMultipleArgumentsPerToken = true };
var output = new Option<string>("--out") { Description = "Folder for the JSON and Markdown results and the hub log.", DefaultValueFactory = _ => defaults.OutputFolder };
var target = new Option<string?>("--target") { Description = "Measure a running hub at this address instead of starting one." };
var certs = new Option<string?>("--certs") { Description = "With --target: the hub's development certificate folder (Hub:Tls:DevCertificatesFolder, e.g. certs-dev)." };
var hubPid = new Option<int?>("--hub-pid") { Description = "With --target: the hub's process id, for its CPU time and memory." };
var postgres = new Option<string?>("--postgres") { Description = "With --target: the hub's database (Npgsql connection string), for seeding and the COPY baseline." };
var compare = new Option<string?>("--compare") { Description = "JSON of an earlier run (e.g. at 10,000 records) to compare check p50 with." };

var root = new RootCommand(
    "Benchmarks the CreditExchange hub: starts PostgreSQL and the hub (or targets a running one), seeds records, "
    + "runs the scenarios of issues 14 and 24, prints a Markdown table and writes JSON.")
{
    records, perSubject, fsync, duration, warmup, hubWarmup, channels, inFlight, batchCalls, copyRecords, overloadClients, auditRows, expiryRecords, sweepRecords, hotRecords, quietLoad, quietWait, feedRate, catchUpEvents, rateLimit, only, output, target, certs, hubPid, postgres, compare,
};
root.SetAction(async (parse, _) => await BenchRun.RunAsync(new BenchOptions
{
    Records = parse.GetValue(records),
    RecordsPerSubject = parse.GetValue(perSubject),
    Fsync = parse.GetValue(fsync) == "on",
    Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
    Warmup = TimeSpan.FromSeconds(parse.GetValue(warmup)),
    HubWarmup = TimeSpan.FromSeconds(parse.GetValue(hubWarmup)),
    Channels = parse.GetValue(channels),
    InFlightPerChannel = parse.GetValue(inFlight),
    BatchCalls = parse.GetValue(batchCalls),
    CopyRecords = parse.GetValue(copyRecords),
    OverloadClients = parse.GetValue(overloadClients),
    AuditRows = parse.GetValue(auditRows),
    ExpiryRecords = parse.GetValue(expiryRecords),
    SweepRecords = parse.GetValue(sweepRecords),
    HotRecords = parse.GetValue(hotRecords),
    QuietLoad = parse.GetValue(quietLoad),
    QuietWait = TimeSpan.FromSeconds(parse.GetValue(quietWait)),
    FeedWriteRate = parse.GetValue(feedRate),
    FeedCatchUpEvents = parse.GetValue(catchUpEvents),
    RateLimit = parse.GetValue(rateLimit),
    Only = parse.GetValue(only) is { Length: > 0 } names ? names.ToHashSet(StringComparer.Ordinal) : null,
    OutputFolder = parse.GetValue(output)!,
    Target = parse.GetValue(target) is { } address ? new Uri(address) : null,
    CertificatesFolder = parse.GetValue(certs),
    HubPid = parse.GetValue(hubPid),
    Postgres = parse.GetValue(postgres),
    Compare = parse.GetValue(compare),
}));

// The client side of tests/scale-out.sh: submissions through a load balancer while hubs and the database fail over.
var driveTarget = new Option<string>("--target") { Description = "Address to submit through (e.g. the load balancer).", Required = true };
var driveCerts = new Option<string>("--certs") { Description = "The hubs' development certificate folder.", Required = true };
var driveDuration = new Option<double>("--duration") { Description = "Seconds to keep submitting.", DefaultValueFactory = _ => 60 };
var driveClients = new Option<int>("--clients") { Description = "Concurrent clients, each on its own connection.", DefaultValueFactory = _ => 8 };
var driveAcks = new Option<string>("--acks") { Description = "File of acknowledged submissions (unix ms, source id, record id, new|duplicate).", Required = true };
var driveErrors = new Option<string>("--errors") { Description = "File of failed attempts (unix ms, status, reason, source id, attempt, detail).", Required = true };
var drive = new Command("drive", "Submits fresh records continuously and logs every acknowledgement and every failure.")
{
    driveTarget, driveCerts, driveDuration, driveClients, driveAcks, driveErrors,
};
drive.SetAction(async (parse, _) => await CreditExchange.Bench.Load.SubmissionDriver.RunAsync(
    new Uri(parse.GetValue(driveTarget)!),
    parse.GetValue(driveCerts)!,
    TimeSpan.FromSeconds(parse.GetValue(driveDuration)),
    parse.GetValue(driveClients),
    parse.GetValue(driveAcks)!,
    parse.GetValue(driveErrors)!));
root.Subcommands.Add(drive);

// The feed side of tests/scale-out.sh: a subscriber on one hub that resumes on the next after its last sequence.
var followTargets = new Option<string[]>("--target") { Description = "Hub addresses, called directly; the first is subscribed to first, the next after each stream end or failure.", Required = true, AllowMultipleArgumentsPerToken = true };
var followCerts = new Option<string>("--certs") { Description = "The hubs' development certificate folder.", Required = true };
var followAgency = new Option<string>("--agency") { Description = "The subscribing agency (scope feed.read; one with query rights sees every record's events).", DefaultValueFactory = _ => CreditExchange.Bench.Scenarios.Reader };
var followDuration = new Option<double>("--duration") { Description = "Longest run in seconds; SIGTERM or SIGINT ends it earlier.", DefaultValueFactory = _ => 600 };
var followEvents = new Option<string>("--events") { Description = "File of received events (unix ms, sequence, record id, change, hub host:port).", Required = true };
var followLog = new Option<string>("--log") { Description = "File of stream starts, ends and failures (unix ms, what, hub host:port, status, reason, detail).", Required = true };
var followReady = new Option<string?>("--ready") { Description = "File written (with the starting sequence) once the first stream has started." };
var follow = new Command("follow", "Follows the feed from now, resuming on the next hub after the last sequence received, and logs every event.")
{
    followTargets, followCerts, followAgency, followDuration, followEvents, followLog, followReady,
};
follow.SetAction(async (parse, _) => await CreditExchange.Bench.Load.FeedFollowDriver.RunAsync(
    parse.GetValue(followTargets)!.Select(a => new Uri(a)).ToList(),
    parse.GetValue(followCerts)!,
    parse.GetValue(followAgency)!,
    TimeSpan.FromSeconds(parse.GetValue(followDuration)),
    parse.GetValue(followEvents)!,
    parse.GetValue(followLog)!,
    parse.GetValue(followReady)));
root.Subcommands.Add(follow);

// The public site's list page from its local mirror (issue 27): no hub, no PostgreSQL.
var siteRecords = new Option<int>("--records") { Description = "Published records seeded into the mirror.", DefaultValueFactory = _ => 100_000 };
var siteDuration = new Option<double>("--duration") { Description = "Seconds of requests per query.", DefaultValueFactory = _ => 5 };
var siteOutput = new Option<string>("--out") { Description = "Folder for the Markdown result.", DefaultValueFactory = _ => defaults.OutputFolder };
var site = new Command("public-site", "Times the public site's list page rendered from a local mirror of published records (target p95 < 100 ms).")
{
    siteRecords, siteDuration, siteOutput,
};
site.SetAction(async (parse, _) => await CreditExchange.Bench.PublicSite.ListPageBench.RunAsync(
    parse.GetValue(siteRecords), TimeSpan.FromSeconds(parse.GetValue(siteDuration)), parse.GetValue(siteOutput)!));
root.Subcommands.Add(site);
return await root.Parse(args).InvokeAsync();
