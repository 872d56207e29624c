namespace CreditExchange.Storage.Entities;

/// <summary>
/// A segment of the audit chain. Segment 0 begins with the chain; the hub begins the next one when it finds the
/// database restored from a backup (the database is not the copy it sealed last), so that entries sealed after the
/// restore never take the chain positions of entries lost with it. The row is the hub's signed statement (a MAC under
/// its audit key) of where the segment continues the chain.
/// </summary>
public sealed class AuditSegmentEntity
{
    public int Segment { get; set; }

    /// <summary>The first chain position sealed in the segment (the restored head's position + 1).</summary>
    public long StartPosition { get; set; }

    /// <summary>The hash of the restored head the segment continues from (32 zero bytes for an empty chain).</summary>
    public required byte[] PreviousHash { get; set; }

    /// <summary>When the hub began the segment, UTC.</summary>
    public DateTime StartedAt { get; set; }

    /// <summary>What identifies the database copy the segment is sealed in (see the hub's AuditSegments).</summary>
    public string Marker { get; set; } = "";

    /// <summary>The last chain position the hub knows it had sealed in the previous segment before the restore, when it knows it.</summary>
    public long? LostThroughPosition { get; set; }

    /// <summary>
    /// The chain version every entry of the segment is sealed under: 1 (plain SHA-256, segments begun by earlier hubs)
    /// or 2 (keyed links). Covered by the MAC from version 2 on, so a keyed segment cannot be passed off as a plain one.
    /// </summary>
    public int ChainVersion { get; set; } = 1;

    /// <summary>HMAC-SHA256 under the hub's audit key over the segment's fields: a segment not begun by the hub fails it.</summary>
    public required byte[] Mac { get; set; }
}
