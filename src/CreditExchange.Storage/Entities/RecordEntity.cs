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

    /// <summary>
    /// The <see cref="EffectLastDay"/> whose end the hub recorded (EFFECT_ENDED, or a court's removal
    /// of a listing, which lifts it too); null while none was. The sweep records an end once per last day.
    /// </summary>
    public DateOnly? EffectEndRecorded { get; set; }

    /// <summary>
    /// The arrears the content finds (fen), for statistics of every domain: the owed amounts of its
    /// typed arrears, or Penalty.arrears_fen when it does not split them by kind.
    /// </summary>
    public long ArrearsFen { get; set; }

    /// <summary>Of <see cref="ArrearsFen"/>, project payments (工程款) owed (fen).</summary>
    public long ProjectArrearsFen { get; set; }

    /// <summary>Of <see cref="ArrearsFen"/>, migrant workers' wages (农民工工资) owed (fen).</summary>
    public long WageArrearsFen { get; set; }

    /// <summary>What was paid of the typed arrears since (fen); <see cref="ArrearsFen"/> less this is outstanding.</summary>
    public long ArrearsPaidFen { get; set; }

    /// <summary>The project's code (RecordContent.project.code), for ListProjectRecords; null without a project.</summary>
    public string? ProjectCode { get; set; }

    /// <summary>
    /// Last day of a judgment-debtor listing's period by the court's rule (9999-12-31 without a fixed
    /// period); null when the record is not a listing.
    /// </summary>
    public DateOnly? ListingLastDay { get; set; }

    /// <summary>The Beijing day the court removed the listing; null while listed (not content: set by the removal, kept through corrections).</summary>
    public DateOnly? ListingRemovedOn { get; set; }

    /// <summary>Domain ListingRemovalGround of the removal; null while listed.</summary>
    public int? ListingRemovalGround { get; set; }

    /// <summary>The version of the derived columns this hub writes (project code, persons, typed arrears).</summary>
    public const int CurrentDerivedColumnsVersion = 1;

    /// <summary>
    /// Which version of the content-derived columns the row holds: rows an earlier hub wrote (0) get
    /// their project code, persons and arrears columns from their content at start-up.
    /// </summary>
    public int DerivedColumnsVersion { get; set; }

    /// <summary>The persons the content names as responsible, by keyed hash of their resident ID (record_persons).</summary>
    public List<RecordPersonEntity> Persons { get; set; } = [];

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

    /// <summary>The judgment-debtor listing the record is; null when it is none.</summary>
    public ListingFacts? Listing() => ListingLastDay is { } last ? new ListingFacts(last, ListingRemovedOn) : null;
}

/// <summary>
/// A person a record names as responsible (owned by the record, replaced with its content): the keyed
/// hash of the resident ID (never the ID itself) and the role. Persons named without a resident ID have no row.
/// </summary>
public sealed class RecordPersonEntity
{
    /// <summary>HMAC-SHA256 of the normalised resident ID, as civil servants' subject keys (PersonalDataProtector.SubjectKey).</summary>
    public required string PersonKey { get; set; }

    /// <summary>Domain ResponsibleRole.</summary>
    public int Role { get; set; }

    /// <summary>The naming record's <see cref="RecordEntity.Sequence"/> (EF Core sets it on save; a bulk copy sets it itself).</summary>
    public long RecordSequence { get; set; }
}
