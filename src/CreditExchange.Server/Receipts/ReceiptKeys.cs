using System.Security.Cryptography;
using CreditExchange.DevCerts;
using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Receipts;

/// <summary>
/// The hub's ECDSA P-256 receipt keys. Outside Production, when none is configured, one is minted
/// into the development certificates folder (receipts/), as the token keys are; Production refuses
/// to start without configured keys.
/// </summary>
public sealed class ReceiptKeys : IDisposable
{
    public const string DevelopmentKeyId = "dev-1";

    private ReceiptKeys(IReadOnlyDictionary<string, ECDsa> keys, string currentId, IReadOnlyDictionary<string, string> files)
    {
        Keys = keys;
        CurrentKeyId = currentId;
        KeyFiles = files;
    }

    /// <summary>Key id → the key's PEM file (its development certificate is minted next to it).</summary>
    public IReadOnlyDictionary<string, string> KeyFiles { get; }

    public IReadOnlyDictionary<string, ECDsa> Keys { get; }

    public string CurrentKeyId { get; }

    public ECDsa Current => Keys[CurrentKeyId];

    public static ReceiptKeys Load(ReceiptOptions options, HubOptions hub, string contentRoot, bool isProduction)
    {
        var files = options.SigningKeys.Where(k => !string.IsNullOrWhiteSpace(k.Value)).ToDictionary(k => k.Key, k => k.Value);
        var current = options.CurrentSigningKey;
        if (files.Count == 0)
        {
            if (isProduction)
            {
                throw new InvalidOperationException(
                    "Hub:Receipts:SigningKeys is not set. Production never mints its own receipt-signing key: configure " +
                    "PEM ECDSA P-256 key files and Hub:Receipts:CurrentSigningKey, the same on every hub instance.");
            }

            var folder = Path.Combine(RepositoryPaths.Resolve(contentRoot, hub.Tls.DevCertificatesFolder), "receipts");
            files[DevelopmentKeyId] = MintIfMissing(Path.Combine(folder, $"receipt-{DevelopmentKeyId}.key"));
            current ??= DevelopmentKeyId;
        }

        if (string.IsNullOrWhiteSpace(current) || !files.ContainsKey(current))
        {
            throw new InvalidOperationException(
                $"Hub:Receipts:CurrentSigningKey must name one of the keys of Hub:Receipts:SigningKeys ({string.Join(", ", files.Keys)}).");
        }

        return new ReceiptKeys(
            files.ToDictionary(f => f.Key, f => Read(RepositoryPaths.Resolve(contentRoot, f.Value)), StringComparer.Ordinal),
            current,
            files.ToDictionary(f => f.Key, f => RepositoryPaths.Resolve(contentRoot, f.Value), StringComparer.Ordinal));
    }

    /// <summary>Writes a new ECDSA P-256 PKCS#8 PEM key file (owner-only) unless it exists.</summary>
    public static string MintIfMissing(string path) =>
        DevFiles.CreateOnce(path, () =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return key.ExportPkcs8PrivateKeyPem();
        });

    private static ECDsa Read(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidOperationException($"The receipt key {path} does not hold a PEM ECDSA private key ({e.Message}).");
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidOperationException($"The receipt key {path} is not an ECDSA P-256 key.");
        }

        return key;
    }

    public void Dispose()
    {
        foreach (var key in Keys.Values)
        {
            key.Dispose();
        }
    }
}
