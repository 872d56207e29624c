using CreditExchange.Contracts;
using Grpc.AspNetCore.HealthChecks;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreditExchange.Server.Health;

/// <summary>
/// Health for machines. grpc.health.v1 answers overall ("") and per CreditExchange service name;
/// every service needs a writable database. On the management port (plain HTTP, no client
/// certificate): /healthz/live (the process serves requests; never touches the database) and
/// /healthz/ready (it can do its work now: the database can be written and it is not shutting down), and
/// /healthz/detail: every check by name with its status and description as JSON, those that readiness does not
/// depend on too (such as "audit-timestamps", Degraded while audit checkpoints wait for the time-stamping authority).
/// </summary>
public static class HealthExtensions
{
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";
    public const string DetailPath = "/healthz/detail";

    /// <summary>The tag of checks that readiness (and gRPC health) depends on.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The tag of checks shown only by <see cref="DetailPath"/>: they report, they never make the hub unready.</summary>
    public const string DetailTag = "detail";

    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ShutdownHealthCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [ReadyTag]);

        // Evaluate on each health call rather than from a periodic cache, so a fresh hub answers at once.
        builder.Services.AddGrpcHealthChecks(o =>
        {
            o.UseHealthChecksCache = false;
            o.Services.Map("", (HealthCheckMapContext c) => c.Tags.Contains(ReadyTag));
            foreach (var service in HubContract.Services)
            {
                o.Services.Map(service.FullName, (HealthCheckMapContext c) => c.Tags.Contains(ReadyTag));
            }
        });
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        // Liveness runs no check at all: a database outage must not get the process restarted.
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).WithMetadata(Transport.ManagementEndpoint.Health);
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag) }).WithMetadata(Transport.ManagementEndpoint.Health);
        // It says more than up or down: with Hub:Management:BearerTokenFile it needs the token, as /metrics does.
        app.MapHealthChecks(DetailPath, new HealthCheckOptions { ResponseWriter = WriteDetailAsync }).WithMetadata(Transport.ManagementEndpoint.Metrics);
        return app;
    }

    /// <summary>{"status": …, "checks": {name: {"status": …, "description": …}}}</summary>
    private static Task WriteDetailAsync(HttpContext context, HealthReport report)
    {
        var checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new Dictionary<string, string?> { ["status"] = e.Value.Status.ToString(), ["description"] = e.Value.Description });
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = checks,
        }));
    }
}

/// <summary>Not ready once the host is stopping, so a load balancer drains the instance while its calls finish.</summary>
public sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("The hub is shutting down.")
            : HealthCheckResult.Healthy());
}
