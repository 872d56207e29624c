using System.Diagnostics;
using CreditExchange.Bench.Measuring;
using Grpc.Core;
using HdrHistogram;

namespace CreditExchange.Bench.Load;

/// <summary>One caller loop: a kind of call, made again as soon as the previous one answered.</summary>
/// <param name="Kind">Name the results are grouped by.</param>
/// <param name="Call">Makes one call; returns how many items it carried (1 for a unary call, the batch size for a batch).</param>
public sealed record Worker(string Kind, Func<CancellationToken, Task<int>> Call);

/// <summary>What one kind of call did inside the measured window.</summary>
public sealed class KindResult(string kind)
{
    public string Kind { get; } = kind;

    /// <summary>Latencies of successful calls, in microseconds.</summary>
    public LongHistogram Latency { get; } = NewHistogram();

    public long Calls { get; set; }

    public long Items { get; set; }

    public SortedDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public string? FirstError { get; set; }

    public long ErrorCount => Errors.Values.Sum();

    /// <summary>Adds what <paramref name="other"/> counted to this result.</summary>
    public void Add(KindResult other)
    {
        Latency.Add(other.Latency);
        Calls += other.Calls;
        Items += other.Items;
        FirstError ??= other.FirstError;
        foreach (var (code, count) in other.Errors)
        {
            Errors[code] = Errors.GetValueOrDefault(code) + count;
        }
    }

    public static LongHistogram NewHistogram() => new(TimeSpan.FromHours(1).Ticks / 10, 3);
}

/// <summary>All kinds of one load run, with the hub's and the database's CPU time over the same window.</summary>
public sealed class LoadResult
{
    public required string Name { get; init; }

    public required int InFlight { get; init; }

    public required TimeSpan Measured { get; init; }

    public required IReadOnlyDictionary<string, KindResult> Kinds { get; init; }

    public TimeSpan? HubCpu { get; init; }

    public TimeSpan? DatabaseCpu { get; init; }

    /// <summary>CPU used by other processes over the window, in % of all cores (<see cref="MeterSnapshot.OthersCpuPctSince"/>).</summary>
    public double? OthersCpuPct { get; init; }

    /// <summary>Largest hub resident set seen during the run (sampled every 200 ms).</summary>
    public long? HubPeakRssBytes { get; init; }

    public long TotalCalls => Kinds.Values.Sum(k => k.Calls);
}

/// <summary>
/// Closed-loop load: every worker makes its next call as soon as the previous one answers, so the number of calls in
/// flight is the number of workers. A warm-up period is run and thrown away; then the calls that end inside the
/// measured window count (throughput is completions per second, as the hub sees it), and the hub's CPU time is read
/// at the window's two ends.
/// </summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(
        string name, IReadOnlyList<Worker> workers, TimeSpan warmup, TimeSpan duration, HubMeter meter)
    {
        long measureStart = long.MaxValue, measureEnd = long.MaxValue;
        using var stop = new CancellationTokenSource();
        var perWorker = workers.Select(w => new KindResult(w.Kind)).ToArray();
        var tasks = workers.Select((worker, i) => Task.Run(() => LoopAsync(worker, perWorker[i]))).ToArray();

        long? peakRss = null;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (meter.ResidentBytes() is { } rss)
                {
                    peakRss = Math.Max(peakRss ?? 0, rss);
                }

                try
                {
                    await Task.Delay(200, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        await Task.Delay(warmup);
        var before = meter.Snapshot();
        Volatile.Write(ref measureStart, Stopwatch.GetTimestamp());
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measureEnd, Stopwatch.GetTimestamp());
        var measured = clock.Elapsed;
        var after = meter.Snapshot();
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        await sampler;

        var kinds = new SortedDictionary<string, KindResult>(StringComparer.Ordinal);
        foreach (var result in perWorker)
        {
            if (!kinds.TryGetValue(result.Kind, out var total))
            {
                total = kinds[result.Kind] = new KindResult(result.Kind);
            }

            total.Add(result);
        }

        return new LoadResult
        {
            Name = name,
            InFlight = workers.Count,
            Measured = measured,
            Kinds = kinds,
            HubCpu = after.HubCpu - before.HubCpu,
            DatabaseCpu = after.DatabaseCpu - before.DatabaseCpu,
            OthersCpuPct = after.OthersCpuPctSince(before),
            HubPeakRssBytes = peakRss,
        };

        async Task LoopAsync(Worker worker, KindResult result)
        {
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                int items = 0;
                string? error = null;
                try
                {
                    items = await worker.Call(CancellationToken.None);
                }
                catch (RpcException e)
                {
                    error = e.StatusCode.ToString();
                    result.FirstError ??= $"{e.StatusCode}: {e.Status.Detail}";
                }
                catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
                {
                    error = e.GetType().Name;
                    result.FirstError ??= $"{e.GetType().Name}: {e.Message}";
                }

                var end = Stopwatch.GetTimestamp();
                if (end < Volatile.Read(ref measureStart) || end > Volatile.Read(ref measureEnd))
                {
                    continue;
                }

                result.Calls++;
                if (error is null)
                {
                    result.Items += items;
                    result.Latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(start, end).TotalMicroseconds));
                }
                else
                {
                    result.Errors[error] = result.Errors.GetValueOrDefault(error) + 1;
                }
            }
        }
    }
}
