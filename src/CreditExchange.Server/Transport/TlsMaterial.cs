using System.Security.Cryptography.X509Certificates;
using CreditExchange.DevCerts;
using CreditExchange.Security;
using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Transport;

/// <summary>The certificates the hub serves with and trusts, loaded once at start-up.</summary>
public sealed class TlsMaterial
{
    /// <summary>Subject of the development CA minted by CreditExchange.DevCerts.</summary>
    public const string DevelopmentCaSubject = "CN=CreditExchange Development CA, O=CreditExchange Development";

    private readonly string? _revocationListPath;
    private RevocationList? _revocationList;

    private TlsMaterial(X509Certificate2 ca, X509Certificate2 server, string? revocationListPath)
    {
        Ca = ca;
        Server = server;
        _revocationListPath = revocationListPath;
        ReloadRevocationList();
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public bool IsDevelopmentCa => Ca.Subject == DevelopmentCaSubject;

    /// <summary>The folder development certificates were minted into at this start, if they were.</summary>
    public string? MintedInto { get; private set; }

    public RevocationList? RevocationList => Volatile.Read(ref _revocationList);

    /// <summary>The CRL file, when one is configured.</summary>
    public string? RevocationListPath => _revocationListPath;

    /// <summary>Raised after a revocation list was loaded (open calls of certificates it revokes are then closed).</summary>
    public event Action? RevocationListReloaded;

    /// <summary>Reads the CRL again (a bad CRL throws and the previous one stays in force).</summary>
    public void ReloadRevocationList()
    {
        if (_revocationListPath is not null)
        {
            Volatile.Write(ref _revocationList, RevocationList.Load(_revocationListPath, Ca));
            RevocationListReloaded?.Invoke();
        }
    }

    public static TlsMaterial Load(HubOptions options, IEnumerable<string> agencyIds, string contentRoot, bool isProduction, TimeProvider time)
    {
        var tls = options.Tls;
        string? minted = null;
        if (string.IsNullOrWhiteSpace(tls.CaCertificate))
        {
            if (isProduction)
            {
                throw new InvalidOperationException(
                    "Hub:Tls:CaCertificate is not set. Development certificates are never used in Production: " +
                    "configure Hub:Tls:CaCertificate, ServerCertificate, ServerKey and RevocationList.");
            }

            var folder = RepositoryPaths.Resolve(contentRoot, tls.DevCertificatesFolder);
            var minting = !File.Exists(Path.Combine(folder, "ca.crt"));
            var set = DevCertificateMinter.EnsureMinted(folder, agencyIds.ToList(), time);
            minted = minting ? set.Folder : null;
            tls = new TlsOptions
            {
                CaCertificate = set.CaCertificate,
                ServerCertificate = set.ServerCertificate,
                ServerKey = set.ServerKey,
                RevocationList = set.RevocationList,
            };
        }

        if (string.IsNullOrWhiteSpace(tls.ServerCertificate) || string.IsNullOrWhiteSpace(tls.ServerKey))
        {
            throw new InvalidOperationException("Hub:Tls:ServerCertificate and Hub:Tls:ServerKey must both be set.");
        }

        var ca = X509CertificateLoader.LoadCertificateFromFile(Resolve(tls.CaCertificate!));
        var server = X509Certificate2.CreateFromPemFile(Resolve(tls.ServerCertificate), Resolve(tls.ServerKey));
        var crl = string.IsNullOrWhiteSpace(tls.RevocationList) ? null : Resolve(tls.RevocationList);
        var material = new TlsMaterial(ca, server, crl) { MintedInto = minted };
        if (isProduction && material.IsDevelopmentCa)
        {
            throw new InvalidOperationException(
                "The configured CA is the CreditExchange development CA. It is refused when ASPNETCORE_ENVIRONMENT=Production.");
        }

        return material;

        string Resolve(string path)
        {
            var full = RepositoryPaths.Resolve(contentRoot, path);
            return File.Exists(full)
                ? full
                : throw new FileNotFoundException($"The TLS file {full} (Hub:Tls) does not exist.", full);
        }
    }
}
