namespace CreditExchange.Server.CreditFiles;

/// <summary>Credit files (信用档案): a subject's whole history, read through the record store.</summary>
public static class CreditFilesExtensions
{
    public static IHostApplicationBuilder AddCreditFiles(this IHostApplicationBuilder builder) => builder;

    public static WebApplication MapCreditFiles(this WebApplication app)
    {
        app.MapGrpcService<CreditFileGrpcService>();
        return app;
    }
}
