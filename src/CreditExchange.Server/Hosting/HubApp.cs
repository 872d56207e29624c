using CreditExchange.Server.Admin;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Appraisal;
using CreditExchange.Server.Audit;
using CreditExchange.Server.CreditFiles;
using CreditExchange.Server.Database;
using CreditExchange.Server.Feed;
using CreditExchange.Server.Publication;
using CreditExchange.Server.Pipeline;
using CreditExchange.Server.Health;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Server.Limits;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Receipts;
using CreditExchange.Server.Records;
using CreditExchange.Server.Settings;
using CreditExchange.Server.Signing;
using CreditExchange.Server.Statistics;
using CreditExchange.Server.Bidding;
using CreditExchange.Server.Evaluation;
using CreditExchange.Server.OpenData;
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
/// order of the HTTP middleware is decided here and nowhere else (the gRPC call pipeline orders its own steps).
/// To add a service: see the README's developer section.
/// </summary>
public static class HubApp
{
    /// <summary>
    /// The services of the contract, one line each: its feature's <c>Add</c> and <c>Map</c>. A service of the contract
    /// that no feature maps stops the hub at start-up (<see cref="PipelineExtensions.EnsureContractServed"/>).
    /// </summary>
    private static readonly HubFeature[] Features =
    [
        new(RecordsExtensions.AddRecords, RecordsExtensions.MapRecords),
        new(LifecycleExtensions.AddLifecycle, LifecycleExtensions.MapLifecycle),
        new(AppraisalExtensions.AddAppraisal, AppraisalExtensions.MapAppraisal),
        new(CreditFilesExtensions.AddCreditFiles, CreditFilesExtensions.MapCreditFiles),
        new(StatisticsExtensions.AddStatistics, StatisticsExtensions.MapStatistics),
        new(EvaluationExtensions.AddEvaluation, EvaluationExtensions.MapEvaluation),
        new(BiddingExtensions.AddBidding, BiddingExtensions.MapBidding),
        new(FeedExtensions.AddFeed, FeedExtensions.MapFeed),
        new(PublicationExtensions.AddPublication, PublicationExtensions.MapPublication),
        new(AuditExtensions.AddAudit, AuditExtensions.MapAudit),
        new(AdminExtensions.AddAdmin, AdminExtensions.MapAdmin),
        new(ReceiptsExtensions.AddReceipts, ReceiptsExtensions.MapReceipts),
        new(Evidence.EvidenceExtensions.AddEvidence, Evidence.EvidenceExtensions.MapEvidence),
    ];

    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = HubEnvironment.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddHubSettings();
        builder.AddTelemetry();
        builder.AddTransport();
        builder.AddDatabase();
        builder.AddAgencies();
        builder.AddTokens();
        builder.AddPipeline();
        builder.AddSigning();
        builder.AddHealth();
        builder.AddPrivacy();
        builder.AddSealedDataMonitor();
        builder.AddLimits();
        builder.AddOpenData();
        foreach (var feature in Features)
        {
            feature.Add(builder);
        }

        var app = builder.Build();
        // Every validated option now, before anything starts: a mistake is one clear exception here
        // (Program.cs prints it and exits 2), not a failure logged halfway through start-up.
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        LogEnvironment(app);
        UsePipeline(app);
        app.MapTokens();
        app.MapPipeline();
        app.MapHealth();
        app.MapTelemetry();
        app.MapOpenData();
        foreach (var feature in Features)
        {
            feature.Map(app);
        }

        app.EnsureContractServed();

        if (app.Services.GetRequiredService<TlsMaterial>().MintedInto is { } minted)
        {
            Log.DevCertificatesMinted(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Hub"), minted);
        }

        await app.InitializeDatabaseAsync();
        await app.InitializeAgenciesAsync();
        await app.EnsureStoredKeysPresentAsync();
        // Before anything is sealed: a key file replaced under its id stops the hub here (and a key is remembered only
        // once the stored data is known to need no key the hub lacks).
        await PrivacyKeyChecks.EnsureAsync(app.Services, app.Services.GetRequiredService<TimeProvider>());
        await app.ProtectLegacyRecordsAsync();
        await app.ProtectLegacyFreeTextAsync();
        await app.BackfillPeriodsOfEffectAsync();
        await app.BackfillDerivedColumnsAsync();
        await app.InitializeTokensAsync();
        await app.InitializeLifecycleAsync();
        app.LogAppraisalRules();
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        return app;
    }

    /// <summary>The key by which ASP.NET Core's WebApplication knows that the app placed authentication itself.</summary>
    private const string AuthenticationMiddlewareSet = "__AuthenticationMiddlewareSet";

    /// <summary>
    /// The HTTP middleware, in order: the split between the HTTPS hub and the plain-HTTP management
    /// endpoints (first, so that nothing else is reachable without TLS); the split of the open-data listener (no client
    /// certificate: only the open-data endpoints there, and they nowhere else) and its rate limiter (429 before any work); failures of plain HTTP endpoints as OAuth error JSON (outside
    /// everything, so that the token endpoint's own failures are caught); authentication (the
    /// token endpoint's client certificate), only on the token server's own endpoints;
    /// the audit fallback (it audits calls grpc-dotnet refuses before the call pipeline runs, from the
    /// status written by everything after it); the server-side deadline, which must lower
    /// grpc-timeout before grpc-dotnet reads it; the frame guard, which answers a first frame
    /// grpc-dotnet would misread. Endpoints (gRPC, with the one call pipeline; the token endpoint) come last.
    /// </summary>
    private static void UsePipeline(WebApplication app)
    {
        app.UseManagementPort();
        app.UseOpenDataPort();
        if (OpenDataPort.ForwardedFrom(app.Configuration.GetSection(HubOptions.Section).Get<HubOptions>()?.OpenData.TrustedProxies ?? []) is { } forwarded)
        {
            // Behind trusted reverse proxies, the open-data client is the one X-Forwarded-For names (before the rate limiter).
            app.UseWhen(OpenDataPort.IsOpenData, open => open.UseForwardedHeaders(forwarded));
        }

        app.UseRateLimiter();
        app.UseHttpFailures();
        app.UseWhen(TokensExtensions.ForTokenServer(app.Services), server => server.UseAuthentication());
        // UseAuthentication marks the builder it is called on, here the branch: without the same mark on the app,
        // WebApplication would add authentication again, first in the pipeline and for every request.
        ((IApplicationBuilder)app).Properties[AuthenticationMiddlewareSet] = true;
        app.UseAuditFallback();
        app.UseServerDeadline();
        app.UseFrameGuard();
    }

    /// <summary>
    /// Says which environment the hub runs in and where that came from (see <see cref="HubEnvironment"/>), first thing:
    /// Development mints certificates and keys, Production refuses to.
    /// </summary>
    private static void LogEnvironment(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Hub");
        var name = app.Environment.EnvironmentName;
        var (imposed, source) = HubEnvironment.Decide();
        if (imposed is not null && !string.Equals(imposed, name, StringComparison.Ordinal))
        {
            source = "set by the host";
        }

        Log.HubEnvironment(logger, name, source);
        var management = app.Configuration["Hub:Management:Url"];
        if (ManagementAccess.ExposedBeyondLoopback(management, app.Services.GetRequiredService<ManagementAccess>()))
        {
            Log.ManagementBeyondLoopback(logger, management!);
        }
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

/// <summary>A feature of the hub: how it registers its services and how it maps its gRPC services (mapping only).</summary>
internal sealed record HubFeature(Func<IHostApplicationBuilder, IHostApplicationBuilder> Add, Func<WebApplication, WebApplication> Map);
