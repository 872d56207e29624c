namespace CreditExchange.Storage.Entities;

/// <summary>One version of a record, kept for ever: what it changed, who, when, why, and the content from then on.</summary>
public sealed class RecordVersionEntity
{
    public Guid RecordId { get; set; }

    public long Version { get; set; }

    /// <summary>Domain RecordChange.</summary>
    public int Change { get; set; }

    /// <summary>Domain RecordStatus from this version on.</summary>
    public int Status { get; set; }

    /// <summary>The agency that made the change ("hub" for automatic expiry).</summary>
    public required string AgencyId { get; set; }

    public required string Reason { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public required byte[] ContentHash { get; set; }

    public required byte[] Content { get; set; }

    /// <summary>The agency's signed request that produced this version (request_signatures); null when it came unsigned or from the hub itself.</summary>
    public long? RequestSignatureId { get; set; }
}

/// <summary>
/// The record feed: one row per change, written in the change's transaction with no lock beyond
/// the row itself. <see cref="Sequence"/> is the insertion order, which concurrent writers may
/// commit out of; <see cref="FeedPosition"/> is the feed's order, given on the reading side by the
/// feed publisher (FeedStore.PublishAsync) once the row's transaction has committed.
/// </summary>
public sealed class RecordEventEntity
{
    public long Sequence { get; set; }

    /// <summary>
    /// The writing transaction's id (PostgreSQL pg_current_xact_id(), set by the column default); 0 on SQLite. Kept
    /// for diagnosis (which transaction wrote an event); the feed's order no longer reads it.
    /// </summary>
    public long TransactionId { get; set; }

    /// <summary>The feed sequence: gap-free and increasing; null until the publisher numbers the row.</summary>
    public long? FeedPosition { get; set; }

    public Guid RecordId { get; set; }

    public long Version { get; set; }

    /// <summary>Domain RecordChange.</summary>
    public int EventType { get; set; }

    /// <summary>Domain RecordStatus after the change.</summary>
    public int Status { get; set; }

    public DateTimeOffset OccurredAt { get; set; }
}

public sealed class ObjectionEntity
{
    /// <summary>Filing order; tie-breaker for paging.</summary>
    public long Sequence { get; set; }

    public Guid Id { get; set; }

    public Guid RecordId { get; set; }

    public required string SourceAgencyId { get; set; }

    public required string FiledBy { get; set; }

    public DateTimeOffset FiledAt { get; set; }

    public required string Grounds { get; set; }

    /// <summary>Last Beijing day on which an answer is on time.</summary>
    public DateOnly AnswerDueDate { get; set; }

    /// <summary>Domain ObjectionState.</summary>
    public int State { get; set; }

    /// <summary>Domain RecordStatus before the objection; a dismissal restores it.</summary>
    public int StatusBefore { get; set; }

    public string? AnsweredBy { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public string? Answer { get; set; }

    /// <summary>The answer deadline before its one extension for a complex case; null when never extended.</summary>
    public DateOnly? ExtendedFromDueDate { get; set; }

    /// <summary>Why the deadline was extended, sealed; null when never extended.</summary>
    public string? ExtensionReason { get; set; }

    /// <summary>The upheld complaint that reopened this objection (its deadline then follows rule "reopened-handling"); null when never reopened.</summary>
    public Guid? ReopenedByComplaintId { get; set; }
}

public sealed class RepairApplicationEntity
{
    public long Sequence { get; set; }

    public Guid Id { get; set; }

    public Guid RecordId { get; set; }

    public required string SourceAgencyId { get; set; }

    public required string AppliedBy { get; set; }

    public DateTimeOffset AppliedAt { get; set; }

    public bool ObligationsFulfilled { get; set; }

    public required string ObligationsEvidence { get; set; }

    public required string CreditCommitment { get; set; }

    /// <summary>Domain RepairState.</summary>
    public int State { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecisionReason { get; set; }

    /// <summary>Last Beijing day on which the decision is on time; null for applications filed before the hub set repair deadlines.</summary>
    public DateOnly? DecisionDueDate { get; set; }

    /// <summary>The upheld complaint that reopened this application; null when never reopened.</summary>
    public Guid? ReopenedByComplaintId { get; set; }
}

/// <summary>A complaint (投诉) about the handling of an objection or a repair application; the record itself is not versioned by it.</summary>
public sealed class ComplaintEntity
{
    /// <summary>Filing order; tie-breaker for paging.</summary>
    public long Sequence { get; set; }

    public Guid Id { get; set; }

    public Guid RecordId { get; set; }

    public required string SourceAgencyId { get; set; }

    public required string FiledBy { get; set; }

    public DateTimeOffset FiledAt { get; set; }

    /// <summary>The objection complained of; null when a repair application is.</summary>
    public Guid? ObjectionId { get; set; }

    /// <summary>The repair application complained of; null when an objection is.</summary>
    public Guid? RepairId { get; set; }

    /// <summary>Domain ComplaintGround.</summary>
    public int Ground { get; set; }

    /// <summary>The complaint in words, sealed (PersonalDataProtector.SealText).</summary>
    public required string Grounds { get; set; }

    /// <summary>Last Beijing day on which the review is on time.</summary>
    public DateOnly ReviewDueDate { get; set; }

    /// <summary>Domain ComplaintState.</summary>
    public int State { get; set; }

    public string? ReviewedBy { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }

    /// <summary>The review's decision in words, sealed.</summary>
    public string? Decision { get; set; }

    /// <summary>When upheld and the handling could be reopened: the source agency's new deadline for it; null otherwise.</summary>
    public DateOnly? ReopenedDueDate { get; set; }
}

/// <summary>A disclosure policy version as shipped with the hub; rows are added, never changed.</summary>
public sealed class DisclosurePolicyEntity
{
    public required string Version { get; set; }

    public DateOnly EffectiveFrom { get; set; }

    public required string Title { get; set; }

    /// <summary>The policy's terms as shipped (JSON), to prove what fixed a record's periods.</summary>
    public required string Terms { get; set; }
}

/// <summary>A named, durable feed subscription of one agency: how far it has acknowledged the feed.</summary>
public sealed class FeedSubscriptionEntity
{
    public required string AgencyId { get; set; }

    public required string Name { get; set; }

    /// <summary>The last feed sequence the subscriber acknowledged as processed (0: none).</summary>
    public long AcknowledgedSequence { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
