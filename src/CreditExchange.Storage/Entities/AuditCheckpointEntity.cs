namespace CreditExchange.Storage.Entities;

/// <summary>Where a stored checkpoint stands with the time-stamping authority.</summary>
public enum CheckpointStampStatus
{
    /// <summary>Not yet time-stamped: no authority is configured, or it has not answered yet.</summary>
    Pending = 0,

    /// <summary>Time-stamped: <see cref="AuditCheckpointEntity.TimestampToken"/> holds the authority's RFC 3161 token.</summary>
    Stamped = 1,
}

/// <summary>
/// A sealed checkpoint of the audit chain the hub stored on its schedule: the head it had sealed (segment, position,
/// link), as a ChainCheckpoint statement signed with a receipt key, and the RFC 3161 token of an independent
/// time-stamping authority over SHA-256 of that statement once it answered. Numbered 1, 2, … without gaps.
/// </summary>
public sealed class AuditCheckpointEntity
{
    /// <summary>1 for the first checkpoint, then one more for each; also inside the signed statement.</summary>
    public long Number { get; set; }

    public int ChainSegment { get; set; }

    public long ChainPosition { get; set; }

    /// <summary>The chain link of the entry at that position.</summary>
    public required byte[] EntryHash { get; set; }

    /// <summary>The serialized creditexchange.audit.v1.ChainCheckpoint the hub signed (exactly these bytes).</summary>
    public required byte[] Statement { get; set; }

    /// <summary>Id of the receipt key that signed the statement.</summary>
    public string KeyId { get; set; } = "";

    /// <summary>ECDSA P-256 / SHA-256 over <see cref="Statement"/>, IEEE P1363.</summary>
    public required byte[] Signature { get; set; }

    /// <summary>When the hub stored the checkpoint, UTC.</summary>
    public DateTime CreatedAt { get; set; }

    public CheckpointStampStatus StampStatus { get; set; }

    /// <summary>The RFC 3161 TimeStampToken (DER CMS SignedData) over SHA-256 of <see cref="Statement"/>, or null.</summary>
    public byte[]? TimestampToken { get; set; }

    /// <summary>The time the authority put in the token (its genTime), UTC, or null.</summary>
    public DateTime? StampedAt { get; set; }
}
