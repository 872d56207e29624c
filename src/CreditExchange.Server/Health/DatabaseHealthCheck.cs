using CreditExchange.Server.Database;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreditExchange.Server.Health;

/// <summary>
/// The hub is stateless over its database: it serves only while the database can be written (a
/// committed probe write, and no recent transient failure of real work; see <see cref="StorageStatus"/>).
/// </summary>
public sealed class DatabaseHealthCheck(StorageStatus storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await storage.CheckAsync(cancellationToken);
        return report.Writable ? HealthCheckResult.Healthy(report.Description) : HealthCheckResult.Unhealthy(report.Description);
    }
}
