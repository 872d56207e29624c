using CreditExchange.Storage;

namespace CreditExchange.Server.Records;

/// <summary>Record submission and query.</summary>
public static class RecordsExtensions
{
    public static IHostApplicationBuilder AddRecords(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<RecordStore>();
        builder.Services.AddScoped<RecordIntake>();
        builder.Services.AddSingleton<Domain.Intake.RecordIntakeRules>();
        return builder;
    }

    public static WebApplication MapRecords(this WebApplication app)
    {
        app.MapGrpcService<RecordGrpcService>();
        return app;
    }
}
