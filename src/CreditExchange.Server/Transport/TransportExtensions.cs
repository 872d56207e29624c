using System.Security.Authentication;
using CreditExchange.Security;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Settings;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Transport;

public static class TransportExtensions
{
    /// <summary>
    /// Kestrel on HTTP/2 over TLS 1.2+, a client certificate required in the handshake and judged
    /// by our own policy only: chain to our CA (no OS trust store), client-auth EKU, our CRL.
    /// </summary>
    public static IHostApplicationBuilder AddTransport(this WebApplicationBuilder builder)
    {
        var options = builder.GetHubOptions();
        RequireUrl(options.Url, "Hub:Url", Uri.UriSchemeHttps);
        if (!string.IsNullOrWhiteSpace(options.Management.Url))
        {
            RequireUrl(options.Management.Url, "Hub:Management:Url", Uri.UriSchemeHttp);
        }

        var agencyIds = AgencyOptions.Read(builder.Configuration).Select(a => a.Id);
        var material = TlsMaterial.Load(
            options,
            agencyIds,
            builder.Environment.ContentRootPath,
            builder.Environment.IsProduction(),
            TimeProvider.System);
        builder.Services.AddSingleton(material);
        ((IHostApplicationBuilder)builder).Properties[typeof(TlsMaterial)] = material;
        // Certificate validity is judged on the wall clock, never on the (possibly simulated) domain clock.
        builder.Services.AddSingleton(new ClientCertificatePolicy(material.Ca, () => material.RevocationList, TimeProvider.System));

        // The hub's own address (HTTPS, client certificate required) and, when set, the management
        // address (plain HTTP: health probes and metrics only; see ManagementPort).
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(options.Management.Url) ? [options.Url] : [options.Url, options.Management.Url]);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            // HTTP/2 for gRPC; HTTP/1.1 too, for OAuth clients of the token endpoint.
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = material.Server;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.CheckCertificateRevocation = false; // our own CRL is applied by the policy below
                https.ClientCertificateValidation = (certificate, _, _) =>
                {
                    var policy = kestrel.ApplicationServices.GetRequiredService<ClientCertificatePolicy>();
                    var check = policy.Evaluate(certificate);
                    if (!check.IsValid)
                    {
                        var logger = kestrel.ApplicationServices.GetRequiredService<ILogger<ClientCertificatePolicy>>();
                        Log.ClientCertificateRefused(logger, certificate.Subject, certificate.Thumbprint, check.Reason ?? "unknown");
                    }

                    return check.IsValid;
                };
            });
        });
        return builder;
    }

    private static void RequireUrl(string value, string setting, string scheme)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != scheme || uri.AbsolutePath != "/")
        {
            throw new InvalidOperationException($"{setting} must be an absolute {scheme} address such as {scheme}://127.0.0.1:5443, not '{value}'.");
        }
    }

    /// <summary>The TLS material loaded by <see cref="AddTransport"/>, for composition steps that need the CA.</summary>
    public static TlsMaterial GetTlsMaterial(this IHostApplicationBuilder builder) =>
        builder.Properties.TryGetValue(typeof(TlsMaterial), out var material) && material is TlsMaterial m
            ? m
            : throw new InvalidOperationException("AddTransport must run first.");
}
