using System.Diagnostics;
using CreditExchange.Storage;

namespace CreditExchange.Server.Database;

/// <summary>What readiness says about storage: whether the database can be written now, and why not.</summary>
public sealed record StorageReport(bool Writable, string Description);

/// <summary>
/// Whether this instance can write its database, from two sources: a write probe (an upsert of the
/// instance's row in <c>storage_probes</c>, committed; at most one per <see cref="ProbeInterval"/>,
/// shared by concurrent health checks) and the outcome of the hub's own database work, observed by
/// <see cref="StorageObserver"/>. Storage is reported unwritable while the probe fails, and for
/// <see cref="FailureWindow"/> after a transient failure of real work unless a write succeeded since
/// (a small probe can succeed on a disk that real writes find full). It recovers by itself.
/// </summary>
public sealed class StorageStatus(IServiceScopeFactory scopes, ILogger<StorageStatus> logger)
{
    private readonly LoopFailures _failures = new(logger, "Storage probe");

    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan FailureWindow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly string _instance = Environment.MachineName.Length > 200 ? Environment.MachineName[..200] : Environment.MachineName;
    private long _lastFailure;
    private long _lastSuccess;
    private Task<StorageReport>? _probe;
    private long _probeStarted;
    private Task<StorageReport>? _previous;
    private long _previousStarted;

    /// <summary>Real database work failed transiently (connection refused, disk full, failover…).</summary>
    public void ReportTransientFailure() => Volatile.Write(ref _lastFailure, Stopwatch.GetTimestamp());

    /// <summary>Real database work committed a write.</summary>
    public void ReportWriteSucceeded() => Volatile.Write(ref _lastSuccess, Stopwatch.GetTimestamp());

    /// <summary>
    /// Probes (or reuses a probe younger than <see cref="ProbeInterval"/>) and judges the recent failures. While a new
    /// probe commits, callers take the previous one's answer as long as it started less than two intervals ago: a
    /// probe's commit waits for the disk, and on a busy machine every health call of that moment would wait with it.
    /// </summary>
    public async Task<StorageReport> CheckAsync(CancellationToken ct)
    {
        Task<StorageReport> probe;
        lock (_gate)
        {
            if (_probe is null || (_probe.IsCompleted && Stopwatch.GetElapsedTime(_probeStarted) >= ProbeInterval))
            {
                if (_probe is { IsCompletedSuccessfully: true })
                {
                    (_previous, _previousStarted) = (_probe, _probeStarted);
                }

                _probeStarted = Stopwatch.GetTimestamp();
                _probe = ProbeAsync();
            }

            probe = !_probe.IsCompleted && _previous is not null && Stopwatch.GetElapsedTime(_previousStarted) < 2 * ProbeInterval ? _previous : _probe;
        }

        var report = await probe.WaitAsync(ct);
        if (!report.Writable)
        {
            return report;
        }

        var failure = Volatile.Read(ref _lastFailure);
        return failure != 0 && failure > Volatile.Read(ref _lastSuccess) && Stopwatch.GetElapsedTime(failure) < FailureWindow
            ? new StorageReport(false, $"Database work failed {Stopwatch.GetElapsedTime(failure).TotalSeconds:0.0} s ago and no write has succeeded since.")
            : report;
    }

    private async Task<StorageReport> ProbeAsync()
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<StorageProbeStore>().ProbeAsync(_instance, DateTime.UtcNow, timeout.Token);
            _failures.Succeeded();
            return new StorageReport(true, "The database accepts writes.");
        }
        catch (OperationCanceledException)
        {
            return new StorageReport(false, $"The database did not commit a probe write within {ProbeTimeout.TotalSeconds:0} s.");
        }
        catch (Exception e)
        {
            _failures.Failed(e);
            var kind = StorageFailures.IsTransient(e) ? "unreachable or cannot be written" : "failing";
            return new StorageReport(false, $"The database is {kind}: the probe write failed ({e.GetType().Name}).");
        }
    }
}
