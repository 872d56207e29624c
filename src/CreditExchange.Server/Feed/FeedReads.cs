using System.Diagnostics;
using System.Diagnostics.Metrics;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Feed;

/// <summary>A read of the feed: the numbered events after a sequence, the records they are about, and the bidding blacklist entries the others are about. Shared by streams: never changed once read.</summary>
public sealed record FeedBatch(
    IReadOnlyList<RecordEventEntity> Events, IReadOnlyDictionary<Guid, RecordEntity> Records, IReadOnlyDictionary<Guid, BlacklistEntryEntity> Entries);

/// <summary>
/// One read for the streams that ask the same question at the same moment. After a publication every stream at the
/// head wakes and asks for the events after the same sequence; the first reads, the others take its answer, so that a
/// publication costs the database one read however many streams follow the feed (what each stream keeps of it, and
/// the audit entry of what it delivered, stay its own). A stream shares a read only when it is as fresh as one of its
/// own would be: the read started while the stream's wake-up (<see cref="FeedSignal.Next"/>, taken before it reads) was
/// still the current one, so it sees every event announced before the stream looked; and, once finished, only until
/// <see cref="FeedOptions.PublishInterval"/> (at most half the poll) after it started, so that a stream woken by the poll, not by an
/// announcement, reads for itself. Counted as <c>creditexchange.feed.reads</c>, tagged shared or not.
/// </summary>
public sealed class FeedReads
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeSpan _shareFor;
    private readonly CancellationToken _stopping;
    private readonly Counter<long> _reads;
    private readonly Lock _lock = new();
    private readonly Dictionary<(long After, int Limit), Shared> _shared = [];

    public FeedReads(IServiceScopeFactory scopes, IOptions<FeedOptions> options, IHostApplicationLifetime lifetime, IMeterFactory meters)
    {
        _scopes = scopes;
        var o = options.Value;
        _shareFor = o.PublishInterval < o.PollInterval / 2 ? o.PublishInterval : o.PollInterval / 2;
        _stopping = lifetime.ApplicationStopping;
        _reads = meters.Create(Telemetry.HubMetrics.MeterName).CreateCounter<long>(
            "creditexchange.feed.reads", "{read}", "Reads of the feed by Subscribe streams; shared=true: the stream took the answer of another stream's read of the same moment.");
    }

    /// <summary>
    /// Up to <paramref name="limit"/> events after <paramref name="after"/>, read by this call or by another of the same
    /// moment; <paramref name="wake"/> is the stream's wake-up, taken from <see cref="FeedSignal.Next"/> before the call.
    /// </summary>
    public Task<FeedBatch> ReadAsync(long after, int limit, Task wake, CancellationToken ct)
    {
        Shared read;
        var shared = true;
        lock (_lock)
        {
            if (!_shared.TryGetValue((after, limit), out read!) || !read.Serves(wake, _shareFor))
            {
                Forget();
                read = new Shared(wake, Stopwatch.GetTimestamp(), ReadCoreAsync(after, limit, _stopping));
                _shared[(after, limit)] = read;
                shared = false;
            }
        }

        _reads.Add(1, new KeyValuePair<string, object?>("shared", shared));
        return read.Batch.WaitAsync(ct);
    }

    /// <summary>Drops the reads no stream can share any more (called under the lock).</summary>
    private void Forget()
    {
        foreach (var (key, read) in _shared)
        {
            if (read.Batch.IsCompleted && Stopwatch.GetElapsedTime(read.Started) >= _shareFor)
            {
                _shared.Remove(key);
            }
        }
    }

    private async Task<FeedBatch> ReadCoreAsync(long after, int limit, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<FeedStore>();
        var events = await store.ReadAfterAsync(after, limit, ct);
        var records = events.Count == 0 ? [] : await store.RecordsAsync(events.Select(e => e.RecordId).Distinct().ToList(), ct);
        var others = events.Select(e => e.RecordId).Where(id => !records.ContainsKey(id)).Distinct().ToList();
        var entries = others.Count == 0 ? [] : await scope.ServiceProvider.GetRequiredService<BlacklistStore>().EntriesAsync(others, ct);
        return new FeedBatch(events, records, entries);
    }

    /// <summary>A read, the wake-up that was current when it started, and when it started.</summary>
    private sealed record Shared(Task Wake, long Started, Task<FeedBatch> Batch)
    {
        /// <summary>Whether a stream whose wake-up is <paramref name="wake"/> may take this read's answer.</summary>
        public bool Serves(Task wake, TimeSpan shareFor) =>
            ReferenceEquals(wake, Wake)
            && !Batch.IsFaulted && !Batch.IsCanceled
            && (!Batch.IsCompleted || Stopwatch.GetElapsedTime(Started) < shareFor);
    }
}
