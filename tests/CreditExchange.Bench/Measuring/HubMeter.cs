namespace CreditExchange.Bench.Measuring;

/// <summary>
/// Reads the hub's and its database's resource use, when they run on this machine: the hub by its process id, the
/// database by its postmaster's. Either may be unknown (a remote hub or server); then its figures are left out.
/// </summary>
public sealed class HubMeter(int? hubPid, int? postmasterPid)
{
    public int? HubPid { get; } = hubPid;

    public int? PostmasterPid { get; } = postmasterPid;

    public (TimeSpan? HubCpu, TimeSpan? DatabaseCpu) Snapshot() => (
        HubPid is { } hub ? ProcessMeter.CpuTime(hub) : null,
        PostmasterPid is { } postmaster ? ProcessMeter.PostgresCpuTime(postmaster) : null);

    public long? ResidentBytes() => HubPid is { } pid ? ProcessMeter.ResidentBytes(pid) : null;

    public long? PeakResidentBytes() => HubPid is { } pid ? ProcessMeter.PeakResidentBytes(pid) : null;
}
