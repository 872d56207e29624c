using System.Security.Cryptography;
using CreditExchange.DevCerts;
using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Privacy;

/// <summary>
/// The loaded key material of <see cref="PrivacyOptions"/>. Outside Production, whatever is not
/// configured is minted into the development certificates folder (privacy/), as the token keys are;
/// Production refuses to start without configured keys.
/// </summary>
public sealed class PrivacyKeys
{
    public const string DevelopmentKeyId = "dev-1";
    public const int KeyLength = 32;

    private PrivacyKeys(IReadOnlyDictionary<string, byte[]> encryption, string currentId, byte[] lookup, byte[] auditMac)
    {
        Encryption = encryption;
        CurrentEncryptionKeyId = currentId;
        LookupKey = lookup;
        AuditMacKey = auditMac;
    }

    public IReadOnlyDictionary<string, byte[]> Encryption { get; }

    public string CurrentEncryptionKeyId { get; }

    public byte[] LookupKey { get; }

    public byte[] AuditMacKey { get; }

    public static PrivacyKeys Load(PrivacyOptions options, HubOptions hub, string contentRoot, bool isProduction)
    {
        var devFolder = Path.Combine(RepositoryPaths.Resolve(contentRoot, hub.Tls.DevCertificatesFolder), "privacy");
        var ring = options.EncryptionKeys.Where(k => !string.IsNullOrWhiteSpace(k.Value)).ToDictionary(k => k.Key, k => k.Value);
        var current = options.CurrentEncryptionKey;
        if (ring.Count == 0)
        {
            Require(isProduction, "Hub:Privacy:EncryptionKeys");
            ring[DevelopmentKeyId] = MintIfMissing(Path.Combine(devFolder, $"content-{DevelopmentKeyId}.key"));
            current ??= DevelopmentKeyId;
        }

        if (string.IsNullOrWhiteSpace(current) || !ring.ContainsKey(current))
        {
            throw new InvalidOperationException(
                $"Hub:Privacy:CurrentEncryptionKey must name one of the keys of Hub:Privacy:EncryptionKeys ({string.Join(", ", ring.Keys)}).");
        }

        if (ring.Keys.Any(id => id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new InvalidOperationException("Hub:Privacy:EncryptionKeys ids must be 1–64 characters of A-Z a-z 0-9 - _ .");
        }

        var lookup = options.LookupKey;
        if (string.IsNullOrWhiteSpace(lookup))
        {
            Require(isProduction, "Hub:Privacy:LookupKey");
            lookup = MintIfMissing(Path.Combine(devFolder, "lookup.key"));
        }

        var audit = options.AuditMacKey;
        if (string.IsNullOrWhiteSpace(audit))
        {
            Require(isProduction, "Hub:Privacy:AuditMacKey");
            audit = MintIfMissing(Path.Combine(devFolder, "audit-mac.key"));
        }

        return new PrivacyKeys(
            ring.ToDictionary(k => k.Key, k => Read(RepositoryPaths.Resolve(contentRoot, k.Value)), StringComparer.Ordinal),
            current,
            Read(RepositoryPaths.Resolve(contentRoot, lookup)),
            Read(RepositoryPaths.Resolve(contentRoot, audit)));
    }

    /// <summary>Writes a new random key file (base64 of 32 bytes, owner-only) unless it exists.</summary>
    public static string MintIfMissing(string path) =>
        DevFiles.CreateOnce(path, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyLength)) + "\n");

    private static void Require(bool isProduction, string setting)
    {
        if (isProduction)
        {
            throw new InvalidOperationException(
                $"{setting} is not set. Production never mints its own personal-data keys: configure key files " +
                "(32 random bytes, base64), the same on every hub instance.");
        }
    }

    private static byte[] Read(string path)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The key file {path} does not hold base64.");
        }

        return key.Length == KeyLength
            ? key
            : throw new InvalidOperationException($"The key file {path} holds {key.Length} bytes; {KeyLength} are required.");
    }
}
