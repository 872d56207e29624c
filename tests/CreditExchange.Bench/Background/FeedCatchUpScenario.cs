using System.Diagnostics;
using CreditExchange.Bench.Reporting;
using CreditExchange.Bench.Seeding;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Records.V1;
using Grpc.Core;
using Npgsql;

namespace CreditExchange.Bench.Background;

/// <summary>
/// One stream catching up: a department's system that subscribes from sequence 0 and reads the whole feed
/// (<see cref="BenchOptions.FeedCatchUpEvents"/>, 100,000 events at least) as the regional platform, which sees every
/// record's events. When the feed holds fewer, the shortfall is copied in first as hub-prepared rows (binary COPY) and
/// numbered by the hub's publisher before the clock starts. Timed from the Subscribe call to the event at the head
/// measured before it; items/s = events delivered per second; hub CPU per event.
/// </summary>
public sealed class FeedCatchUpScenario(BenchContext context)
{
    private static readonly TimeSpan NumberingTimeout = TimeSpan.FromMinutes(5);

    public async Task<ScenarioResult> RunAsync()
    {
        if (context.Factory is not { } factory || context.Postgres is null)
        {
            return ScenarioResult.NotAvailable("feed_catchup", "not available (no database connection string given)");
        }

        var want = context.Options.FeedCatchUpEvents;
        var head = await HeadAsync();
        if (head < want)
        {
            var count = (int)(want - head);
            context.Log($"  copying {count:N0} records (the feed holds {head:N0} events, the scenario reads {want:N0})");
            var now = DateTimeOffset.UtcNow;
            var rows = factory.Prepare(Enumerable.Range(0, count)
                .Select(i => (context.NextFresh(), Scenarios.Writer, now + TimeSpan.FromTicks(i * 10)))
                .ToList<(SubmitRecordRequest, string, DateTimeOffset)>());
            await using (var copier = await RecordCopier.OpenAsync(context.Postgres, factory.Model))
            {
                await copier.WriteAsync(rows);
                await copier.CompleteAsync();
            }
        }

        // Everything written is numbered before the clock starts: this measures reading, not numbering.
        var numbering = Stopwatch.StartNew();
        while (await PendingAsync() > 0 && numbering.Elapsed < NumberingTimeout)
        {
            await Task.Delay(250);
        }

        await Seeder.VacuumAnalyzeAsync(context.Postgres);
        head = await HeadAsync();
        context.Log($"  the feed holds {head:N0} numbered events (numbered in {numbering.Elapsed.TotalSeconds:N1} s)");

        var feed = new FeedService.FeedServiceClient(context.Target.Channel(Scenarios.Reader));
        var headers = await context.Target.HeadersAsync(Scenarios.Reader);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var before = context.Meter.Snapshot();
        var clock = Stopwatch.StartNew();
        long events = 0, last = 0, outOfOrder = 0;
        TimeSpan? firstEvent = null;
        using (var stream = feed.Subscribe(new SubscribeRequest { AfterSequence = 0, HeartbeatSeconds = 300 }, headers, cancellationToken: stop.Token))
        {
            try
            {
                await foreach (var message in stream.ResponseStream.ReadAllAsync(stop.Token))
                {
                    if (message.Event is not { } e)
                    {
                        continue;
                    }

                    firstEvent ??= clock.Elapsed;
                    events++;
                    outOfOrder += e.Sequence <= last ? 1 : 0;
                    last = e.Sequence;
                    if (last >= head)
                    {
                        break;
                    }
                }
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
            }
        }

        var elapsed = clock.Elapsed;
        var after = context.Meter.Snapshot();
        return new ScenarioResult
        {
            Name = "feed_catchup",
            Note = $"one Subscribe stream from sequence 0 to the head ({head:N0}); items/s = events/s; p50 = first event, p99 = whole read",
            InFlight = 1,
            Calls = 1,
            Items = events,
            Rps = events / elapsed.TotalSeconds,
            P50Ms = (firstEvent ?? elapsed).TotalMilliseconds,
            P99Ms = elapsed.TotalMilliseconds,
            HubCpuUsPerItem = events > 0 ? (after.HubCpu - before.HubCpu)?.TotalMicroseconds / events : null,
            DbCpuUsPerItem = events > 0 ? (after.DatabaseCpu - before.DatabaseCpu)?.TotalMicroseconds / events : null,
            HubPeakRssMb = context.Meter.ResidentBytes() / 1048576.0,
            OthersCpuPct = after.OthersCpuPctSince(before),
            Errors = (last < head ? 1 : 0) + outOfOrder,
            FirstError = last < head ? $"the stream ended at sequence {last:N0} of {head:N0}" : outOfOrder > 0 ? $"{outOfOrder} events out of order" : null,
        };
    }

    private async Task<long> HeadAsync() => await ScalarAsync("SELECT coalesce(max(\"FeedPosition\"), 0) FROM record_events");

    private async Task<long> PendingAsync() => await ScalarAsync("SELECT count(*) FROM record_events WHERE \"FeedPosition\" IS NULL");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(context.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
