using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Receipts;

/// <summary>Signed receipts of accepted submissions: the ECDSA key ring, the signer, and the key service.</summary>
public static class ReceiptsExtensions
{
    public static IHostApplicationBuilder AddReceipts(this IHostApplicationBuilder builder)
    {
        var receipts = builder.Configuration.GetSection(ReceiptOptions.Section).Get<ReceiptOptions>() ?? new ReceiptOptions();
        builder.Services.AddSingleton(ReceiptKeys.Load(receipts, builder.GetHubOptions(), builder.Environment.ContentRootPath, builder.Environment.IsProduction()));
        builder.Services.AddSingleton<ReceiptSigner>();
        var hub = builder.GetHubOptions();
        var contentRoot = builder.Environment.ContentRootPath;
        var production = builder.Environment.IsProduction();
        builder.Services.AddSingleton(sp => new HubKeyCertificates(sp.GetRequiredService<ReceiptKeys>(), receipts, hub, contentRoot, production, TimeProvider.System));
        return builder;
    }

    public static WebApplication MapReceipts(this WebApplication app)
    {
        app.MapGrpcService<ReceiptGrpcService>();
        return app;
    }
}
