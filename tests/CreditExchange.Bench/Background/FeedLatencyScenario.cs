using System.Collections.Concurrent;
using System.Diagnostics;
using CreditExchange.Bench.Load;
using CreditExchange.Bench.Reporting;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Records.V1;
using Grpc.Core;
using Npgsql;

namespace CreditExchange.Bench.Background;

/// <summary>
/// Acknowledged submission → arrival at a live follower: one FeedService.Subscribe stream (from now) of the regional
/// platform, which sees every record's events, and unary SubmitRecord calls started at a fixed rate (an open loop:
/// a slow answer does not slow the writers down, up to <see cref="MaxInFlight"/> calls in flight). For each fresh
/// record the time its answer came back and the time its event arrived on the stream are taken on the same clock;
/// the latency is the difference (an event is numbered only after its transaction committed, so it cannot precede
/// the answer by more than the answer's own way back; such a case counts as 0).
/// <list type="bullet">
/// <item><c>feed_latency</c>: a steady 160 writes/s, the latency a department sees on an ordinary day;</item>
/// <item><c>feed_live</c>: <see cref="BenchOptions.FeedWriteRate"/> (1,000) writes/s, whether one follower keeps pace
/// with a busy hub;</item>
/// <item><c>feed_fanout</c>: 160 writes/s while <see cref="FanOutFollowers"/> streams follow the feed (each on its own
/// connection, as the departments' systems would), the latency taken at the one opened last.</item>
/// </list>
/// </summary>
public sealed class FeedLatencyScenario(BenchContext context)
{
    private const int MaxInFlight = 256;

    /// <summary>How long the feed may take to number what an earlier scenario wrote (the COPY baseline's 100,000 events).</summary>
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(3);

    /// <summary>How often the pacer starts the calls that fell due since its last turn.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    public Task<ScenarioResult> SteadyAsync() => RunAsync("feed_latency", 160);

    public Task<ScenarioResult> LiveAsync() => RunAsync("feed_live", context.Options.FeedWriteRate);

    public Task<ScenarioResult> FanOutAsync() => RunAsync("feed_fanout", 160, FanOutFollowers);

    /// <summary>The streams of <c>feed_fanout</c>.</summary>
    private const int FanOutFollowers = 64;

    private async Task<ScenarioResult> RunAsync(string name, int rate, int followers = 1)
    {
        var writer = Scenarios.Writer;
        await WaitForFeedToCatchUpAsync();
        var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var arrived = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var others = new List<Task>();
        for (var i = 1; i < followers; i++)
        {
            others.Add(await FollowAsync(null, stop.Token));
        }

        var reader = await FollowAsync((e, at) => arrived.TryAdd(e.RecordId, at), stop.Token);

        // Several channels, so that the writers' calls do not queue behind one connection's stream limit.
        var clients = Enumerable.Range(0, context.Options.Channels)
            .Select(_ => new RecordService.RecordServiceClient(context.Target.Channel(writer)))
            .ToArray();
        var headers = await context.Target.HeadersAsync(writer);
        long window = long.MaxValue;
        var errors = 0L;
        var started = 0L;
        using var slots = new SemaphoreSlim(MaxInFlight);
        using var pace = new CancellationTokenSource();
        var calls = new ConcurrentDictionary<Task, byte>();
        var pacer = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            while (!pace.IsCancellationRequested)
            {
                var due = (long)(clock.Elapsed.TotalSeconds * rate);
                while (Interlocked.Read(ref started) < due && !pace.IsCancellationRequested)
                {
                    await slots.WaitAsync(pace.Token).ConfigureAwait(false);
                    var n = Interlocked.Increment(ref started);
                    var call = SubmitAsync(clients[n % clients.Length]);
                    calls.TryAdd(call, 0);
                    _ = call.ContinueWith(t => calls.TryRemove(t, out _), TaskScheduler.Default);
                }

                await Task.Delay(Tick, pace.Token).ConfigureAwait(false);
            }
        });

        async Task SubmitAsync(RecordService.RecordServiceClient client)
        {
            try
            {
                var response = await client.SubmitRecordAsync(context.NextFresh(), headers, DateTime.UtcNow.AddMinutes(1));
                var now = Stopwatch.GetTimestamp();
                if (now <= Volatile.Read(ref window))
                {
                    acknowledged.TryAdd(response.Record.RecordId, now);
                }
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref errors);
            }
            finally
            {
                slots.Release();
            }
        }

        await Task.Delay(context.Options.Warmup);
        acknowledged.Clear();
        var startedBefore = Interlocked.Read(ref started);
        var before = context.Meter.Snapshot();
        var measuring = Stopwatch.StartNew();
        await Task.Delay(context.Options.Duration);
        Volatile.Write(ref window, Stopwatch.GetTimestamp());
        var measured = measuring.Elapsed;
        var after = context.Meter.Snapshot();
        var startedInWindow = Interlocked.Read(ref started) - startedBefore;

        // Stop starting calls; the last answers and the last events of the window still arrive (for at most 5 s).
        await pace.CancelAsync();
        await pacer.ContinueWith(_ => { }, TaskScheduler.Default);
        await Task.WhenAll(calls.Keys).ContinueWith(_ => { }, TaskScheduler.Default);
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < TimeSpan.FromSeconds(5) && acknowledged.Keys.Any(id => !arrived.ContainsKey(id)))
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await reader;
        await Task.WhenAll(others);
        var latency = KindResult.NewHistogram();
        var missing = 0;
        foreach (var (id, ackAt) in acknowledged)
        {
            if (arrived.TryGetValue(id, out var at))
            {
                latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(ackAt, Math.Max(at, ackAt)).TotalMicroseconds));
            }
            else
            {
                missing++;
            }
        }

        var achieved = acknowledged.Count / measured.TotalSeconds;
        return ScenarioResult.FromHistogram(
            name, latency, acknowledged.Count, latency.TotalCount, measured, after.HubCpu - before.HubCpu, after.DatabaseCpu - before.DatabaseCpu,
            context.Meter.ResidentBytes(), MaxInFlight,
            (followers > 1 ? $"{followers} Subscribe streams on their own connections, latency at the last opened; " : "")
            + $"SubmitRecord answered → event on a live Subscribe stream; writes started at {rate:N0}/s ({startedInWindow / measured.TotalSeconds:N0}/s started, "
            + $"{achieved:N0}/s acknowledged in the window); items/s = events; hub CPU per event includes its submission"
            + (missing > 0 ? $"; {missing:N0} acknowledged records had not arrived when the stream was closed" : "")) with
        {
            Errors = errors + missing,
            OthersCpuPct = after.OthersCpuPctSince(before),
        };
    }

    /// <summary>
    /// Opens a stream from now on a connection of its own and, once its opening heartbeat has arrived, answers the task
    /// that reads it until <paramref name="stop"/>, telling <paramref name="arrived"/> of each event and when it came.
    /// </summary>
    private async Task<Task> FollowAsync(Action<FeedEvent, long>? arrived, CancellationToken stop)
    {
        var feed = new FeedService.FeedServiceClient(context.Target.Channel(Scenarios.Reader));
        var headers = await context.Target.HeadersAsync(Scenarios.Reader);
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            try
            {
                using var stream = feed.Subscribe(new SubscribeRequest { FromNow = true, HeartbeatSeconds = 1 }, headers, cancellationToken: stop);
                await foreach (var message in stream.ResponseStream.ReadAllAsync(stop))
                {
                    var now = Stopwatch.GetTimestamp();
                    subscribed.TrySetResult(); // the first message is the stream's opening heartbeat
                    if (message.Event is { } e)
                    {
                        arrived?.Invoke(e, now);
                    }
                }
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        return reader;
    }

    /// <summary>Waits until the publisher has numbered the events earlier scenarios wrote, so that they do not queue before ours.</summary>
    private async Task WaitForFeedToCatchUpAsync()
    {
        if (context.Postgres is null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(context.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM record_events WHERE \"FeedPosition\" IS NULL", connection);
        while ((long)(await command.ExecuteScalarAsync())! > 0 && clock.Elapsed < CatchUpTimeout)
        {
            await Task.Delay(500);
        }

        context.Log($"  feed caught up after {clock.Elapsed.TotalSeconds:N1} s");
    }
}
