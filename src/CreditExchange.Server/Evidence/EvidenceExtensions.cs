namespace CreditExchange.Server.Evidence;

/// <summary>Evidence bundles of records (EvidenceService.ExportEvidence), verifiable offline with creditexchange-verify.</summary>
public static class EvidenceExtensions
{
    public static IHostApplicationBuilder AddEvidence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<EvidenceExport>();
        return builder;
    }

    public static WebApplication MapEvidence(this WebApplication app)
    {
        app.MapGrpcService<EvidenceGrpcService>();
        return app;
    }
}
