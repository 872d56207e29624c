using CreditExchange.Bench.Load;
using HdrHistogram;

namespace CreditExchange.Bench.Reporting;

/// <summary>The figures of one scenario (or of one kind of call inside the overload scenario).</summary>
public sealed record ScenarioResult
{
    public required string Name { get; init; }

    /// <summary>Why a scenario has no figures, or what to know when reading them.</summary>
    public string? Note { get; init; }

    public int? InFlight { get; init; }

    public long Calls { get; init; }

    /// <summary>Items carried (records for the write scenarios; calls otherwise).</summary>
    public long Items { get; init; }

    /// <summary>Items per second over the measured window.</summary>
    public double? Rps { get; init; }

    public double? P50Ms { get; init; }

    public double? P90Ms { get; init; }

    public double? P99Ms { get; init; }

    public double? MaxMs { get; init; }

    /// <summary>Hub CPU time per item, in microseconds.</summary>
    public double? HubCpuUsPerItem { get; init; }

    /// <summary>PostgreSQL CPU time per item (every server process), in microseconds.</summary>
    public double? DbCpuUsPerItem { get; init; }

    public long Errors { get; init; }

    public string? FirstError { get; init; }

    public double? HubPeakRssMb { get; init; }

    /// <summary>CPU used by processes other than the hub, PostgreSQL and the bench over the window, in % of all cores.</summary>
    public double? OthersCpuPct { get; init; }

    /// <summary>Per kind of call, for the scenarios that mix kinds.</summary>
    public IReadOnlyDictionary<string, ScenarioResult>? Kinds { get; init; }

    public static ScenarioResult NotAvailable(string name, string why) => new() { Name = name, Note = why };

    /// <summary>A one-kind load run.</summary>
    public static ScenarioResult From(LoadResult run, string? note = null) =>
        Build(run.Name, run.Kinds.Values.Single(), run) with { Note = note };

    /// <summary>A mixed load run: the figures of all kinds together (CPU per call over all calls), and each kind's own.</summary>
    public static ScenarioResult FromMixed(LoadResult run, string? note = null)
    {
        var all = new KindResult(run.Name);
        foreach (var kind in run.Kinds.Values)
        {
            all.Add(kind);
        }

        return Build(run.Name, all, run) with
        {
            Note = note,
            Kinds = run.Kinds.ToDictionary(
                k => k.Key,
                k => Build(k.Key, k.Value, run) with { InFlight = null, HubCpuUsPerItem = null, DbCpuUsPerItem = null, HubPeakRssMb = null, OthersCpuPct = null }),
        };
    }

    /// <summary>Figures from a histogram of latencies in microseconds.</summary>
    public static ScenarioResult FromHistogram(
        string name, LongHistogram latency, long calls, long items, TimeSpan measured, TimeSpan? hubCpu, TimeSpan? dbCpu, long? peakRss, int inFlight, string? note = null) =>
        new()
        {
            Name = name,
            Note = note,
            InFlight = inFlight,
            Calls = calls,
            Items = items,
            Rps = measured > TimeSpan.Zero ? items / measured.TotalSeconds : null,
            P50Ms = Percentile(latency, 50),
            P90Ms = Percentile(latency, 90),
            P99Ms = Percentile(latency, 99),
            MaxMs = latency.TotalCount == 0 ? null : latency.GetMaxValue() / 1000.0,
            HubCpuUsPerItem = PerItem(hubCpu, items),
            DbCpuUsPerItem = PerItem(dbCpu, items),
            HubPeakRssMb = peakRss / 1048576.0,
        };

    private static ScenarioResult Build(string name, KindResult kind, LoadResult run) =>
        FromHistogram(name, kind.Latency, kind.Calls, kind.Items, run.Measured, run.HubCpu, run.DatabaseCpu, run.HubPeakRssBytes, run.InFlight) with
        {
            Errors = kind.ErrorCount,
            OthersCpuPct = run.OthersCpuPct,
            FirstError = kind.ErrorCount == 0 ? null : string.Join(", ", kind.Errors.Select(e => $"{e.Key} ×{e.Value}")) + $" (first: {kind.FirstError})",
        };

    private static double? Percentile(LongHistogram latency, double percentile) =>
        latency.TotalCount == 0 ? null : latency.GetValueAtPercentile(percentile) / 1000.0;

    private static double? PerItem(TimeSpan? cpu, long items) =>
        cpu is { } c && items > 0 ? c.TotalMicroseconds / items : null;
}
