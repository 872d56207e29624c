using CreditExchange.Domain.Appraisal;
using CreditExchange.Storage;

namespace CreditExchange.Server.Appraisal;

/// <summary>Appraisal checks (评优评先): the versioned rules, the checks and their audit rows.</summary>
public static class AppraisalExtensions
{
    public static IHostApplicationBuilder AddAppraisal(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AppraisalOptions>()
            .Bind(builder.Configuration.GetSection(AppraisalOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The rules are loaded once, at start-up: a missing or inconsistent rules file stops the
        // hub rather than letting it answer appraisal checks by rules nobody wrote.
        var options = ReadOptions(builder.Configuration);
        var path = Path.IsPathRooted(options.RulesFile) ? options.RulesFile : Path.Combine(builder.Environment.ContentRootPath, options.RulesFile);
        services.AddSingleton(AppraisalRulesFile.Load(path));

        services.AddScoped<AppraisalStore>();
        services.AddScoped<AppraisalChecks>();
        services.AddSingleton<HotSubjects>();
        services.AddSingleton<Limits.IBulkCallHint>(sp => sp.GetRequiredService<HotSubjects>());
        return builder;
    }

    public static WebApplication MapAppraisal(this WebApplication app)
    {
        app.MapGrpcService<AppraisalGrpcService>();
        return app;
    }

    /// <summary>Says at start-up which rule sets decide appraisal checks.</summary>
    public static void LogAppraisalRules(this WebApplication app)
    {
        var rules = app.Services.GetRequiredService<AppraisalRuleBook>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Appraisal");
        Log.AppraisalRulesLoaded(logger, ReadOptions(app.Configuration).RulesFile, string.Join(", ", rules.RuleSets.Select(s => $"{s.Version} from {s.EffectiveFrom:yyyy-MM-dd}")));
    }

    private static AppraisalOptions ReadOptions(IConfiguration configuration) =>
        configuration.GetSection(AppraisalOptions.Section).Get<AppraisalOptions>() ?? new AppraisalOptions();
}
