using System.Diagnostics;
using CreditExchange.Bench.Reporting;
using CreditExchange.Bench.Seeding;
using CreditExchange.Domain.Records;
using Grpc.Health.V1;
using Npgsql;

namespace CreditExchange.Bench.Background;

/// <summary>
/// check_batch during the expiry sweep a restart runs on a large database. <see cref="BenchOptions.SweepRecords"/> due
/// records are copied in (numbered clear of expiry_sweep's) while the hub runs (its hourly sweep does not come within
/// the scenario); then the hub is killed and started again, and its own start-up sweep finds them. First, to compare with
/// a process just as young, the hub is started again once with nothing due and check_batch timed from when it is ready
/// (<c>fresh_without</c>; the target's ratio is against it): a hub in its first minutes still compiles its hot paths
/// and fills its caches. Calls begin as soon
/// as the hub answers, as a client's retries would: one untimed, then check_batch back to back while the sweep runs (at
/// most <see cref="Window"/>); once the sweep is done, check_batch again on the same process, without it. The calls
/// that started before the hub was ready (SERVING: its start-up check of every sealed value, a read of the whole
/// database, still ran) are shown apart (<c>before_ready</c>); the row and its ratio are those of the calls after,
/// which only the sweep shares the database with. The sweep's progress is read from the feed events it writes.
/// </summary>
public sealed class SweepCheckBatchScenario(BenchContext context, Scenarios scenarios)
{
    /// <summary>The first due record's number: expiry_sweep's start at 0.</summary>
    private const long FirstDue = 10_000_000;

    /// <summary>Timed check_batch calls without a sweep, later on the same process.</summary>
    private const int CallsWithout = 3;

    /// <summary>Timed check_batch calls on a hub just started with nothing due.</summary>
    private const int FreshCalls = 12;

    /// <summary>How long check_batch is timed during the sweep, at most (a sweep that gives way to calls may take longer).</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(90);

    /// <summary>How long the sweep may take in all before the scenario reports the records it left.</summary>
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(20);

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    public async Task<ScenarioResult> RunAsync()
    {
        if (context.Factory is not { } factory || context.Postgres is not { } postgres || context.RestartHub is not { } restart)
        {
            return ScenarioResult.NotAvailable("sweep_check_batch", "not available (it needs the database and a hub this run started)");
        }

        // The baseline: a hub started again with nothing due, timed from when it is ready, as the calls after it below.
        var (call, batchNote) = scenarios.CheckBatchCall();
        await restart(true);
        await call();
        var (fresh, freshCalls, freshElapsed) = await Scenarios.TimeCallsAsync(call, calls => calls < FreshCalls);

        var count = context.Options.SweepRecords;
        await Seeder.CopyAsync(factory, postgres, count, i => context.Data.Due(FirstDue + i), DateTimeOffset.UtcNow);
        var head = await EventHeadAsync(postgres);

        var sinceRestart = Stopwatch.StartNew();
        await restart(false);
        var answering = sinceRestart.Elapsed;
        var serving = WhenServingAsync(sinceRestart);
        var sweep = WhenSweptAsync(postgres, head, count, sinceRestart);
        await call();

        var (starting, startingCalls, startingElapsed) = await Scenarios.TimeCallsAsync(
            call, _ => !serving.IsCompleted && !sweep.IsCompleted && sinceRestart.Elapsed - answering < Window);
        var sweepOverEarly = sweep.IsCompleted;
        var before = context.Meter.Snapshot();
        var (during, duringCalls, duringElapsed) = await Scenarios.TimeCallsAsync(
            call, calls => calls == 0 || (!sweep.IsCompleted && sinceRestart.Elapsed - answering < Window));
        var after = context.Meter.Snapshot();
        var sweptWhileTimed = await ExpiredSinceAsync(postgres, head);
        var (expired, swept) = await sweep;
        var (without, withoutCalls, withoutElapsed) = await Scenarios.TimeCallsAsync(call, calls => calls < CallsWithout);
        var ready = serving.IsCompleted ? $"SERVING after {(await serving).TotalSeconds:N1} s" : "not yet SERVING";

        var withoutP50 = without.GetValueAtPercentile(50) / 1000.0;
        var freshP50 = fresh.GetValueAtPercentile(50) / 1000.0;
        var duringP50 = during.GetValueAtPercentile(50) / 1000.0;
        var note = $"{batchNote}; p50 {duringP50:N0} ms during the sweep / {freshP50:N0} ms without it on a hub as young (fresh_without) = "
            + $"{duringP50 / freshP50:N2}×, / {withoutP50:N0} ms without it later (without) = {duringP50 / withoutP50:N2}×; "
            + $"hub killed and started again: answering after {answering.TotalSeconds:N1} s, {ready}; {startingCalls} calls before it (before_ready), "
            + $"{duringCalls} after it ({duringElapsed.TotalSeconds:N0} s), by whose end its start-up sweep had expired {sweptWhileTimed:N0} of "
            + $"{count:N0} due records, all {expired:N0} after {swept.TotalSeconds:N1} s; without: {CallsWithout} calls after the sweep, same process";
        var error = sweepOverEarly
            ? $"the sweep ended {swept.TotalSeconds:N1} s after the restart, before the hub was ready: no call after it met the sweep (give more --sweep-records)"
            : expired < count ? $"{count - expired:N0} due records were not expired within {SweepTimeout.TotalMinutes:N0} min" : null;
        return ScenarioResult.FromHistogram(
            "sweep_check_batch", during, duringCalls, duringCalls, duringElapsed,
            after.HubCpu - before.HubCpu, after.DatabaseCpu - before.DatabaseCpu, context.Meter.ResidentBytes(), 1, note) with
        {
            OthersCpuPct = after.OthersCpuPctSince(before),
            Errors = sweepOverEarly ? 1 : Math.Max(0, count - expired),
            FirstError = error,
            P50Ms = sweepOverEarly ? null : duringP50,
            Kinds = new Dictionary<string, ScenarioResult>
            {
                ["fresh_without"] = ScenarioResult.FromHistogram("fresh_without", fresh, freshCalls, freshCalls, freshElapsed, null, null, null, 1),
                ["before_ready"] = ScenarioResult.FromHistogram("before_ready", starting, startingCalls, startingCalls, startingElapsed, null, null, null, 1),
                ["without"] = ScenarioResult.FromHistogram("without", without, withoutCalls, withoutCalls, withoutElapsed, null, null, null, 1),
            },
        };
    }

    /// <summary>When the hub's health answers SERVING, measured from the restart.</summary>
    private async Task<TimeSpan> WhenServingAsync(Stopwatch sinceRestart)
    {
        var health = new Health.HealthClient(context.Target.Channel(Scenarios.Reader));
        while (true)
        {
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return sinceRestart.Elapsed;
                }
            }
            catch (Grpc.Core.RpcException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>When the sweep has expired <paramref name="count"/> records (or the timeout passed): how many, and when.</summary>
    private static async Task<(long Expired, TimeSpan At)> WhenSweptAsync(string postgres, long head, int count, Stopwatch sinceRestart)
    {
        while (true)
        {
            var expired = await ExpiredSinceAsync(postgres, head);
            if (expired >= count || sinceRestart.Elapsed > SweepTimeout)
            {
                return (expired, sinceRestart.Elapsed);
            }

            await Task.Delay(Poll);
        }
    }

    private static async Task<long> EventHeadAsync(string postgres)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT COALESCE(MAX("Sequence"), 0) FROM record_events""", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Records expired since <paramref name="head"/>: the sweep's EXPIRED events (nothing else expires records here).</summary>
    private static async Task<long> ExpiredSinceAsync(string postgres, long head)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT COUNT(*) FROM record_events WHERE "Sequence" > @head AND "Status" = @expired""", connection);
        command.Parameters.AddWithValue("head", head);
        command.Parameters.AddWithValue("expired", (int)RecordStatus.Expired);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
