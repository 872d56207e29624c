using CreditExchange.Storage;

namespace CreditExchange.Server.Publication;

/// <summary>The public disclosure list for 信用内蒙古, over gRPC and, for the website's back end, HTTP JSON (gRPC JSON transcoding).</summary>
public static class PublicationExtensions
{
    public static IHostApplicationBuilder AddPublication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<PublicationStore>();
        // The google.api.http routes of publication.proto; calls go through the same interceptors (certificate, token, audit).
        builder.Services.AddGrpc().AddJsonTranscoding();
        return builder;
    }

    public static WebApplication MapPublication(this WebApplication app)
    {
        app.MapGrpcService<PublicationGrpcService>();
        return app;
    }
}
