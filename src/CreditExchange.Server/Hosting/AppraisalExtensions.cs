using CreditExchange.Domain.Appraisal;
using CreditExchange.Server.Appraisal;
using CreditExchange.Server.CreditFiles;
using CreditExchange.Server.Statistics;
using CreditExchange.Storage;

namespace CreditExchange.Server.Hosting;

/// <summary>Appraisal checks, credit files and statistics (issue 5).</summary>
public static class AppraisalExtensions
{
    public static IHostApplicationBuilder AddHubAppraisal(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AppraisalOptions>().Bind(builder.Configuration.GetSection(AppraisalOptions.Section));
        services.AddOptions<StatisticsOptions>().Bind(builder.Configuration.GetSection(StatisticsOptions.Section));

        // The rules are loaded once, at start-up: a missing or inconsistent rules file stops the
        // hub rather than letting it answer appraisal checks by rules nobody wrote.
        var options = builder.Configuration.GetSection(AppraisalOptions.Section).Get<AppraisalOptions>() ?? new AppraisalOptions();
        var path = Path.IsPathRooted(options.RulesFile) ? options.RulesFile : Path.Combine(builder.Environment.ContentRootPath, options.RulesFile);
        services.AddSingleton(AppraisalRulesFile.Load(path));

        services.AddScoped<AppraisalStore>();
        services.AddScoped<StatisticsStore>();
        services.AddScoped<AppraisalChecks>();
        return builder;
    }

    public static WebApplication MapHubAppraisal(this WebApplication app)
    {
        app.MapGrpcService<AppraisalGrpcService>();
        app.MapGrpcService<CreditFileGrpcService>();
        app.MapGrpcService<StatisticsGrpcService>();

        var rules = app.Services.GetRequiredService<AppraisalRuleBook>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Appraisal");
        var options = app.Configuration.GetSection(AppraisalOptions.Section).Get<AppraisalOptions>() ?? new AppraisalOptions();
        Log.AppraisalRulesLoaded(logger, options.RulesFile, string.Join(", ", rules.RuleSets.Select(s => $"{s.Version} from {s.EffectiveFrom:yyyy-MM-dd}")));
        return app;
    }
}
