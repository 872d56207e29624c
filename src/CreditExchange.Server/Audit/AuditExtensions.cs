using CreditExchange.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditExchange.Server.Audit;

/// <summary>The audit trail: one entry per call, written before the answer; the sealer that chains them; the verifier.</summary>
public static class AuditExtensions
{
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuditOptions>().Bind(builder.Configuration.GetSection(AuditOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AuditStore>();
        services.AddSingleton<AuditCommitter>();
        services.AddSingleton<AuditWriter>();
        services.Replace(ServiceDescriptor.Scoped<ICallAudit, CallAudit>());
        services.AddScoped<AuditVerifier>();
        services.AddScoped<ReachStore>();
        services.AddScoped<ChangeReachReport>();
        services.AddSingleton<ChangeReachMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeReachMonitor>());
        services.AddSingleton(sp => new AuditSegments(
            sp.GetRequiredService<Privacy.PersonalDataProtector>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AuditSegments>>(), SqliteHeadFile(builder)));
        services.AddSingleton<AuditSealer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditSealer>());
        // Stored, time-stamped checkpoints of the chain (Hub:Audit:CheckpointInterval, TsaUrl): health shows the backlog, never readiness.
        services.AddScoped<AuditCheckpointStore>();
        services.AddSingleton<ChainCheckpoints>();
        services.AddSingleton<TimestampAuthorityClient>();
        services.AddSingleton<AuditTimestampStatus>();
        services.AddSingleton<AuditCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpointer>());
        services.AddHealthChecks().AddCheck<AuditTimestampHealthCheck>("audit-timestamps", tags: [Health.HealthExtensions.DetailTag]);
        return builder;
    }

    /// <summary>SQLite: the file beside the database where the sealer keeps the last head it sealed (outside the database, which a restore replaces).</summary>
    private static string? SqliteHeadFile(IHostApplicationBuilder builder) =>
        string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(Database.DatabaseExtensions.PostgresConnectionName))
            ? Settings.RepositoryPaths.Resolve(builder.Environment.ContentRootPath, Settings.SettingsExtensions.GetHubOptions(builder).Storage.SqlitePath) + ".audit-head"
            : null;

    public static WebApplication MapAudit(this WebApplication app)
    {
        app.MapGrpcService<AuditGrpcService>();
        return app;
    }
}
