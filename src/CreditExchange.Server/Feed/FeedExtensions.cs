using CreditExchange.Storage;

namespace CreditExchange.Server.Feed;

/// <summary>The joint-punishment feed: the publisher that numbers committed events, the listener that hears other instances, the streams.</summary>
public static class FeedExtensions
{
    public static IHostApplicationBuilder AddFeed(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FeedOptions>().Bind(builder.Configuration.GetSection(FeedOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<FeedStore>();
        services.AddSingleton<FeedSignal>();
        services.AddSingleton<FeedBacklog>();
        services.AddSingleton<FeedStreams>();
        services.AddSingleton<FeedReads>();
        services.AddSingleton<FeedPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedPublisher>());
        services.AddHostedService<FeedListener>();
        services.AddSingleton<FeedWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedWatch>());
        return builder;
    }

    public static WebApplication MapFeed(this WebApplication app)
    {
        app.MapGrpcService<FeedGrpcService>();
        return app;
    }
}
