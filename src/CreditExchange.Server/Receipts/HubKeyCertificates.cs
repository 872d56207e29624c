using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.DevCerts;
using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Receipts;

/// <summary>
/// The X.509 certificates of the hub's signing keys (Hub:Receipts:SigningCertificates), the trust anchor of evidence
/// bundles: each chains to the CA, so a verifier needs only the CA to trust a receipt, a checkpoint or a manifest.
/// Outside Production a key without a configured certificate gets one minted by the development CA (the PEM key beside
/// the CA certificate), next to its key file (certs-dev/receipts/receipt-&lt;id&gt;.crt), on first use.
/// </summary>
public sealed class HubKeyCertificates(ReceiptKeys keys, ReceiptOptions options, HubOptions hub, string contentRoot, bool isProduction, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Lazy<string?>> _pem = new(StringComparer.Ordinal);

    /// <summary>The PEM certificate of a key, or null when it has none.</summary>
    public string? Pem(string keyId) => _pem.GetOrAdd(keyId, id => new Lazy<string?>(() => Load(id))).Value;

    private string? Load(string keyId)
    {
        if (options.SigningCertificates.TryGetValue(keyId, out var path) && !string.IsNullOrWhiteSpace(path))
        {
            var pem = File.ReadAllText(RepositoryPaths.Resolve(contentRoot, path));
            using var certificate = X509Certificate2.CreateFromPem(pem);
            using var key = certificate.GetECDsaPublicKey();
            if (key is null || !keys.Keys.TryGetValue(keyId, out var own)
                || !key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(own.ExportSubjectPublicKeyInfo()))
            {
                throw new InvalidOperationException($"The certificate {path} of receipt key '{keyId}' does not certify that key (Hub:Receipts:SigningCertificates).");
            }

            return pem;
        }

        if (isProduction || !keys.Keys.TryGetValue(keyId, out var signing) || !keys.KeyFiles.TryGetValue(keyId, out var keyFile))
        {
            return null;
        }

        var caCertificate = string.IsNullOrWhiteSpace(hub.Tls.CaCertificate)
            ? Path.Combine(RepositoryPaths.Resolve(contentRoot, hub.Tls.DevCertificatesFolder), "ca.crt")
            : RepositoryPaths.Resolve(contentRoot, hub.Tls.CaCertificate);
        var caKey = Path.ChangeExtension(caCertificate, ".key");
        return File.Exists(caCertificate) && File.Exists(caKey)
            ? DevCertificateMinter.EnsureHubKeyCertificate(Path.ChangeExtension(keyFile, ".crt"), keyId, signing, caCertificate, caKey, time)
            : null;
    }
}
