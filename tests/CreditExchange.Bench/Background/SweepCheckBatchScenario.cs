using System.Diagnostics;
using CreditExchange.Bench.Reporting;
using CreditExchange.Bench.Seeding;
using CreditExchange.Server.Lifecycle;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Bench.Background;

/// <summary>
/// check_batch during the expiry sweep a restart runs on a large database: <see cref="BenchOptions.SweepRecords"/>
/// due records are copied in (numbered clear of expiry_sweep's), check_batch is timed without a sweep, then back to
/// back while one sweep of the hub's own <see cref="ExpirySweeper"/> expires them — composed in this process against
/// the same database, as in <see cref="ExpiryScenario"/>, so the sweep's CPU is the bench's, not the hub's.
/// </summary>
public sealed class SweepCheckBatchScenario(BenchContext context, Scenarios scenarios)
{
    /// <summary>The first due record's number: expiry_sweep's start at 0.</summary>
    private const long FirstDue = 10_000_000;

    /// <summary>Timed check_batch calls without a sweep (after one untimed call).</summary>
    private const int CallsWithout = 3;

    public async Task<ScenarioResult> RunAsync()
    {
        if (context.Factory is not { } factory || context.Postgres is null)
        {
            return ScenarioResult.NotAvailable("sweep_check_batch", "not available (no database connection string given)");
        }

        var count = context.Options.SweepRecords;
        await Seeder.CopyAsync(factory, context.Postgres, count, i => context.Data.Due(FirstDue + i), DateTimeOffset.UtcNow);
        var (call, batchNote) = scenarios.CheckBatchCall();
        await call();
        var (without, withoutCalls, withoutElapsed) = await Scenarios.TimeCallsAsync(call, calls => calls < CallsWithout);

        var sweeper = factory.Services.GetRequiredService<ExpirySweeper>();
        var before = context.Meter.Snapshot();
        var sweepClock = Stopwatch.StartNew();
        var sweep = Task.Run(async () =>
        {
            var expired = await sweeper.ExpireDueAsync();
            return (Expired: expired, Elapsed: sweepClock.Elapsed);
        });
        var (during, duringCalls, duringElapsed) = await Scenarios.TimeCallsAsync(call, calls => calls == 0 || !sweep.IsCompleted);
        var after = context.Meter.Snapshot();
        var (expired, sweepTime) = await sweep;

        var withoutP50 = without.GetValueAtPercentile(50) / 1000.0;
        var duringP50 = during.GetValueAtPercentile(50) / 1000.0;
        var note = $"{batchNote}; p50 {duringP50:N0} ms during the sweep / {withoutP50:N0} ms without = {duringP50 / withoutP50:N2}×; "
            + $"the sweep expired {expired:N0} of {count:N0} due records in {sweepTime.TotalSeconds:N1} s, run by the hub's ExpirySweeper in the bench "
            + "process against the same database (its CPU is the bench's)";
        return ScenarioResult.FromHistogram(
            "sweep_check_batch", during, duringCalls, duringCalls, duringElapsed,
            after.HubCpu - before.HubCpu, after.DatabaseCpu - before.DatabaseCpu, context.Meter.ResidentBytes(), 1, note) with
        {
            OthersCpuPct = after.OthersCpuPctSince(before),
            Errors = Math.Max(0, count - expired),
            FirstError = expired < count ? $"{count - expired:N0} due records were not expired" : null,
            Kinds = new Dictionary<string, ScenarioResult>
            {
                ["without"] = ScenarioResult.FromHistogram("without", without, withoutCalls, withoutCalls, withoutElapsed, null, null, null, 1),
            },
        };
    }
}
