using System.Net;
using System.Security.Cryptography;
using System.Text;
using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Transport;

/// <summary>
/// Keeps the two listeners apart. The hub's own endpoints (gRPC, tokens) answer only on <c>Hub:Url</c> (HTTPS, client
/// certificate required); the management endpoints (liveness, readiness, metrics) only on <c>Hub:Management:Url</c>.
/// Which listener a request came in on is marked on its connection (<see cref="MarkManagement"/>), never guessed from
/// the path, the scheme or the Host header; a management endpoint is known by its metadata (<see cref="ManagementEndpoint"/>),
/// whatever spelling routing matched (<c>/METRICS</c>, <c>/metrics/</c>), and by its path decoded, lower-cased and without
/// trailing slashes. The hub's listener answers 404 to all of them; the management listener answers 404 to anything else,
/// and, with <c>Hub:Management:BearerTokenFile</c>, 401 to <c>/metrics</c> without the token.
/// </summary>
public static class ManagementPort
{
    public const string MetricsPath = "/metrics";

    private static readonly ListenerMark Listener = new("creditexchange.management");

    /// <summary>Connection middleware of the management listener: marks its connections.</summary>
    public static void MarkManagement(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => Listener.Mark(listen);

    public static IApplicationBuilder UseManagementPort(this IApplicationBuilder app)
    {
        var access = app.ApplicationServices.GetRequiredService<ManagementAccess>();
        return app.Use((context, next) =>
        {
            var onManagement = Listener.IsOn(context);
            var endpoint = context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpoint>();
            if (!onManagement)
            {
                if (endpoint is not null || LooksLikeManagement(context.Request.Path.Value))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            }

            if (endpoint is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (endpoint.RequiresToken && !access.Allows(context.Request.Headers.Authorization.ToString()))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    /// <summary>A path that names a management endpoint under any spelling: percent-decoded, case, repeated or trailing slashes.</summary>
    internal static bool LooksLikeManagement(string? path)
    {
        var decoded = path ?? "";
        for (var i = 0; i < 3 && decoded.Contains('%', StringComparison.Ordinal); i++)
        {
            decoded = Uri.UnescapeDataString(decoded);
        }

        var segments = decoded.ToLowerInvariant().Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        return segments.Length > 0 && segments[0] is "metrics" or "healthz";
    }
}

/// <summary>Metadata of the management endpoints; <see cref="RequiresToken"/> for <c>/metrics</c>.</summary>
public sealed record ManagementEndpoint(bool RequiresToken)
{
    public static readonly ManagementEndpoint Health = new(false);
    public static readonly ManagementEndpoint Metrics = new(true);
}

/// <summary>What the management listener requires: the bearer token of <c>Hub:Management:BearerTokenFile</c>, if set.</summary>
public sealed class ManagementAccess
{
    private readonly byte[]? _token;

    private ManagementAccess(byte[]? token) => _token = token;

    public bool RequiresToken => _token is not null;

    public static ManagementAccess Load(ManagementOptions options, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(options.BearerTokenFile))
        {
            return new ManagementAccess(null);
        }

        var path = RepositoryPaths.Resolve(contentRoot, options.BearerTokenFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The management bearer token file {path} (Hub:Management:BearerTokenFile) does not exist.", path);
        }

        var token = File.ReadAllText(path).Trim();
        if (token.Length < 16 || token.Any(char.IsWhiteSpace))
        {
            throw new InvalidOperationException($"The management bearer token in {path} (Hub:Management:BearerTokenFile) must be at least 16 characters without spaces, e.g. made by `openssl rand -hex 32`.");
        }

        return new ManagementAccess(Encoding.UTF8.GetBytes(token));
    }

    public bool Allows(string authorization)
    {
        if (_token is null)
        {
            return true;
        }

        const string scheme = "Bearer ";
        return authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()), _token);
    }

    /// <summary>Whether the management address is plain HTTP reachable beyond loopback with <c>/metrics</c> open to anyone there.</summary>
    public static bool ExposedBeyondLoopback(string? url, ManagementAccess access)
    {
        if (string.IsNullOrWhiteSpace(url) || access.RequiresToken || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }

        return !(uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));
    }
}
