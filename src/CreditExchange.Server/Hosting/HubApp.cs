using CreditExchange.Server.Agencies;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CreditExchange.Server.Hosting;

/// <summary>Composition of the hub; Program.cs and the tests build it the same way.</summary>
public static class HubApp
{
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddHubTransport();
        builder.AddHubStorage();
        builder.AddHubTokens();
        builder.AddHubGrpc();
        builder.AddHubLifecycle();
        builder.AddHubAppraisal();
        builder.AddHubGovernance();

        var app = builder.Build();
        app.MapHubTokens();
        app.MapHubGovernance();
        app.MapHubGrpc();
        app.MapHubAppraisal();
        await app.InitializeHubStorageAsync();
        await app.ProtectLegacyRecordsAsync();
        await app.ProtectLegacyFreeTextAsync();
        await app.BackfillPeriodsOfEffectAsync();
        await app.InitializeHubTokensAsync();
        await app.InitializeHubLifecycleAsync();
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        return app;
    }

    private static void LogStarted(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Hub");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var provider = string.IsNullOrWhiteSpace(app.Configuration.GetConnectionString(StorageExtensions.PostgresConnectionName)) ? "SQLite" : "PostgreSQL";
        Log.HubStarted(logger, string.Join(", ", addresses), provider, app.Services.GetRequiredService<AgencyRegistry>().All.Count);
        if (app.Services.GetRequiredService<TlsMaterial>().IsDevelopmentCa)
        {
            Log.UsingDevelopmentCa(logger, app.Configuration["Hub:Tls:DevCertificatesFolder"] ?? "certs-dev");
        }
    }
}
