using CreditExchange.Server.Settings;
using CreditExchange.Server.Validation;
using Grpc.AspNetCore.Server;

namespace CreditExchange.Server.Grpc;

/// <summary>
/// gRPC itself, shared by every feature: the server with the hub's interceptors (in the order the
/// host gives), request validation against the contract, and reflection.
/// </summary>
public static class GrpcExtensions
{
    public static IHostApplicationBuilder AddHubGrpc(this IHostApplicationBuilder builder, Action<InterceptorCollection> interceptors)
    {
        var services = builder.Services;
        services.AddSingleton<RecordRules>();
        services.AddSingleton<RequestValidator>();
        services.AddScoped<CallContext>();

        var hub = builder.GetHubOptions();
        services.AddGrpc(o =>
        {
            interceptors(o.Interceptors);
            o.MaxReceiveMessageSize = hub.MaxMessageBytes;
            o.EnableDetailedErrors = false;
        })
            // HTTP JSON for methods with google.api.http routes (PublicationService, for the website's back
            // end); such calls run through the same interceptors as gRPC (certificate, token, scope, audit).
            .AddJsonTranscoding();
        services.AddMalformedMessageGuard();
        services.AddGrpcReflection().AddErrorDetailReflection();
        return builder;
    }

    public static WebApplication MapHubGrpc(this WebApplication app)
    {
        app.MapGrpcReflectionService();
        return app;
    }
}
