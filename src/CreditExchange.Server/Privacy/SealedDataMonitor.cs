using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreditExchange.Server.Privacy;

/// <summary>
/// Opens every sealed value once at start-up (readiness waits for it), and again after any value failed to open,
/// every <see cref="RecheckInterval"/>, until they all open: the hub is not ready while a sealed value does not
/// open with the keys it holds (a key dropped too early, a running instance without the new key during rotation).
/// </summary>
public sealed class SealedDataMonitor(IServiceProvider services, PersonalDataProtector protector, SealedDataStatus status, ILogger<SealedDataMonitor> logger)
    : BackgroundService
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(15);

    private readonly TimeProvider _wallClock = TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seen = -1L;
        while (!stoppingToken.IsCancellationRequested)
        {
            var failures = status.Failures;
            if (failures != seen || status.Problem is not null)
            {
                try
                {
                    var check = await SealedData.OpenAllAsync(services, protector, stoppingToken);
                    var problem = check.Describe();
                    if (problem is null)
                    {
                        Log.SealedDataReadable(logger, check.Opened);
                    }
                    else
                    {
                        Log.SealedDataUnreadable(logger, problem);
                    }

                    status.Checked(problem);
                    seen = status.Failures;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database is unavailable: readiness says so already; check again later.
                    seen = -1;
                }
            }

            try
            {
                await Task.Delay(status.Problem is null ? TimeSpan.FromSeconds(1) : RecheckInterval, _wallClock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>Ready only while every sealed value opens with the keys held (see <see cref="SealedDataStatus"/>).</summary>
public sealed class SealedDataHealthCheck(SealedDataStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Problem is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy());
}
