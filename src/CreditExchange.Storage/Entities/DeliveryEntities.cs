namespace CreditExchange.Storage.Entities;

/// <summary>A record version a call delivered to its agency (read, listed, in a credit file, deciding a check, in a feed batch).</summary>
public readonly record struct RecordDelivery(Guid RecordId, long Version);

/// <summary>
/// The recipient ledger: per record and agency, the first and the latest version the hub delivered to that agency,
/// and when. Written with the audit entry of the call that delivered it (in the same transaction), from what the call
/// answered; keyed by record id and agency, with no personal data. An agency that received an earlier version of a
/// record than a change made is a past recipient of that change.
/// </summary>
public sealed class RecordDeliveryEntity
{
    public Guid RecordId { get; set; }

    public required string AgencyId { get; set; }

    /// <summary>The lowest version delivered to the agency.</summary>
    public long FirstVersion { get; set; }

    /// <summary>When the first delivery of <see cref="FirstVersion"/> was answered, UTC.</summary>
    public DateTime FirstDeliveredAt { get; set; }

    /// <summary>The highest version delivered to the agency.</summary>
    public long LatestVersion { get; set; }

    /// <summary>When <see cref="LatestVersion"/> was first delivered, UTC.</summary>
    public DateTime LatestDeliveredAt { get; set; }
}

/// <summary>
/// One move forward of a named feed subscription (an acknowledgement, or its creation at a start position): an
/// agency has acknowledged a change once any of its subscriptions reached the change's feed sequence. Kept as
/// history, so that a change's acknowledgement has a time and survives the subscription's deletion.
/// </summary>
public sealed class FeedAcknowledgementEntity
{
    public long Id { get; set; }

    public required string AgencyId { get; set; }

    public required string Subscription { get; set; }

    /// <summary>The subscription's acknowledged sequence after the move.</summary>
    public long Sequence { get; set; }

    public DateTime At { get; set; }
}
