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
/// Acknowledged submission → arrival at a subscriber: one FeedService.Subscribe stream (from now) of the agency that
/// submits, and a few unary submitters at a steady pace. For each fresh record the time its SubmitRecord answer came
/// back and the time its event arrived on the stream are taken on the same clock; the latency is the difference (an
/// event is numbered only after its transaction committed, so it cannot precede the answer by more than the answer's
/// own way back; such a case counts as 0).
/// </summary>
public sealed class FeedLatencyScenario(BenchContext context)
{
    private const int Submitters = 4;

    /// <summary>Pause of each submitter between two submissions: about 4 × 40/s, a steady stream rather than a flood.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(25);

    /// <summary>How long the feed may take to number what an earlier scenario wrote (the COPY baseline's 100,000 events).</summary>
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(3);

    public async Task<ScenarioResult> RunAsync()
    {
        var writer = Scenarios.Writer;
        await WaitForFeedToCatchUpAsync();
        var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var arrived = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();

        var feed = new FeedService.FeedServiceClient(context.Target.Channel(writer));
        using var stream = feed.Subscribe(new SubscribeRequest { FromNow = true }, await context.Target.HeadersAsync(writer), cancellationToken: stop.Token);
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in stream.ResponseStream.ReadAllAsync(stop.Token))
                {
                    var now = Stopwatch.GetTimestamp();
                    subscribed.TrySetResult(); // the first message is the stream's opening heartbeat
                    if (message.Event is { } e)
                    {
                        arrived.TryAdd(e.RecordId, now);
                    }
                }
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
            }
        });
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var records = new RecordService.RecordServiceClient(context.Target.Channel(writer));
        long window = long.MaxValue;
        var errors = 0L;
        var submitters = Enumerable.Range(0, Submitters).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var response = await records.SubmitRecordAsync(context.NextFresh(), await context.Target.HeadersAsync(writer), DateTime.UtcNow.AddMinutes(1));
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

                await Task.Delay(Pace);
            }
        })).ToList();

        await Task.Delay(context.Options.Warmup);
        acknowledged.Clear();
        var before = context.Meter.Snapshot();
        var clock = Stopwatch.StartNew();
        await Task.Delay(context.Options.Duration);
        Volatile.Write(ref window, Stopwatch.GetTimestamp());
        var measured = clock.Elapsed;
        var after = context.Meter.Snapshot();
        stop.CancelAfter(TimeSpan.FromSeconds(5)); // the last events of the window still arrive
        await Task.WhenAll(submitters);
        await reader;

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

        return ScenarioResult.FromHistogram(
            "feed_latency", latency, acknowledged.Count, latency.TotalCount, measured, after.HubCpu - before.HubCpu, after.DatabaseCpu - before.DatabaseCpu,
            context.Meter.ResidentBytes(), Submitters,
            $"SubmitRecord answered → event on a Subscribe stream; {Submitters} submitters at a steady pace; items/s = events; hub CPU per event includes its submission"
            + (missing > 0 ? $"; {missing:N0} acknowledged records did not arrive within 5 s of the window's end" : "")) with
        {
            Errors = errors + missing,
        };
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
