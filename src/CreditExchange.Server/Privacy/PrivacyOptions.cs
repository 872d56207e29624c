using System.ComponentModel;
namespace CreditExchange.Server.Privacy;

/// <summary>Keys that protect personal data, section "Hub:Privacy". Files hold 32 random bytes, base64.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Hub:Privacy";

    [Description("The AES-256-GCM key ring: key id → key file. Old keys stay listed so that what they encrypted stays readable; new writes use CurrentEncryptionKey.")]
    public Dictionary<string, string> EncryptionKeys { get; set; } = [];

    [Description("Id of the ring's key that encrypts new writes.")]
    public string? CurrentEncryptionKey { get; set; }

    [Description("Key file of the HMAC-SHA256 that turns identifiers into lookup keys. Never rotated casually: lookups depend on it.")]
    public string? LookupKey { get; set; }

    [Description("Key file of the HMAC-SHA256 with which the hub marks the audit entries it writes.")]
    public string? AuditMacKey { get; set; }
}
