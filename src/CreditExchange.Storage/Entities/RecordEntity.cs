using CreditExchange.Domain.Records;

namespace CreditExchange.Storage.Entities;

/// <summary>One dishonesty record, current version (earlier ones are in record_versions). Content is the protobuf payload.</summary>
public sealed class RecordEntity
{
    /// <summary>Hub-wide acceptance order; also the tie-breaker for paging.</summary>
    public long Sequence { get; set; }

    public Guid Id { get; set; }

    public required string AgencyId { get; set; }

    public required string SourceRecordId { get; set; }

    /// <summary>SHA-256 of the canonical content: tells a retry from a conflicting resubmission.</summary>
    public required byte[] ContentHash { get; set; }

    public int SubjectKind { get; set; }

    /// <summary>Normalised subject identifier (credit code or resident ID) used for lookups.</summary>
    public required string SubjectKey { get; set; }

    public required string DivisionCode { get; set; }

    public int Category { get; set; }

    public int Severity { get; set; }

    public int Domain { get; set; }

    public int Disclosure { get; set; }

    public int Status { get; set; }

    public long Version { get; set; }

    public DateOnly DecisionDate { get; set; }

    /// <summary>
    /// Last Beijing day of the finding's period of effect (Domain PeriodOfEffect): 9999-12-31 when
    /// it never ends, null when the record has none.
    /// </summary>
    public DateOnly? EffectLastDay { get; set; }

    /// <summary>Penalty.arrears_fen of the content (fen), kept as a column for the government-debt statistics.</summary>
    public long ArrearsFen { get; set; }

    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>The current content, serialised as the contract's RecordContent message.</summary>
    public required byte[] Content { get; set; }

    /// <summary>
    /// SHA-256 of the content first accepted: a retried submission is compared with it, not with a
    /// later correction. Null only on rows accepted before the lifecycle existed (then ContentHash).
    /// </summary>
    public byte[]? SubmittedContentHash { get; set; }

    /// <summary>Version of the disclosure policy that fixed the periods below.</summary>
    public string PolicyVersion { get; set; } = "";

    public bool PublishedByDefault { get; set; }

    /// <summary>First Beijing day on which credit repair may end publication.</summary>
    public DateOnly DisclosureMinimumEnd { get; set; }

    /// <summary>Beijing day on which publication stops: the record expires on it.</summary>
    public DateOnly DisclosureMaximumEnd { get; set; }

    /// <summary>The facts the record's standing is decided from (see Domain RecordStanding).</summary>
    public StandingFacts Standing() =>
        new((RecordStatus)Status, DecisionDate, EffectLastDay, (RecordDisclosure)Disclosure, DisclosureMaximumEnd);
}
