namespace CreditExchange.Server.Health;

/// <summary>grpc.health.v1: the hub serves only while its database answers.</summary>
public static class HealthExtensions
{
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        // Evaluate on each health call rather than from a periodic cache, so a fresh hub answers at once.
        builder.Services.AddGrpcHealthChecks(o => o.UseHealthChecksCache = false)
            .AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        return app;
    }
}
