namespace CreditExchange.Storage.Entities;

/// <summary>
/// One audited call. Written (with its keyed <see cref="Mac"/>) as the call ends; sealed into the
/// SHA-256 chain shortly after by the single sealer, which fills the chain columns.
/// </summary>
public sealed class AuditEntryEntity
{
    /// <summary>Write order, from the database sequence.</summary>
    public long Sequence { get; set; }

    /// <summary>When the call ended, UTC, whole microseconds (what PostgreSQL keeps).</summary>
    public DateTime At { get; set; }

    /// <summary>The agency the certificate names; null when it names none.</summary>
    public string? AgencyId { get; set; }

    public string? CertificateSubject { get; set; }

    /// <summary>SHA-256 thumbprint of the client certificate, lower-case hex.</summary>
    public string? CertificateThumbprint { get; set; }

    public required string Method { get; set; }

    /// <summary>Keyed hashes (HMAC-SHA256 hex) of the subjects concerned, ';'-separated and ';'-framed (";a;b;").</summary>
    public string SubjectHashes { get; set; } = "";

    public string? Purpose { get; set; }

    public int StatusCode { get; set; }

    public string? Reason { get; set; }

    /// <summary>Hub record ids concerned, comma-separated.</summary>
    public string RecordIds { get; set; } = "";

    /// <summary>
    /// 16 random bytes the hub draws for each entry, covered by the MAC: no two genuine entries carry the same MAC, so a
    /// second entry with an entry's MAC is a copy. Null in entries written by earlier hubs.
    /// </summary>
    public byte[]? Nonce { get; set; }

    /// <summary>HMAC-SHA256 of the entry's content under the hub's audit key: entries not written by the hub fail it.</summary>
    public required byte[] Mac { get; set; }

    /// <summary>Position in the chain, from 1; null until sealed.</summary>
    public long? ChainPosition { get; set; }

    /// <summary>
    /// The chain segment the entry was sealed in: 0 until the database is first restored from a backup; each
    /// restore the hub detects begins the next one (<see cref="AuditSegmentEntity"/>), so that a chain position is
    /// never reused under the same segment.
    /// </summary>
    public int ChainSegment { get; set; }

    /// <summary>The predecessor's <see cref="EntryHash"/> (32 zero bytes for the first); null until sealed.</summary>
    public byte[]? PreviousHash { get; set; }

    /// <summary>
    /// The entry's chain link over previous link, segment, position, sequence, content and MAC: a plain SHA-256 under chain
    /// version 1, HMAC-SHA256 under the hub's audit chain key under version 2; null until sealed. An entry the hub refused
    /// to seal (not its MAC, or a copy of an entry already written) holds an empty link and no chain position.
    /// </summary>
    public byte[]? EntryHash { get; set; }

    /// <summary>
    /// The chain version that sealed the entry: 1 for the plain SHA-256 chain of earlier hubs, 2 for the keyed chain; 0
    /// until sealed. It must be the version of the entry's chain segment (<see cref="AuditSegmentEntity.ChainVersion"/>).
    /// </summary>
    public int ChainVersion { get; set; }

    /// <summary>
    /// The record versions the call delivered to its agency (successful calls only): saved to the recipient ledger
    /// with the entry (<see cref="DeliveryLedger"/>); not a column of the entry, not part of its MAC.
    /// </summary>
    public IReadOnlyList<RecordDelivery> Deliveries { get; set; } = [];
}
