using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CreditExchange.Bench.Reporting;

/// <summary>The results of a run: the Markdown tables it prints and the JSON it writes (the shape issue 14 asks for, with more fields), judged against issue 24's targets.</summary>
public sealed class Report
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public required long Records { get; init; }

    public required IReadOnlyList<ScenarioResult> Scenarios { get; init; }

    public double? ServerPeakRssMb { get; init; }

    public required string Machine { get; init; }

    /// <summary>PostgreSQL's fsync setting during the run ("on" or "off"), when its database was reachable.</summary>
    public string? Fsync { get; init; }

    public required DateTimeOffset Date { get; init; }

    /// <summary>Settings of the run worth reading the figures with (duration, in flight, rate limit...).</summary>
    public required string Settings { get; init; }

    /// <summary>Records of the hot_subject scenario's one subject (the target is stated at 5,000).</summary>
    public int HotRecords { get; init; } = 5_000;

    /// <summary>Due records of the sweep_check_batch scenario's sweep (the target is stated at 70,000).</summary>
    public int SweepRecords { get; init; } = 70_000;

    /// <summary>Check latency of an earlier run to compare with (e.g. the same hub at 10,000 records).</summary>
    public (long Records, double CheckP50Ms)? Compared { get; init; }

    public ScenarioResult? this[string name] => Scenarios.FirstOrDefault(s => s.Name == name);

    public JsonObject ToJson()
    {
        var scenarios = new JsonObject();
        foreach (var s in Scenarios)
        {
            scenarios[s.Name] = ScenarioJson(s);
        }

        if (this["overload"] is { Kinds: { } kinds } overload)
        {
            var node = scenarios["overload"]!.AsObject();
            node["p99_ms"] = kinds.Values.Max(k => k.P99Ms);
            node["p99_ms_all_calls"] = overload.P99Ms;
            node["health_p99_ms"] = kinds.GetValueOrDefault("health")?.P99Ms;
        }

        return new JsonObject
        {
            ["records"] = Records,
            ["scenarios"] = scenarios,
            ["server_peak_rss_mb"] = Round(ServerPeakRssMb),
            ["machine"] = Machine,
            ["fsync"] = Fsync,
            ["date"] = Date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["settings"] = Settings,
            ["targets"] = new JsonArray([.. Targets().Select(t => (JsonNode)new JsonObject
            {
                ["target"] = t.Target,
                ["measured"] = t.Measured,
                ["met"] = t.Met,
            })]),
        };
    }

    public string ToJsonText() => ToJson().ToJsonString(Indented);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"CreditExchange benchmark, {Records:N0} records, {Date:yyyy-MM-dd HH:mm} UTC. Machine: {Machine}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Settings: {Settings}.");
        md.AppendLine();
        md.AppendLine("| scenario | in flight | calls | items/s | p50 ms | p99 ms | hub CPU µs/item | DB CPU µs/item | errors | hub RSS MB | others' CPU % | note |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var s in Scenarios)
        {
            Row(md, s.Name, s);
            foreach (var (kind, k) in s.Kinds ?? new Dictionary<string, ScenarioResult>())
            {
                Row(md, $"↳ {s.Name}/{kind}", k);
            }
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Hub peak RSS over the run: {F(ServerPeakRssMb, "N0")} MB.");
        md.AppendLine();
        md.AppendLine("| target (issue 24) | measured | met |");
        md.AppendLine("|---|---|---|");
        foreach (var (target, measured, met) in Targets())
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {measured} | {(met is null ? "n/a" : met.Value ? "yes" : "**no**")} |");
        }

        return md.ToString();
    }

    /// <summary>The targets of issue 24 that one run can judge (and older ones still worth showing), each with what was measured.</summary>
    public IEnumerable<(string Target, string Measured, bool? Met)> Targets()
    {
        var health = this["health"];
        var noop = this["noop"];
        var check = this["check"];
        yield return Ratio("noop ≥ 60% of health throughput", noop?.Rps, health?.Rps, 0.60);
        yield return Ratio("check ≥ 50% of noop throughput", check?.Rps, noop?.Rps, 0.50);
        yield return Ratio("get ≥ 60% of noop throughput", this["get"]?.Rps, noop?.Rps, 0.60);
        yield return AtLeast("single_insert ≥ 2,000 records/s", this["single_insert"]?.Rps, 2000, "/s");
        yield return Ratio("ingest ≥ 40% of copy_baseline", this["ingest"]?.Rps, this["copy_baseline"]?.Rps, 0.40);
        yield return AtMost("check p99 ≤ 10 ms at 16 in flight", this["check_16"]?.P99Ms, 10, "ms");
        yield return AtMost("check_batch (10,000) p50 ≤ 500 ms", this["check_batch"]?.P50Ms, 500, "ms");
        if (Compared is { } other && check?.P50Ms is { } p50 && other.Records != Records)
        {
            // The larger database against the smaller one, whichever run this is.
            var (large, largeP50, small, smallP50) = Records > other.Records
                ? (Records, p50, other.Records, other.CheckP50Ms)
                : (other.Records, other.CheckP50Ms, Records, p50);
            var ratio = largeP50 / smallP50;
            yield return ($"check p50 at {large:N0} ≤ 1.2 × at {small:N0}", $"{largeP50:N2} ms / {smallP50:N2} ms = {ratio:N2}×", ratio <= 1.2);
        }
        else
        {
            yield return ("check p50 at 1,000,000 ≤ 1.2 × at 10,000", "run again with --compare <json of the other size>", null);
        }

        yield return AtMost("feed_latency p99 ≤ 100 ms", this["feed_latency"]?.P99Ms, 100, "ms");
        yield return AtMost("feed_live p99 ≤ 1 s (a live follower at 1,000 writes/s)", this["feed_live"]?.P99Ms, 1000, "ms");
        var overload = this["overload"];
        var worst = overload?.Kinds?.Values.Where(k => k.P99Ms is not null).MaxBy(k => k.P99Ms);
        yield return AtMost($"overload p99 ≤ 500 ms for every kind (worst: {worst?.Name ?? "-"})", worst?.P99Ms, 500, "ms");
        yield return AtMost("overload health p99 ≤ 50 ms", overload?.Kinds?.GetValueOrDefault("health")?.P99Ms, 50, "ms");
        yield return AtMost("hub peak RSS ≤ 300 MB", ServerPeakRssMb, 300, "MB");
        yield return AtLeast("feed_catchup ≥ 5,000 events/s (one stream from 0)", this["feed_catchup"]?.Rps, 5_000, "/s");
        yield return HotSubject();
        var sweep = this["sweep_check_batch"];
        // Against the same calls on a hub as young when the scenario measured them (fresh_without), else later on the same process.
        var without = sweep?.Kinds?.GetValueOrDefault("fresh_without") ?? sweep?.Kinds?.GetValueOrDefault("without");
        yield return Ratio($"check_batch during a sweep of {SweepRecords:N0} due records ≤ 1.2× without (p50, {without?.Name ?? "without"})", sweep?.P50Ms, without?.P50Ms, 1.2, atMost: true);
        var (sealerSmall, sealerLarge) = (this["audit_sealer_small"], this["audit_sealer_large"]);
        yield return sealerSmall?.P50Ms is { } smallTick && sealerLarge?.P50Ms is { } largeTick
            ? ("audit sealer tick at the large table ≤ 1.5 × at a tenth of it",
                $"{largeTick:N2} ms / {smallTick:N2} ms = {largeTick / smallTick:N2}× (sealing {sealerSmall.Rps:N0} / {sealerLarge.Rps:N0} entries/s)",
                largeTick / smallTick <= 1.5)
            : ("audit sealer tick at 1,000,000 audit rows ≤ 1.5 × at 100,000", "not measured", null);
        yield return AtLeast("expiry sweep ≥ 10,000 records/s", this["expiry_sweep"]?.Rps, 10_000, "/s");
    }

    /// <summary>hot_subject: health, get and single_insert p99 beside the hot subject within 2× of theirs without it (all three), with the worst ratio.</summary>
    private (string, string, bool?) HotSubject()
    {
        var target = $"hot_subject ({HotRecords:N0} records): health, get, single_insert p99 within 2× of their p99 without the hot subject";
        var kinds = this["hot_subject"]?.Kinds;
        var ratios = new List<(string Kind, double Loaded, double Alone)>();
        foreach (var kind in new[] { "health", "get", "single_insert" })
        {
            if (kinds?.GetValueOrDefault(kind)?.P99Ms is not { } loaded || kinds.GetValueOrDefault("base/" + kind)?.P99Ms is not { } alone || alone <= 0)
            {
                return (target, "not measured", null);
            }

            ratios.Add((kind, loaded, alone));
        }

        var worst = ratios.MaxBy(r => r.Loaded / r.Alone);
        var ratio = worst.Loaded / worst.Alone;
        return (target, $"worst: {worst.Kind} {worst.Loaded:N1} ms / {worst.Alone:N1} ms = {ratio:N2}×", ratio <= 2);
    }

    /// <summary>value / baseline against a limit: at least it (a share, shown in %), or with <paramref name="atMost"/> at most it (a factor).</summary>
    private static (string, string, bool?) Ratio(string target, double? value, double? baseline, double limit, bool atMost = false) =>
        value is { } v && baseline is { } b && b > 0
            ? (target, atMost ? $"{v:N0} / {b:N0} = {v / b:N2}×" : $"{v:N0} / {b:N0} = {v / b:P0}", atMost ? v / b <= limit : v / b >= limit)
            : (target, "not measured", null);

    private static (string, string, bool?) AtMost(string target, double? value, double limit, string unit) =>
        value is { } v ? (target, $"{v:N1} {unit}", v <= limit) : (target, "not measured", null);

    private static (string, string, bool?) AtLeast(string target, double? value, double limit, string unit) =>
        value is { } v ? (target, $"{v:N0}{unit}", v >= limit) : (target, "not measured", null);

    private static void Row(StringBuilder md, string name, ScenarioResult s)
    {
        var errors = s.Errors == 0 ? "0" : $"{s.Errors:N0}";
        var note = string.Join("; ", new[] { s.Note, s.FirstError }.Where(n => !string.IsNullOrEmpty(n))).Replace("|", "\\|", StringComparison.Ordinal);
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {F(s.InFlight)} | {(s.Note is not null && s.Calls == 0 ? "-" : s.Calls.ToString("N0", CultureInfo.InvariantCulture))} | {F(s.Rps, s.Rps < 100 ? "N1" : "N0")} | {F(s.P50Ms, "N1")} | {F(s.P99Ms, "N1")} | {F(s.HubCpuUsPerItem, "N0")} | {F(s.DbCpuUsPerItem, "N0")} | {errors} | {F(s.HubPeakRssMb, "N0")} | {F(s.OthersCpuPct, "N1")} | {note} |");
    }

    private static string F(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string F(int? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-";

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    private static JsonObject ScenarioJson(ScenarioResult s)
    {
        var node = new JsonObject
        {
            ["rps"] = Round(s.Rps),
            ["p50_ms"] = Round(s.P50Ms),
            ["p90_ms"] = Round(s.P90Ms),
            ["p99_ms"] = Round(s.P99Ms),
            ["max_ms"] = Round(s.MaxMs),
            ["cpu_us_per_call"] = Round(s.HubCpuUsPerItem),
            ["db_cpu_us_per_call"] = Round(s.DbCpuUsPerItem),
            ["in_flight"] = s.InFlight,
            ["calls"] = s.Calls,
            ["items"] = s.Items,
            ["errors"] = s.Errors,
            ["hub_peak_rss_mb"] = Round(s.HubPeakRssMb),
            ["others_cpu_pct"] = Round(s.OthersCpuPct),
        };
        if (s.Note is not null)
        {
            node["note"] = s.Note;
        }

        if (s.FirstError is not null)
        {
            node["error_summary"] = s.FirstError;
        }

        if (s.Kinds is not null)
        {
            var kinds = new JsonObject();
            foreach (var (name, kind) in s.Kinds)
            {
                kinds[name] = ScenarioJson(kind);
            }

            node["kinds"] = kinds;
        }

        return node;
    }
}
