using CreditExchange.Storage;

namespace CreditExchange.Server.Evaluation;

/// <summary>Integrity evaluation under versioned standards (四(一), 三(五)): the standards, the evaluations, the published results.</summary>
public static class EvaluationExtensions
{
    public static IHostApplicationBuilder AddEvaluation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EvaluationOptions>()
            .Bind(builder.Configuration.GetSection(EvaluationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Loaded once at start-up: a missing or inconsistent standards file stops the hub rather than letting it score
        // governments by a standard nobody wrote.
        var options = builder.Configuration.GetSection(EvaluationOptions.Section).Get<EvaluationOptions>() ?? new EvaluationOptions();
        var path = Path.IsPathRooted(options.StandardsFile) ? options.StandardsFile : Path.Combine(builder.Environment.ContentRootPath, options.StandardsFile);
        builder.Services.AddSingleton(IntegrityStandardsFile.Load(path));
        builder.Services.AddScoped<EvaluationStore>();
        builder.Services.AddScoped<Evaluations>();
        return builder;
    }

    public static WebApplication MapEvaluation(this WebApplication app)
    {
        app.MapGrpcService<EvaluationGrpcService>();
        return app;
    }
}
