using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CreditExchange.Server.Telemetry;

/// <summary>
/// The hub's own metrics (meter <see cref="MeterName"/>), exported over OTLP when configured and as
/// Prometheus text on the management port. Labels are method names, agency ids, status codes and
/// outcomes only: never a subject's identifier or name.
/// </summary>
public sealed class HubMetrics
{
    public const string MeterName = "CreditExchange.Hub";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;
    private readonly Histogram<long> _batchSize;
    private readonly Counter<long> _submissions;
    private readonly Histogram<double> _auditWrite;
    private readonly Histogram<double> _sealLag;
    private readonly Counter<long> _rateLimited;
    private readonly UpDownCounter<long> _feedSubscribers;
    private readonly Histogram<double> _feedLag;

    /// <summary>Buckets of call and audit-write durations, in seconds: a millisecond scale up to 10 s, so a p99 can be read.</summary>
    public static readonly IReadOnlyList<double> CallBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Buckets of lags (feed delivery, audit sealing), in seconds: from 10 ms to 5 minutes.</summary>
    public static readonly IReadOnlyList<double> LagBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

    /// <summary>Buckets of batch sizes, in items.</summary>
    public static readonly IReadOnlyList<long> BatchBuckets = [1, 10, 50, 100, 250, 500, 1000, 5000];

    public HubMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("creditexchange.rpc.calls", "{call}", "Finished calls to CreditExchange methods, by method, agency and gRPC status code.");
        _callDuration = meter.CreateHistogram("creditexchange.rpc.duration", "s", "Duration of calls to CreditExchange methods, by method, agency and gRPC status code.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
        _batchSize = meter.CreateHistogram("creditexchange.submissions.batch_size", "{item}", "Items in one SubmitRecords stream.", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });
        _submissions = meter.CreateCounter<long>("creditexchange.submissions", "{record}", "Submitted records by outcome: accepted, duplicate, conflict, rejected.");
        _auditWrite = meter.CreateHistogram("creditexchange.audit.write.duration", "s", "Time to commit one audit entry.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
        _sealLag = meter.CreateHistogram("creditexchange.audit.seal.lag", "s", "Time from an audit entry's writing to its sealing into the hash chain.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        _rateLimited = meter.CreateCounter<long>("creditexchange.rate_limit.refusals", "{call}", "Calls refused by the per-agency rate limit, by agency.");

        _feedSubscribers = meter.CreateUpDownCounter<long>("creditexchange.feed.subscribers", "{stream}", "Open FeedService.Subscribe streams, by agency.");
        _feedLag = meter.CreateHistogram("creditexchange.feed.lag", "s", "Age of a feed event when delivered: from its commit to its write to the subscriber.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
    }

    /// <summary>A feed stream opened (+1) or closed (-1).</summary>
    public void FeedSubscribers(string agency, int delta) => _feedSubscribers.Add(delta, new KeyValuePair<string, object?>("agency", agency));

    public void FeedDelivered(TimeSpan age) => _feedLag.Record(Math.Max(0, age.TotalSeconds));

    public void CallFinished(string method, string agency, int statusCode, TimeSpan duration)
    {
        var tags = new TagList { { "rpc.method", method }, { "agency", agency }, { "rpc.grpc.status_code", statusCode } };
        _calls.Add(1, tags);
        _callDuration.Record(duration.TotalSeconds, tags);
    }

    public void BatchReceived(int items) => _batchSize.Record(items);

    /// <summary><paramref name="outcome"/>: accepted, duplicate, conflict or rejected.</summary>
    public void Submission(string outcome, int count = 1)
    {
        if (count > 0)
        {
            _submissions.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void AuditWritten(TimeSpan duration) => _auditWrite.Record(duration.TotalSeconds);

    public void AuditSealed(TimeSpan lag) => _sealLag.Record(Math.Max(0, lag.TotalSeconds));

    public void RateLimited(string agency) => _rateLimited.Add(1, new KeyValuePair<string, object?>("agency", agency));
}
