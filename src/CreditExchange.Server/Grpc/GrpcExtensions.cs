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

        var hub = builder.GetHubOptions();
        services.AddGrpc(o =>
        {
            interceptors(o.Interceptors);
            o.MaxReceiveMessageSize = hub.MaxMessageBytes;
            o.EnableDetailedErrors = false;
        });
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
