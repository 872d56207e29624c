using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CreditExchange.Client;

/// <summary>Mutual TLS to the hub: the agency's certificate, and the hub's CA as the only trusted root.</summary>
public static class HubTls
{
    /// <summary>
    /// Loads a certificate and its private key from PEM files. On Windows the key is re-imported
    /// through PKCS#12, because SChannel cannot present a certificate whose key is ephemeral (as
    /// keys loaded from PEM are).
    /// </summary>
    public static X509Certificate2 LoadClientCertificate(string certificatePemPath, string keyPemPath)
    {
        var loaded = X509Certificate2.CreateFromPemFile(certificatePemPath, keyPemPath);
        if (!OperatingSystem.IsWindows())
        {
            return loaded;
        }

        using (loaded)
        {
            return UsableForTls(loaded);
        }
    }

    /// <summary>The certificate as SChannel can use it: on Windows a copy with a non-ephemeral key, elsewhere the certificate itself.</summary>
    public static X509Certificate2 UsableForTls(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The client certificate has no private key.", nameof(certificate));
        }

        return OperatingSystem.IsWindows()
            ? LoadPkcs12(certificate.Export(X509ContentType.Pkcs12))
            : certificate;
    }

    /// <summary>Loads the hub's CA certificate from a PEM file.</summary>
    public static X509Certificate2 LoadCa(string pemPath) => LoadCertificateFromFile(pemPath);

    /// <summary>
    /// A handler that presents <paramref name="clientCertificate"/> and accepts the hub's server
    /// certificate only if it chains to <paramref name="hubCa"/> and names the host called.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2 clientCertificate, X509Certificate2 hubCa) =>
        CreateHandler(clientCertificate, hubCa, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(15));

    /// <summary>
    /// As <see cref="CreateHandler(X509Certificate2, X509Certificate2)"/>, with HTTP/2 keep-alive pings every
    /// <paramref name="keepAlivePingDelay"/> of silence while a call is open: a connection whose ping is not
    /// answered within <paramref name="keepAlivePingTimeout"/> is closed, so a feed stream on a dead network
    /// path fails (and its follower reconnects) instead of waiting forever.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2 clientCertificate, X509Certificate2 hubCa, TimeSpan keepAlivePingDelay, TimeSpan keepAlivePingTimeout) => new()
    {
        KeepAlivePingDelay = keepAlivePingDelay,
        KeepAlivePingTimeout = keepAlivePingTimeout,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [clientCertificate],
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null
                && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
                && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0
                && ChainsTo(certificate, hubCa),
        },
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="ca"/> alone (custom root trust, no OS store).</summary>
    public static bool ChainsTo(X509Certificate certificate, X509Certificate2 ca)
    {
        using var leaf = LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    // X509CertificateLoader is .NET 9+; on .NET 8 the constructors it replaces do the same for these inputs.
#if NET9_0_OR_GREATER
    private static X509Certificate2 LoadPkcs12(byte[] pkcs12) => X509CertificateLoader.LoadPkcs12(pkcs12, password: null);

    private static X509Certificate2 LoadCertificateFromFile(string path) => X509CertificateLoader.LoadCertificateFromFile(path);

    private static X509Certificate2 LoadCertificate(byte[] der) => X509CertificateLoader.LoadCertificate(der);
#else
    private static X509Certificate2 LoadPkcs12(byte[] pkcs12) => new(pkcs12, (string?)null);

    private static X509Certificate2 LoadCertificateFromFile(string path) => new(path);

    private static X509Certificate2 LoadCertificate(byte[] der) => new(der);
#endif
}
