namespace CreditExchange.Server.Privacy;

/// <summary>Keys that protect personal data, section "Hub:Privacy". Files hold 32 random bytes, base64.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Hub:Privacy";

    /// <summary>
    /// The AES-256-GCM key ring: key id → key file. Old keys stay listed so that what they
    /// encrypted stays readable; new writes use <see cref="CurrentEncryptionKey"/>.
    /// </summary>
    public Dictionary<string, string> EncryptionKeys { get; set; } = [];

    /// <summary>Id of the ring's key that encrypts new writes.</summary>
    public string? CurrentEncryptionKey { get; set; }

    /// <summary>Key file of the HMAC-SHA256 that turns identifiers into lookup keys. Never rotated casually: lookups depend on it.</summary>
    public string? LookupKey { get; set; }

    /// <summary>Key file of the HMAC-SHA256 with which the hub marks the audit entries it writes.</summary>
    public string? AuditMacKey { get; set; }
}
