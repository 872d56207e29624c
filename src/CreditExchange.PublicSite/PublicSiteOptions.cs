namespace CreditExchange.PublicSite;

/// <summary>Settings of the public site, section "PublicSite". Relative paths are taken from the working directory.</summary>
public sealed class PublicSiteOptions
{
    public const string Section = "PublicSite";

    /// <summary>The hub's gRPC address.</summary>
    public Uri HubAddress { get; set; } = new("https://localhost:5443");

    /// <summary>The OAuth client id of the certificate: the regional platform, which holds publication.read.</summary>
    public string AgencyId { get; set; } = "drc";

    /// <summary>The agency certificate (PEM), as the hub mints it in development.</summary>
    public string CertificatePath { get; set; } = "certs-dev/agencies/drc.crt";

    /// <summary>Its private key (PEM).</summary>
    public string KeyPath { get; set; } = "certs-dev/agencies/drc.key";

    /// <summary>The hub's CA certificate (PEM), pinned.</summary>
    public string HubCaPath { get; set; } = "certs-dev/ca.crt";

    /// <summary>Where the site listens (ASPNETCORE_URLS or --urls win when given).</summary>
    public string ListenUrl { get; set; } = "http://localhost:5080";

    /// <summary>The mirror's SQLite file.</summary>
    public string DatabasePath { get; set; } = "data/publicsite.db";

    /// <summary>How long to wait before asking again once the change list is caught up.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Changes per page asked of the hub (1–1,000).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Records per page on the list page.</summary>
    public int ListPageSize { get; set; } = 20;

    /// <summary>
    /// Where the DRC dashboard listens: HTTPS on a port of its own that demands a staff client certificate of the hub's
    /// CA at the TLS handshake (empty: no dashboard). The public pages are never served there, nor the dashboard on
    /// <see cref="ListenUrl"/>.
    /// </summary>
    public string DashboardUrl { get; set; } = "https://localhost:5081";

    /// <summary>The dashboard's TLS server certificate (PEM); in development the hub's own, which names localhost.</summary>
    public string DashboardCertificatePath { get; set; } = "certs-dev/server.crt";

    /// <summary>Its private key (PEM).</summary>
    public string DashboardKeyPath { get; set; } = "certs-dev/server.key";

    /// <summary>The hub CA's revocation list (PEM or DER) checked for staff certificates; empty: none.</summary>
    public string RevocationListPath { get; set; } = "certs-dev/ca.crl";

    /// <summary>Staff ids (the certificate's urn:creditexchange:staff: URI) let in; empty: every staff certificate of the CA.</summary>
    public List<string> DashboardStaff { get; set; } = [];

    /// <summary>How many calendar years, this one included, the dashboard's breakdowns over time cover.</summary>
    public int DashboardYears { get; set; } = 5;
}
