namespace CreditExchange.Server.Transport;

/// <summary>
/// Keeps the open-data listener (<c>Hub:OpenData:Url</c>, no client certificate) apart from the hub's own (mutual TLS):
/// which listener a request came in on is marked on its connection, never guessed from the request. On the open-data
/// listener only the open-data endpoints (<see cref="OpenDataEndpoint"/> metadata) answer; everything else, gRPC and
/// the token endpoint included, is 404 there. Elsewhere the open-data endpoints are 404.
/// </summary>
public static class OpenDataPort
{
    private static readonly ListenerMark Listener = new("creditexchange.open-data");

    /// <summary>Connection middleware of the open-data listener: marks its connections.</summary>
    public static void MarkOpenData(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => Listener.Mark(listen);

    public static IApplicationBuilder UseOpenDataPort(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var onOpenData = Listener.IsOn(context);
            var openEndpoint = context.GetEndpoint()?.Metadata.GetMetadata<OpenDataEndpoint>() is not null;
            if (onOpenData != openEndpoint)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
}

/// <summary>Metadata of the open-data endpoints: they answer only on the open-data listener.</summary>
public sealed record OpenDataEndpoint
{
    public static readonly OpenDataEndpoint Instance = new();
}
