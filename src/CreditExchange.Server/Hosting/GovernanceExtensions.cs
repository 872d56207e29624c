using CreditExchange.Server.Admin;
using CreditExchange.Server.Audit;
using CreditExchange.Server.Limits;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Receipts;
using CreditExchange.Storage;

namespace CreditExchange.Server.Hosting;

/// <summary>Audit trail, personal-data protection, signed receipts, agency governance and abuse limits.</summary>
public static class GovernanceExtensions
{
    public static IHostApplicationBuilder AddHubGovernance(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var hub = configuration.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();
        var contentRoot = builder.Environment.ContentRootPath;
        var production = builder.Environment.IsProduction();

        // Keys are loaded (or, outside Production, minted) at start-up: a missing key fails fast.
        var privacy = configuration.GetSection(PrivacyOptions.Section).Get<PrivacyOptions>() ?? new PrivacyOptions();
        services.AddSingleton(PrivacyKeys.Load(privacy, hub, contentRoot, production));
        services.AddSingleton<PersonalDataProtector>();
        var receipts = configuration.GetSection(ReceiptOptions.Section).Get<ReceiptOptions>() ?? new ReceiptOptions();
        services.AddSingleton(ReceiptKeys.Load(receipts, hub, contentRoot, production));
        services.AddSingleton<ReceiptSigner>();

        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LimitOptions>().Bind(configuration.GetSection(LimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GovernanceOptions>().Bind(configuration.GetSection(GovernanceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddScoped<AuditStore>();
        services.AddSingleton<AuditWriter>();
        services.AddScoped<AuditVerifier>();
        services.AddSingleton<AuditSealer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditSealer>());

        services.AddScoped<AgencyAdminStore>();
        services.AddScoped<AgencyGovernance>();
        services.AddSingleton<ActiveCalls>();
        services.AddSingleton<AgencyRegistryPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<AgencyRegistryPoller>());
        services.AddSingleton<AgencyRateLimiter>();
        return builder;
    }

    public static WebApplication MapHubGovernance(this WebApplication app)
    {
        app.UseAuditFallback();
        app.UseServerDeadline();
        app.MapGrpcService<AuditGrpcService>();
        app.MapGrpcService<AdminGrpcService>();
        app.MapGrpcService<ReceiptGrpcService>();
        return app;
    }
}
