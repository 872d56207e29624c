namespace CreditExchange.Server.Receipts;

/// <summary>Receipt-signing keys, section "Hub:Receipts".</summary>
public sealed class ReceiptOptions
{
    public const string Section = "Hub:Receipts";

    /// <summary>
    /// Key id → PEM file of an ECDSA P-256 private key. Every key listed is published for
    /// verification; keep retired keys listed so that the receipts they signed keep verifying.
    /// </summary>
    public Dictionary<string, string> SigningKeys { get; set; } = [];

    /// <summary>Id of the key that signs new receipts.</summary>
    public string? CurrentSigningKey { get; set; }
}
