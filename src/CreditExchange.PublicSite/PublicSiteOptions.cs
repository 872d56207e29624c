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
}
