using System.ComponentModel;
namespace CreditExchange.Server.Receipts;

/// <summary>Receipt-signing keys, section "Hub:Receipts".</summary>
public sealed class ReceiptOptions
{
    public const string Section = "Hub:Receipts";

    [Description("Key id → PEM file of an ECDSA P-256 private key. Every key listed is published for verification; keep retired keys listed so that the receipts they signed keep verifying.")]
    public Dictionary<string, string> SigningKeys { get; set; } = [];

    [Description("Id of the key that signs new receipts.")]
    public string? CurrentSigningKey { get; set; }

    [Description("Key id → PEM file of the key's X.509 certificate, issued by the CA evidence bundles are verified against (docs/evidence.md). Keep retired keys' certificates listed. Outside Production a key without one gets a certificate minted next to its key file by the development CA (the key beside Hub:Tls:CaCertificate); ExportEvidence refuses (EVIDENCE_UNAVAILABLE) when a key it needs has none.")]
    public Dictionary<string, string> SigningCertificates { get; set; } = [];
}
