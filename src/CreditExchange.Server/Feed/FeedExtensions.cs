using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Server.Limits;
using CreditExchange.Storage;

namespace CreditExchange.Server.Feed;

/// <summary>The joint-punishment feed: the publisher that numbers committed events, the listener that hears other instances, the streams.</summary>
public static class FeedExtensions
{
    /// <summary>The gRPC path of FeedService.Subscribe.</summary>
    public static readonly string SubscribePath = $"/{FeedService.Descriptor.FullName}/{FeedService.Descriptor.FindMethodByName("Subscribe").Name}";

    public static IHostApplicationBuilder AddFeed(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FeedOptions>().Bind(builder.Configuration.GetSection(FeedOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<FeedStore>();
        services.AddSingleton<FeedSignal>();
        services.AddSingleton<FeedPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedPublisher>());
        services.AddHostedService<FeedListener>();
        // A department follows the feed for days: the stream is exempt from the maximum call duration.
        services.AddSingleton(new LongLivedMethod(SubscribePath));
        return builder;
    }

    public static WebApplication MapFeed(this WebApplication app)
    {
        app.MapGrpcService<FeedGrpcService>();
        return app;
    }
}
