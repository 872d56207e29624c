using System.Net;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Security;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace CreditExchange.PublicSite.Dashboard;

/// <summary>
/// Keeps the public and the staff listener apart. The public pages answer only on <see cref="PublicSiteOptions.ListenUrl"/>;
/// the dashboard only on <see cref="PublicSiteOptions.DashboardUrl"/>, an HTTPS listener whose TLS handshake demands a
/// client certificate that chains to the hub's CA, carries clientAuth, is not on the CA's revocation list and names a
/// staff member (<see cref="StaffCertificateIdentity"/>): a browser without one never gets a TCP stream that speaks HTTP.
/// Which listener a request came in on is marked on its connection, never guessed from the path, scheme or Host header.
/// </summary>
public sealed partial class StaffAccess(PublicSiteOptions settings, TimeProvider time, ILogger<StaffAccess> logger)
{
    private const string ConnectionItem = "creditexchange.dashboard";
    private readonly Lock _gate = new();
    private X509Certificate2? _server;
    private X509Certificate2? _ca;
    private ClientCertificatePolicy? _policy;
    private (DateTime Written, RevocationList? List) _crl;

    /// <summary>Where the site listens: the public pages (the configured urls, else ListenUrl) and the dashboard.</summary>
    public void Listen(KestrelServerOptions kestrel, string publicUrl)
    {
        var publicUri = RequireUrl(publicUrl, "PublicSite:ListenUrl", Uri.UriSchemeHttp, Uri.UriSchemeHttps);
        Listen(kestrel, publicUri, listen =>
        {
            if (publicUri.Scheme == Uri.UriSchemeHttps)
            {
                listen.UseHttps(https => https.ServerCertificateSelector = (_, _) => ServerCertificate());
            }
        });
        if (string.IsNullOrWhiteSpace(settings.DashboardUrl))
        {
            return;
        }

        Listen(kestrel, RequireUrl(settings.DashboardUrl, "PublicSite:DashboardUrl", Uri.UriSchemeHttps), listen =>
        {
            listen.Use(next => connection =>
            {
                connection.Items[ConnectionItem] = true;
                return next(connection);
            });
            listen.UseHttps(https =>
            {
                https.ServerCertificateSelector = (_, _) => ServerCertificate();
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.CheckCertificateRevocation = false; // the CA's own list, below; never the platform's online check
                https.ClientCertificateValidation = (certificate, _, _) => Admits(certificate);
            });
        });
    }

    /// <summary>Whether a client certificate may open the dashboard; every refusal is logged with its reason.</summary>
    public bool Admits(X509Certificate2 certificate)
    {
        var check = Policy().Evaluate(certificate);
        if (!check.IsValid)
        {
            LogRefused(certificate.Subject, check.Reason ?? "invalid");
            return false;
        }

        var staff = StaffCertificateIdentity.StaffId(certificate);
        if (staff is null || (settings.DashboardStaff.Count > 0 && !settings.DashboardStaff.Contains(staff, StringComparer.Ordinal)))
        {
            LogRefused(certificate.Subject, staff is null ? "not_a_staff_certificate" : "staff_not_listed");
            return false;
        }

        return true;
    }

    /// <summary>Whether the request came in on the dashboard's listener.</summary>
    public static bool OnDashboard(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionItem) == true;

    /// <summary>The staff member of a dashboard request (the handshake already checked the certificate).</summary>
    public static string? Staff(HttpContext context) =>
        context.Connection.ClientCertificate is { } certificate ? StaffCertificateIdentity.StaffId(certificate) : null;

    /// <summary>
    /// 404 for a dashboard endpoint asked on the public listener, and for anything else asked on the dashboard's;
    /// a dashboard request without a staff certificate (impossible after the handshake, checked anyway) gets 403.
    /// </summary>
    public static IApplicationBuilder UseListenerSeparation(IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var dashboardEndpoint = context.GetEndpoint()?.Metadata.GetMetadata<DashboardEndpoint>() is not null;
            if (OnDashboard(context) != dashboardEndpoint)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (dashboardEndpoint && Staff(context) is null)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            return next(context);
        });

    private X509Certificate2 ServerCertificate()
    {
        lock (_gate)
        {
            // Read on first use, not at start: the hub may not have minted certs-dev/ yet when the site starts.
            return _server ??= X509Certificate2.CreateFromPemFile(Path.GetFullPath(settings.DashboardCertificatePath), Path.GetFullPath(settings.DashboardKeyPath));
        }
    }

    private ClientCertificatePolicy Policy()
    {
        lock (_gate)
        {
            _ca ??= X509CertificateLoader.LoadCertificateFromFile(Path.GetFullPath(settings.HubCaPath));
            return _policy ??= new ClientCertificatePolicy(_ca, CurrentRevocationList, time);
        }
    }

    private RevocationList? CurrentRevocationList()
    {
        if (string.IsNullOrWhiteSpace(settings.RevocationListPath))
        {
            return null;
        }

        var path = Path.GetFullPath(settings.RevocationListPath);
        lock (_gate)
        {
            // Read again when the file changes, as the hub does; a missing file fails closed (nothing admitted).
            var written = File.GetLastWriteTimeUtc(path);
            if (_crl.List is null || _crl.Written != written)
            {
                _crl = (written, RevocationList.Load(path, _ca!));
            }

            return _crl.List;
        }
    }

    private static Uri RequireUrl(string value, string setting, params string[] schemes)
    {
        if (!Uri.TryCreate(value.Split(';')[0].Trim(), UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme) || uri.AbsolutePath != "/")
        {
            throw new InvalidOperationException($"{setting} must be an absolute {string.Join(" or ", schemes)} URL without a path, e.g. {schemes[0]}://localhost:5081; got '{value}'.");
        }

        return uri;
    }

    /// <summary>Listens where <paramref name="url"/> says: an IP address, <c>localhost</c> (loopback), or any other host name (all addresses).</summary>
    private static void Listen(KestrelServerOptions kestrel, Uri url, Action<ListenOptions> configure)
    {
        var host = url.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            kestrel.Listen(address, url.Port, configure);
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(url.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(url.Port, configure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard: refused the client certificate '{Subject}': {Reason}")]
    private partial void LogRefused(string subject, string reason);
}

/// <summary>Metadata of the dashboard's endpoints: served on the dashboard's listener only.</summary>
public sealed class DashboardEndpoint
{
    public static readonly DashboardEndpoint Instance = new();

    private DashboardEndpoint()
    {
    }
}
