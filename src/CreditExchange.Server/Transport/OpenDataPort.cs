using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CreditExchange.Server.Transport;

/// <summary>
/// Keeps the open-data listener (<c>Hub:OpenData:Url</c>, no client certificate) apart from the hub's own (mutual TLS):
/// which listener a request came in on is marked on its connection, never guessed from the request. On the open-data
/// listener only the open-data endpoints (<see cref="OpenDataEndpoint"/> metadata) answer; everything else, gRPC and
/// the token endpoint included, is 404 there. Elsewhere the open-data endpoints are 404. Behind reverse proxies named in
/// <c>Hub:OpenData:TrustedProxies</c>, the client address of an open-data request is the one their <c>X-Forwarded-For</c>
/// names (ASP.NET Core's forwarded-headers middleware, on that listener only), so that the rate limit tells clients apart.
/// </summary>
public static class OpenDataPort
{
    private static readonly ListenerMark Listener = new("creditexchange.open-data");

    /// <summary>Connection middleware of the open-data listener: marks its connections.</summary>
    public static void MarkOpenData(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => Listener.Mark(listen);

    /// <summary>Whether the request came in on the open-data listener.</summary>
    public static bool IsOpenData(HttpContext context) => Listener.IsOn(context);

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

    /// <summary>
    /// The forwarded-headers options trusting exactly <paramref name="trustedProxies"/> (the middleware's default trust
    /// of loopback is dropped): every hop of <c>X-Forwarded-For</c> is read back from the right while it comes from a
    /// trusted proxy.
    /// </summary>
    public static ForwardedHeadersOptions? ForwardedFrom(IReadOnlyCollection<string> trustedProxies)
    {
        if (trustedProxies.Count == 0)
        {
            return null;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in trustedProxies)
        {
            options.KnownIPNetworks.Add(ParseNetwork(entry));
        }

        return options;
    }

    /// <summary>An address (a network of one) or a CIDR network; anything else stops the hub at start with the entry named.</summary>
    public static System.Net.IPNetwork ParseNetwork(string entry)
    {
        var text = entry.Trim();
        if (System.Net.IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new InvalidOperationException(
            $"Hub:OpenData:TrustedProxies: \"{entry}\" is neither an IP address (10.0.0.5) nor a network in CIDR notation (10.0.0.0/8).");
    }
}

/// <summary>Metadata of the open-data endpoints: they answer only on the open-data listener.</summary>
public sealed record OpenDataEndpoint
{
    public static readonly OpenDataEndpoint Instance = new();
}
