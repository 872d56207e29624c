using Microsoft.Extensions.DependencyInjection.Extensions;
using CreditExchange.Server.Audit;
using CreditExchange.Server.Grpc;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Server.Limits;
using CreditExchange.Server.Records;
using CreditExchange.Server.Validation;

namespace CreditExchange.Server.Hosting;

public static class GrpcExtensions
{
    public static IHostApplicationBuilder AddHubGrpc(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HubOptions>()
            .Bind(builder.Configuration.GetSection(HubOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RecordRules>();
        services.AddSingleton<RequestValidator>();

        var hub = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();
        services.AddGrpc(o =>
        {
            // Order matters: audit outermost so that it records the final status of every call;
            // then errors, so that identity, limit and validation failures are mapped too.
            o.Interceptors.Add<AuditInterceptor>();
            o.Interceptors.Add<LocalizedErrorInterceptor>();
            o.Interceptors.Add<ErrorInterceptor>();
            o.Interceptors.Add<AgencyGuardInterceptor>();
            o.Interceptors.Add<CallerInterceptor>();
            o.MaxReceiveMessageSize = hub.MaxMessageBytes;
            o.EnableDetailedErrors = false;
        });
        services.AddMalformedMessageGuard();
        services.AddGrpcReflection().AddErrorDetailReflection();
        // Evaluate on each health call rather than from a periodic cache, so a fresh hub answers at once.
        services.AddGrpcHealthChecks(o => o.UseHealthChecksCache = false)
            .AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static WebApplication MapHubGrpc(this WebApplication app)
    {
        app.MapGrpcService<RecordGrpcService>();
        app.MapGrpcService<LifecycleGrpcService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        return app;
    }
}
