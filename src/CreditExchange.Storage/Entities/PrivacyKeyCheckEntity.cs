namespace CreditExchange.Storage.Entities;

/// <summary>
/// The check value of a privacy key id, remembered when the hub first holds it to seal (or finds the values sealed
/// under it opening): a key file replaced under the same id no longer matches, and the hub refuses to start rather
/// than seal and read with the wrong key.
/// </summary>
public sealed class PrivacyKeyCheckEntity
{
    public string KeyId { get; set; } = "";

    /// <summary>HMAC-SHA256 of a fixed label under the key (never the key).</summary>
    public required byte[] CheckValue { get; set; }

    public DateTime RememberedAt { get; set; }
}
