using CreditExchange.Storage;

namespace CreditExchange.Server.Admin;

/// <summary>Agency governance: the admin service, and the poller that keeps every instance's registry in step.</summary>
public static class AdminExtensions
{
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GovernanceOptions>().Bind(builder.Configuration.GetSection(GovernanceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AgencyAdminStore>();
        services.AddScoped<AgencyGovernance>();
        services.AddSingleton<AgencyRegistryPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<AgencyRegistryPoller>());
        return builder;
    }

    public static WebApplication MapAdmin(this WebApplication app)
    {
        app.MapGrpcService<AdminGrpcService>();
        return app;
    }
}
