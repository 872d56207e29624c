using CreditExchange.Storage;

namespace CreditExchange.Server.Statistics;

/// <summary>Statistics and warnings by region, agency, category and period.</summary>
public static class StatisticsExtensions
{
    public static IHostApplicationBuilder AddStatistics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StatisticsOptions>()
            .Bind(builder.Configuration.GetSection(StatisticsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<StatisticsStore>();
        return builder;
    }

    public static WebApplication MapStatistics(this WebApplication app)
    {
        app.MapGrpcService<StatisticsGrpcService>();
        return app;
    }
}
