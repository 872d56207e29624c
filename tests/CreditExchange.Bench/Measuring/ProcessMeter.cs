using System.Globalization;

namespace CreditExchange.Bench.Measuring;

/// <summary>
/// CPU time and resident memory of a process, read from Linux <c>/proc</c> (so it works for any process of the
/// machine, not only children). CPU times are in USER_HZ clock ticks, which Linux fixes at 100 per second for /proc.
/// </summary>
public static class ProcessMeter
{
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU time of the process so far; with <paramref name="reapedChildren"/> also that of its waited-for children.</summary>
    public static TimeSpan? CpuTime(int pid, bool reapedChildren = false)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return null;
        }

        // After "pid (comm)": state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (reapedChildren)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>
    /// Busy CPU time of the whole machine, all cores (the first line of /proc/stat: user, nice, system, irq, softirq
    /// and steal; not idle or iowait), or null off Linux.
    /// </summary>
    public static TimeSpan? MachineBusyTime()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest time is inside user).
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The 1-minute load average (/proc/loadavg), or null off Linux.</summary>
    public static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Current resident set size in bytes (VmRSS).</summary>
    public static long? ResidentBytes(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>Peak resident set size since the process started, in bytes (VmHWM).</summary>
    public static long? PeakResidentBytes(int pid) => StatusKilobytes(pid, "VmHWM:") * 1024;

    /// <summary>The parent process id.</summary>
    public static int? ParentOf(int pid) =>
        StatFields(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// CPU time of a PostgreSQL server: the postmaster, every live backend and background process, and every child it
    /// has already reaped (a backend whose connection closed).
    /// </summary>
    public static TimeSpan? PostgresCpuTime(int postmasterPid)
    {
        var total = CpuTime(postmasterPid, reapedChildren: true);
        if (total is null)
        {
            return null;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == postmasterPid)
            {
                continue;
            }

            var fields = StatFields(pid);
            if (fields is not null && fields[1] == postmasterPid.ToString(CultureInfo.InvariantCulture))
            {
                total += CpuTime(pid) ?? TimeSpan.Zero;
            }
        }

        return total;
    }

    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may itself hold spaces or parentheses: split after the last ')'.
            var close = stat.LastIndexOf(')');
            return close < 0 ? null : stat[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? StatusKilobytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var value = line[field.Length..].Trim();
                    return long.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
