using CreditExchange.Server.Admin;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Appraisal;
using CreditExchange.Server.Audit;
using CreditExchange.Server.CreditFiles;
using CreditExchange.Server.Database;
using CreditExchange.Server.Feed;
using CreditExchange.Server.Publication;
using CreditExchange.Server.Grpc;
using CreditExchange.Server.Health;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Server.Limits;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Receipts;
using CreditExchange.Server.Records;
using CreditExchange.Server.Settings;
using CreditExchange.Server.Statistics;
using CreditExchange.Server.Telemetry;
using CreditExchange.Server.Tokens;
using CreditExchange.Server.Transport;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CreditExchange.Server.Hosting;

/// <summary>
/// Composition of the hub; Program.cs and the tests build it the same way. Each feature registers
/// itself (<c>Add&lt;Feature&gt;</c>) and maps its services (<c>Map&lt;Feature&gt;</c>, mapping only); the
/// order of the gRPC interceptors and of the HTTP middleware is decided here and nowhere else.
/// To add a service: see the README's developer section.
/// </summary>
public static class HubApp
{
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddHubSettings();
        builder.AddTelemetry();
        builder.AddTransport();
        builder.AddDatabase();
        builder.AddAgencies();
        builder.AddTokens();
        builder.AddHubGrpc(Interceptors);
        builder.AddHealth();
        builder.AddPrivacy();
        builder.AddReceipts();
        builder.AddRecords();
        builder.AddLifecycle();
        builder.AddAppraisal();
        builder.AddCreditFiles();
        builder.AddStatistics();
        builder.AddFeed();
        builder.AddPublication();
        builder.AddAudit();
        builder.AddAdmin();
        builder.AddLimits();

        var app = builder.Build();
        // Every validated option now, before anything starts: a mistake is one clear exception here
        // (Program.cs prints it and exits 2), not a failure logged halfway through start-up.
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        UsePipeline(app);
        app.MapTokens();
        app.MapHubGrpc();
        app.MapHealth();
        app.MapTelemetry();
        app.MapRecords();
        app.MapLifecycle();
        app.MapAppraisal();
        app.MapCreditFiles();
        app.MapStatistics();
        app.MapFeed();
        app.MapPublication();
        app.MapAudit();
        app.MapAdmin();
        app.MapReceipts();

        if (app.Services.GetRequiredService<TlsMaterial>().MintedInto is { } minted)
        {
            Log.DevCertificatesMinted(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Hub"), minted);
        }

        await app.InitializeDatabaseAsync();
        await app.InitializeAgenciesAsync();
        await app.ProtectLegacyRecordsAsync();
        await app.EnsureStoredKeysPresentAsync();
        await app.ProtectLegacyFreeTextAsync();
        await app.BackfillPeriodsOfEffectAsync();
        await app.BackfillDerivedColumnsAsync();
        await app.InitializeTokensAsync();
        await app.InitializeLifecycleAsync();
        app.LogAppraisalRules();
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        return app;
    }

    /// <summary>
    /// The gRPC interceptors, outermost first. Metrics outermost, to count every call with the status
    /// it leaves with; then audit, so that it records the final status
    /// of every call; then errors, so that identity, limit and validation failures are mapped too;
    /// then the rate limit (before any token or database work, so a flood costs little); then the
    /// caller checks (certificate, token, scope) and request validation.
    /// </summary>
    private static void Interceptors(InterceptorCollection interceptors)
    {
        interceptors.Add<MetricsInterceptor>();
        interceptors.Add<AuditInterceptor>();
        interceptors.Add<LocalizedErrorInterceptor>();
        interceptors.Add<ErrorInterceptor>();
        interceptors.Add<AgencyGuardInterceptor>();
        interceptors.Add<CallerInterceptor>();
    }

    /// <summary>
    /// The HTTP middleware, in order: the split between the HTTPS hub and the plain-HTTP management
    /// endpoints (first, so that nothing else is reachable without TLS); failures of plain HTTP endpoints as OAuth error JSON (outside
    /// everything, so that the token endpoint's own failures are caught); authentication (the
    /// token endpoint's client certificate);
    /// the audit fallback (it audits calls grpc-dotnet refuses before any interceptor runs, from the
    /// status written by everything after it); the server-side deadline, which must lower
    /// grpc-timeout before grpc-dotnet reads it; the frame-length guard, which answers a first frame
    /// grpc-dotnet would misread. Endpoints (gRPC, the token endpoint) come last.
    /// </summary>
    private static void UsePipeline(WebApplication app)
    {
        app.UseManagementPort();
        app.UseHttpFailures();
        app.UseAuthentication();
        app.UseAuditFallback();
        app.UseServerDeadline();
        app.UseFrameLengthGuard();
    }

    private static void LogStarted(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Hub");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var provider = string.IsNullOrWhiteSpace(app.Configuration.GetConnectionString(DatabaseExtensions.PostgresConnectionName)) ? "SQLite" : "PostgreSQL";
        Log.HubStarted(logger, string.Join(", ", addresses), provider, app.Services.GetRequiredService<AgencyRegistry>().All.Count);
        if (app.Services.GetRequiredService<TlsMaterial>().IsDevelopmentCa)
        {
            Log.UsingDevelopmentCa(logger, app.Configuration["Hub:Tls:DevCertificatesFolder"] ?? "certs-dev");
        }
    }
}
