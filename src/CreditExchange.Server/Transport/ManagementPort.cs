using CreditExchange.Server.Health;

namespace CreditExchange.Server.Transport;

/// <summary>
/// Keeps the two listeners apart. The hub's own endpoints (gRPC, tokens) answer only over HTTPS
/// with a client certificate; the management endpoints (liveness, readiness, metrics) only on the
/// plain-HTTP management address. Anything else is 404 there, so nothing of the hub can be reached
/// without TLS, and probes and scrapers need no certificate.
/// </summary>
public static class ManagementPort
{
    public const string MetricsPath = "/metrics";

    private static readonly string[] Paths = [HealthExtensions.LivePath, HealthExtensions.ReadyPath, MetricsPath];

    public static IApplicationBuilder UseManagementPort(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var management = Paths.Contains(context.Request.Path.Value ?? "", StringComparer.Ordinal);
            if (management == context.Request.IsHttps)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
}
