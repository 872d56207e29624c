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
    /// <summary>Kestrel on HTTP/2 over TLS 1.2+ (see <see cref="UseHttps"/>), and the management listener.</summary>
    public static IHostApplicationBuilder AddTransport(this WebApplicationBuilder builder)
    {
        var options = builder.GetHubOptions();
        var hubUrl = RequireUrl(options.Url, "Hub:Url", Uri.UriSchemeHttps);
        var managementUrl = string.IsNullOrWhiteSpace(options.Management.Url)
            ? null
            : RequireUrl(options.Management.Url, "Hub:Management:Url", Uri.UriSchemeHttp, Uri.UriSchemeHttps);
        var openDataUrl = string.IsNullOrWhiteSpace(options.OpenData.Url)
            ? null
            : RequireUrl(options.OpenData.Url, "Hub:OpenData:Url", Uri.UriSchemeHttps, Uri.UriSchemeHttp);

        var agencyIds = AgencyOptions.Read(builder.Configuration).Select(a => a.Id);
        var material = TlsMaterial.Load(
            options,
            agencyIds,
            builder.Environment.ContentRootPath,
            builder.Environment.IsProduction(),
            TimeProvider.System);
        builder.Services.AddSingleton(material);
        builder.Services.AddSingleton(ManagementAccess.Load(options.Management, builder.Environment.ContentRootPath));
        ((IHostApplicationBuilder)builder).Properties[typeof(TlsMaterial)] = material;
        // Certificate validity is judged on the wall clock, never on the (possibly simulated) domain clock.
        builder.Services.AddSingleton(new ClientCertificatePolicy(material.Ca, () => material.RevocationList, TimeProvider.System));
        var managementSubjects = options.Management.ClientCertificateSubjects.ToHashSet(StringComparer.Ordinal);

        // The hub's own address (HTTPS, client certificate required) and, when set, the management address (health
        // probes and metrics only; see ManagementPort): each its own listener, the management one marked on its
        // connections, so that which listener a request came in on is never guessed from what the request says.
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            Listen(kestrel, hubUrl, listen => UseHttps(listen, kestrel, material, subjects: null));
            if (openDataUrl is not null)
            {
                // The open figures (四(三)): a listener of their own without client certificates, so that the hub's
                // listener never has to make its certificate optional; see OpenDataPort.
                Listen(kestrel, openDataUrl, listen =>
                {
                    OpenDataPort.MarkOpenData(listen);
                    if (openDataUrl.Scheme == Uri.UriSchemeHttps)
                    {
                        listen.UseHttps(https =>
                        {
                            https.ServerCertificate = material.Server;
                            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                            https.ClientCertificateMode = ClientCertificateMode.NoCertificate;
                        });
                    }
                });
            }

            if (managementUrl is not null)
            {
                Listen(kestrel, managementUrl, listen =>
                {
                    ManagementPort.MarkManagement(listen);
                    if (managementUrl.Scheme == Uri.UriSchemeHttps)
                    {
                        UseHttps(listen, kestrel, material, managementSubjects);
                    }
                });
            }
        });
        return builder;
    }

    /// <summary>Listens where <paramref name="url"/> says: an IP address, <c>localhost</c> (loopback), or any other host name (all addresses).</summary>
    private static void Listen(KestrelServerOptions kestrel, Uri url, Action<ListenOptions> configure)
    {
        void Configure(ListenOptions listen)
        {
            // HTTP/2 for gRPC; HTTP/1.1 too, for OAuth clients of the token endpoint and for probes and scrapers
            // (plain HTTP: HTTP/1.1 only, since HTTP/2 needs TLS to be negotiated).
            listen.Protocols = url.Scheme == Uri.UriSchemeHttps ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            configure(listen);
        }

        var host = url.Host.Trim('[', ']');
        if (System.Net.IPAddress.TryParse(host, out var address))
        {
            kestrel.Listen(address, url.Port, Configure);
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(url.Port, Configure);
        }
        else
        {
            kestrel.ListenAnyIP(url.Port, Configure);
        }
    }

    /// <summary>
    /// TLS 1.2+ with the hub's server certificate, a client certificate required in the handshake and judged by our own
    /// policy only: chain to our CA (no OS trust store), client-auth EKU, our CRL; on the management listener also one of
    /// <c>Hub:Management:ClientCertificateSubjects</c> when listed.
    /// </summary>
    private static void UseHttps(ListenOptions listen, KestrelServerOptions kestrel, TlsMaterial material, HashSet<string>? subjects) =>
        listen.UseHttps(https =>
        {
            https.ServerCertificate = material.Server;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.CheckCertificateRevocation = false; // our own CRL is applied by the policy below
            https.ClientCertificateValidation = (certificate, _, _) =>
            {
                var policy = kestrel.ApplicationServices.GetRequiredService<ClientCertificatePolicy>();
                var check = policy.Evaluate(certificate);
                var reason = check.IsValid
                    ? subjects is { Count: > 0 } && !subjects.Contains(certificate.Subject) ? "not one of Hub:Management:ClientCertificateSubjects" : null
                    : check.Reason ?? "unknown";
                if (reason is not null)
                {
                    var logger = kestrel.ApplicationServices.GetRequiredService<ILogger<ClientCertificatePolicy>>();
                    Log.ClientCertificateRefused(logger, certificate.Subject, certificate.Thumbprint, reason);
                }

                return reason is null;
            };
        });

    private static Uri RequireUrl(string value, string setting, params string[] schemes)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme) || uri.AbsolutePath != "/")
        {
            throw new InvalidOperationException($"{setting} must be an absolute {string.Join(" or ", schemes)} address such as {schemes[0]}://127.0.0.1:5443, not '{value}'.");
        }

        return uri;
    }

    /// <summary>The TLS material loaded by <see cref="AddTransport"/>, for composition steps that need the CA.</summary>
    public static TlsMaterial GetTlsMaterial(this IHostApplicationBuilder builder) =>
        builder.Properties.TryGetValue(typeof(TlsMaterial), out var material) && material is TlsMaterial m
            ? m
            : throw new InvalidOperationException("AddTransport must run first.");
}
