using System.Diagnostics;

namespace CreditExchange.Bench.Measuring;

/// <summary>Waits before a scenario until the machine is quiet: its 1-minute load average below a threshold, for at most a given time.</summary>
public static class QuietMachine
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>Waits and logs how long and at what load; returns what to note on the scenario when it gave up, otherwise null.</summary>
    public static async Task<string?> WaitAsync(double threshold, TimeSpan longest, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var load = ProcessMeter.LoadAverage();
        while (load >= threshold && clock.Elapsed < longest)
        {
            await Task.Delay(Poll);
            load = ProcessMeter.LoadAverage();
        }

        if (load is not { } quiet)
        {
            return null;
        }

        if (quiet < threshold)
        {
            log($"  quiet machine: 1-min load {quiet:N2} < {threshold:N2} after waiting {clock.Elapsed.TotalSeconds:N0} s");
            return null;
        }

        var busy = $"machine not quiet: 1-min load {quiet:N2} ≥ {threshold:N2} after waiting {clock.Elapsed.TotalSeconds:N0} s";
        log($"  {busy}; running anyway");
        return busy;
    }
}
