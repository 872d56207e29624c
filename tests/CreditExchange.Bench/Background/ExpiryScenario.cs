using System.Diagnostics;
using CreditExchange.Bench.Reporting;
using CreditExchange.Bench.Seeding;
using CreditExchange.Server.Lifecycle;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Bench.Background;

/// <summary>
/// The expiry sweep's rate: records whose maximum disclosure period has ended are copied in as the hub would have
/// stored them (decided four years ago), then one sweep of the hub's own <see cref="ExpirySweeper"/> — composed in
/// this process with the hub's settings; the hub process sweeps only at start-up and hourly — marks them EXPIRED,
/// each with its version and feed event, and is timed. Its CPU is this process's, so only the database's is shown.
/// </summary>
public sealed class ExpiryScenario(BenchContext context)
{
    public async Task<ScenarioResult> RunAsync(int count)
    {
        if (context.Factory is not { } factory || context.Postgres is null)
        {
            return ScenarioResult.NotAvailable("expiry_sweep", "not available (no database connection string given)");
        }

        await Seeder.CopyAsync(factory, context.Postgres, count, context.Data.Due, DateTimeOffset.UtcNow);
        var sweeper = factory.Services.GetRequiredService<ExpirySweeper>();
        var before = context.Meter.Snapshot();
        var clock = Stopwatch.StartNew();
        var expired = await sweeper.ExpireDueAsync();
        var elapsed = clock.Elapsed;
        var after = context.Meter.Snapshot();
        return new ScenarioResult
        {
            Name = "expiry_sweep",
            Note = $"{count:N0} due records, one sweep by the hub's ExpirySweeper; rps = records/s; DB CPU per record",
            InFlight = 1,
            Calls = 1,
            Items = expired,
            Rps = expired / elapsed.TotalSeconds,
            P50Ms = elapsed.TotalMilliseconds,
            P99Ms = elapsed.TotalMilliseconds,
            DbCpuUsPerItem = expired > 0 ? (after.DatabaseCpu - before.DatabaseCpu)?.TotalMicroseconds / expired : null,
            OthersCpuPct = after.OthersCpuPctSince(before),
            Errors = Math.Max(0, count - expired),
            FirstError = expired < count ? $"{count - expired:N0} due records were not expired" : null,
        };
    }
}
