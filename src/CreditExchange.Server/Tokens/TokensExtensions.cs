using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Domain.Agencies;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Settings;
using CreditExchange.Server.Transport;
using CreditExchange.Storage;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;

namespace CreditExchange.Server.Tokens;

public static class TokensExtensions
{
    /// <summary>
    /// OAuth2 client credentials with RFC 8705 mutual-TLS client authentication (tls_client_auth)
    /// and certificate-bound access tokens (cnf / x5t#S256), served by OpenIddict on the hub itself.
    /// </summary>
    public static IHostApplicationBuilder AddTokens(this IHostApplicationBuilder builder)
    {
        var hub = builder.GetHubOptions();
        var keys = TokenKeys.Load(hub, builder.Environment.ContentRootPath, builder.Environment.IsProduction());
        builder.Services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<CreditDbContext>();
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, AgencyApplicationManager>();
            })
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenEndpoint.Path);
                server.AllowClientCredentialsFlow();
                server.RegisterScopes([.. Scopes.All]);
                server.SetAccessTokenLifetime(hub.Tokens.AccessTokenLifetime);
                // Always a fixed issuer (default: Hub:Url), never the authority of each request: a token
                // then works whichever name the client used (localhost, 127.0.0.1, a load balancer)
                // and on every instance that shares the keys.
                server.SetIssuer(new Uri(string.IsNullOrWhiteSpace(hub.Tokens.Issuer) ? hub.Url : hub.Tokens.Issuer, UriKind.Absolute));

                server.AddSigningKey(keys.Signing);
                server.AddEncryptionKey(keys.Encryption);
                // Access tokens are signed, not encrypted: the hub is both their issuer and their only resource
                // server, and they carry no personal data (agency id, scopes, the certificate thumbprint). An
                // encrypted token cost an RSA key unwrap on every call (issue 14: 40% of an authenticated call's
                // CPU). Signature, issuer, lifetime and the cnf binding to the connection's certificate are still
                // checked on every call.
                server.DisableAccessTokenEncryption();

                // PKI client certificates chained to the hub's CA only; revocation and the
                // certificate-to-agency pinning are applied by AgencyApplicationManager.
                server.EnablePublicKeyInfrastructureTlsClientAuthentication([builder.GetTlsMaterial().Ca], policy => policy.RevocationMode = X509RevocationMode.NoCheck);
                server.UseClientCertificateBoundAccessTokens();
                server.AddEventHandler(RejectUngrantedScopes.Descriptor);
                server.UseAspNetCore().EnableTokenEndpointPassthrough();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });

        builder.Services.AddSingleton<ValidatedTokens>();
        builder.Services.AddSingleton<BearerTokens>();

        // Certificates are the only client credential: no secrets (basic or post), no client
        // assertions. Post-configured so that the ASP.NET Core host's defaults are removed too.
        builder.Services.PostConfigure<OpenIddictServerOptions>(o =>
        {
            o.ClientAuthenticationMethods.Clear();
            o.ClientAuthenticationMethods.Add(OpenIddictConstants.ClientAuthenticationMethods.TlsClientAuth);
        });
        return builder;
    }

    /// <summary>
    /// Whether a request is for one of the OpenIddict server's own endpoints (the token endpoint, discovery, the key
    /// set), read once from its options. Only those need ASP.NET Core's authentication middleware: in front of
    /// every gRPC call it ran OpenIddict's request pipeline, which parses and compares URIs to decide that the call
    /// is not for it (about a tenth of a no-op call's CPU); calls check their bearer token themselves (<see cref="BearerTokens"/>).
    /// </summary>
    public static Func<HttpContext, bool> ForTokenServer(IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<OpenIddictServerOptions>>().Value;
        var paths = new[]
            {
                o.AuthorizationEndpointUris, o.ConfigurationEndpointUris, o.DeviceAuthorizationEndpointUris, o.EndSessionEndpointUris,
                o.EndUserVerificationEndpointUris, o.IntrospectionEndpointUris, o.JsonWebKeySetEndpointUris, o.PushedAuthorizationEndpointUris,
                o.RevocationEndpointUris, o.TokenEndpointUris, o.UserInfoEndpointUris,
            }
            .SelectMany(uris => uris)
            .Select(uri => "/" + (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).Trim('/'))
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        return http => paths.Contains(http.Request.Path.Value?.TrimEnd('/') ?? "");
    }

    public static WebApplication MapTokens(this WebApplication app)
    {
        app.MapPost("/" + TokenEndpoint.Path, TokenEndpoint.Handle);
        return app;
    }

    /// <summary>One OpenIddict client per registered agency, in step with the registry.</summary>
    public static async Task InitializeTokensAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await AgencyApplications.SyncAsync(manager, app.Services.GetRequiredService<AgencyRegistry>().All, ct);
    }
}
