using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CreditExchange.Server.Feed;

/// <summary>
/// The open Subscribe streams of this instance and how far each is behind the feed's head, as the metrics
/// <c>creditexchange.feed.stream.lag</c> (seconds: 0 at the head, else how long since the stream last had read
/// everything numbered, or since it opened: an upper bound of how long a new event waits for it) and <c>creditexchange.feed.stream.behind</c> (events between its position and the head),
/// one series per stream, tagged with the agency and the stream (its subscription name, or "call-N").
/// </summary>
public sealed class FeedStreams
{
    private readonly ConcurrentDictionary<long, Stream> _open = new();
    private readonly FeedSignal _signal;
    private long _ids;

    public FeedStreams(FeedSignal signal, IMeterFactory meters)
    {
        _signal = signal;
        var meter = meters.Create(Telemetry.HubMetrics.MeterName);
        meter.CreateObservableGauge(
            "creditexchange.feed.stream.lag", () => Measure(s => s.LagSeconds(_signal.Head)), "s",
            "Per open Subscribe stream: 0 at the feed's head, else how long since it last had read everything numbered (or since it opened).");
        meter.CreateObservableGauge(
            "creditexchange.feed.stream.behind", () => Measure(s => (double)Math.Max(0, _signal.Head - s.Cursor)), "{event}",
            "Per open Subscribe stream: numbered events between its position and the feed's head.");
    }

    /// <summary>The streams open now.</summary>
    public IEnumerable<Stream> OpenStreams => _open.Values;

    /// <summary>Registers a stream at <paramref name="cursor"/>; disposing the answer ends its series.</summary>
    public Stream Open(string agency, string? subscription, long cursor)
    {
        var id = Interlocked.Increment(ref _ids);
        var stream = new Stream(this, id, agency, string.IsNullOrEmpty(subscription) ? $"call-{id}" : subscription, cursor);
        _open[id] = stream;
        return stream;
    }

    private List<Measurement<double>> Measure(Func<Stream, double> value) =>
        _open.Values.Select(s => new Measurement<double>(value(s), new("agency", s.Agency), new("stream", s.Name))).ToList();

    /// <summary>One open stream's position.</summary>
    public sealed class Stream(FeedStreams owner, long id, string agency, string name, long cursor) : IDisposable
    {
        private long _cursor = cursor;
        private long _caughtUpAt = Stopwatch.GetTimestamp();

        public string Agency { get; } = agency;

        public string Name { get; } = name;

        public long Cursor => Volatile.Read(ref _cursor);

        /// <summary>
        /// The stream has evaluated everything up to <paramref name="cursor"/>; when <paramref name="caughtUp"/>, its read
        /// (started at <paramref name="readStarted"/>, a Stopwatch timestamp) found everything numbered by then.
        /// </summary>
        public void Evaluated(long cursor, bool caughtUp, long readStarted)
        {
            Volatile.Write(ref _cursor, cursor);
            owner._signal.Raise(cursor);
            if (caughtUp)
            {
                Volatile.Write(ref _caughtUpAt, readStarted);
            }
        }

        /// <summary>0 at the head; else the time since the stream last found everything numbered (an upper bound of the oldest unread event's wait).</summary>
        public double LagSeconds(long head) =>
            Cursor >= head ? 0 : Stopwatch.GetElapsedTime(Volatile.Read(ref _caughtUpAt)).TotalSeconds;

        public void Dispose() => owner._open.TryRemove(id, out _);
    }
}
