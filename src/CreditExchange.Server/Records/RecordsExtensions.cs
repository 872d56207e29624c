using CreditExchange.Storage;

namespace CreditExchange.Server.Records;

/// <summary>Record submission and query.</summary>
public static class RecordsExtensions
{
    public static IHostApplicationBuilder AddRecords(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<RecordStore>();
        builder.Services.AddScoped<RecordIntake>();
        // The severity table is read and checked now, so a bad file stops the hub at start-up.
        var severityTable = builder.Configuration[SeverityTableFile.SettingKey] ?? SeverityTableFile.DefaultPath;
        builder.Services.AddSingleton(SeverityTableFile.Load(Path.GetFullPath(severityTable, AppContext.BaseDirectory)));
        return builder;
    }

    public static WebApplication MapRecords(this WebApplication app)
    {
        app.MapGrpcService<RecordGrpcService>();
        return app;
    }
}
