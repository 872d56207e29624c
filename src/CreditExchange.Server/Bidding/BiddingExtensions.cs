using CreditExchange.Server.Lifecycle;
using CreditExchange.Storage;

namespace CreditExchange.Server.Bidding;

/// <summary>The bidding blacklist and integrity files (三(三)): the list of market subjects, its publication, objections and exits.</summary>
public static class BiddingExtensions
{
    public static IHostApplicationBuilder AddBidding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<BlacklistStore>();
        builder.Services.AddScoped<BlacklistEntries>();
        // The exits on their day are recorded by the hub's expiry sweep, in its turn.
        builder.Services.AddScoped<IDaySweep>(sp => sp.GetRequiredService<BlacklistEntries>());
        return builder;
    }

    public static WebApplication MapBidding(this WebApplication app)
    {
        app.MapGrpcService<BiddingBlacklistGrpcService>();
        return app;
    }
}
