using System.Diagnostics;

namespace CreditExchange.Bench.Measuring;

/// <summary>
/// Reads the hub's and its database's resource use, when they run on this machine: the hub by its process id, the
/// database by its postmaster's. Either may be unknown (a remote hub or server); then its figures are left out.
/// </summary>
public sealed class HubMeter(int? hubPid, int? postmasterPid)
{
    private long _earlierPeak;

    /// <summary>The hub process measured now (a restart changes it).</summary>
    public int? HubPid { get; private set; } = hubPid;

    public int? PostmasterPid { get; } = postmasterPid;

    /// <summary>Keeps the hub's peak so far, to count in <see cref="PeakResidentBytes"/> once another process is measured: before it ends.</summary>
    public void KeepPeak() => _earlierPeak = PeakResidentBytes() ?? _earlierPeak;

    /// <summary>Measures <paramref name="pid"/> from now on, the hub started again. CPU snapshots across a restart do not compare.</summary>
    public void Measure(int pid) => HubPid = pid;

    public MeterSnapshot Snapshot() => new(
        HubPid is { } hub ? ProcessMeter.CpuTime(hub) : null,
        PostmasterPid is { } postmaster ? ProcessMeter.PostgresCpuTime(postmaster) : null,
        ProcessMeter.MachineBusyTime(),
        ProcessMeter.CpuTime(Environment.ProcessId),
        Stopwatch.GetTimestamp());

    public long? ResidentBytes() => HubPid is { } pid ? ProcessMeter.ResidentBytes(pid) : null;

    /// <summary>The highest resident memory of the hub over the run, of every process it ran as.</summary>
    public long? PeakResidentBytes() => HubPid is { } pid && ProcessMeter.PeakResidentBytes(pid) is { } peak ? Math.Max(peak, _earlierPeak) : null;
}

/// <summary>CPU times read at one instant: the hub's, the database's, the whole machine's busy time and this process's own.</summary>
public sealed record MeterSnapshot(TimeSpan? HubCpu, TimeSpan? DatabaseCpu, TimeSpan? MachineBusy, TimeSpan? OwnCpu, long Timestamp)
{
    /// <summary>
    /// The CPU used since <paramref name="before"/> by every process but the hub, PostgreSQL and this one (the machine's
    /// busy time, interrupts included, minus theirs), in % of all cores over the same wall time; null when the hub
    /// or the database is not measured here, since their CPU could not be told apart.
    /// </summary>
    public double? OthersCpuPctSince(MeterSnapshot before)
    {
        var others = MachineBusy - before.MachineBusy - (HubCpu - before.HubCpu) - (DatabaseCpu - before.DatabaseCpu) - (OwnCpu - before.OwnCpu);
        var wall = Stopwatch.GetElapsedTime(before.Timestamp, Timestamp) * Environment.ProcessorCount;
        return others is { } o && wall > TimeSpan.Zero ? Math.Max(0, o / wall * 100) : null;
    }
}
