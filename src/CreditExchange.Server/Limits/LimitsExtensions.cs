namespace CreditExchange.Server.Limits;

/// <summary>Abuse and load limits: the per-agency rate limit, the open calls of each agency, the unary call gate, the server-side deadline.</summary>
public static class LimitsExtensions
{
    public static IHostApplicationBuilder AddLimits(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LimitOptions>().Bind(builder.Configuration.GetSection(LimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ActiveCalls>();
        services.AddSingleton<AgencyRateLimiter>();
        services.AddSingleton<CallGate>();
        services.AddSingleton<BackgroundPacing>();
        return builder;
    }
}
