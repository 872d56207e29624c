using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Privacy;

/// <summary>Personal-data protection: the key ring (loaded, or minted outside Production, at start-up) and the protector.</summary>
public static class PrivacyExtensions
{
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        // Keys are loaded (or, outside Production, minted) now: a missing key fails fast.
        var privacy = builder.Configuration.GetSection(PrivacyOptions.Section).Get<PrivacyOptions>() ?? new PrivacyOptions();
        builder.Services.AddSingleton(PrivacyKeys.Load(privacy, builder.GetHubOptions(), builder.Environment.ContentRootPath, builder.Environment.IsProduction()));
        builder.Services.AddSingleton<SealedDataStatus>();
        builder.Services.AddSingleton<PersonalDataProtector>();
        return builder;
    }

    /// <summary>The hub (not the commands): readiness waits until every sealed value opens with the keys held.</summary>
    public static IHostApplicationBuilder AddSealedDataMonitor(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<SealedDataMonitor>();
        builder.Services.AddHealthChecks().AddCheck<SealedDataHealthCheck>("sealed-data", tags: [Health.HealthExtensions.ReadyTag]);
        return builder;
    }
}
