using CreditExchange.Storage;

namespace CreditExchange.Server.Publication;

/// <summary>The public disclosure list for 信用内蒙古, over gRPC and, for the website's back end, HTTP JSON (gRPC JSON transcoding).</summary>
public static class PublicationExtensions
{
    public static IHostApplicationBuilder AddPublication(this IHostApplicationBuilder builder)
    {
        // Its google.api.http routes are served by the gRPC server's JSON transcoding (Grpc/GrpcExtensions).
        builder.Services.AddScoped<PublicationStore>();
        builder.Services.AddScoped<PublicList>();
        return builder;
    }

    public static WebApplication MapPublication(this WebApplication app)
    {
        app.MapGrpcService<PublicationGrpcService>();
        return app;
    }
}
