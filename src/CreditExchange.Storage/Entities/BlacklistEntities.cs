namespace CreditExchange.Storage.Entities;

/// <summary>
/// One bidding blacklist entry (招标投标不良行为"黑名单", 内政发〔2017〕123号 三(三)): a market subject listed by the
/// department competent for its bidding domain. Kept apart from records: no rule about government bodies or civil
/// servants reads this table. Its changes go to the feed as record_events rows under <see cref="Id"/>.
/// </summary>
public sealed class BlacklistEntryEntity
{
    public long Sequence { get; set; }

    public Guid Id { get; set; }

    /// <summary>The deciding department (the listing agency).</summary>
    public required string AgencyId { get; set; }

    public required string SourceEntryId { get; set; }

    /// <summary>Domain MarketRole.</summary>
    public int Role { get; set; }

    public required string CreditCode { get; set; }

    public required string Name { get; set; }

    /// <summary>The legal representative's name, sealed (PersonalDataProtector.SealText); null when none was given.</summary>
    public string? LegalRepresentative { get; set; }

    /// <summary>Domain BiddingDomain.</summary>
    public int Domain { get; set; }

    public required string DecisionNumber { get; set; }

    /// <summary>The ground, sealed (free text that may name persons).</summary>
    public required string Ground { get; set; }

    public required string LegalBasis { get; set; }

    public DateOnly EntryDate { get; set; }

    /// <summary>The last day on the list.</summary>
    public DateOnly ExitDate { get; set; }

    /// <summary>SHA-256 of the submitted content: a retry with the same content is a duplicate, other content a conflict.</summary>
    public required byte[] ContentHash { get; set; }

    public bool Removed { get; set; }

    /// <summary>Why it was removed, sealed; null unless removed.</summary>
    public string? RemovalReason { get; set; }

    /// <summary>Whether its exit on its day was recorded (the feed's LIFT).</summary>
    public bool ExitRecorded { get; set; }

    public bool ObjectionOpen { get; set; }

    public long Version { get; set; }

    public DateTimeOffset ListedAt { get; set; }
}

/// <summary>One change of a blacklist entry, kept for ever: who, when, why, and the agency's signed request that asked for it.</summary>
public sealed class BlacklistEntryVersionEntity
{
    public Guid EntryId { get; set; }

    public long Version { get; set; }

    /// <summary>Domain RecordChange (the feed's vocabulary).</summary>
    public int Change { get; set; }

    /// <summary>The agency that made the change ("hub" for the exit on its day).</summary>
    public required string AgencyId { get; set; }

    /// <summary>Why, sealed (objection grounds, answers, removal reasons).</summary>
    public required string Reason { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>The agency's signed request (request_signatures); null when unsigned or the hub's own.</summary>
    public long? RequestSignatureId { get; set; }
}

/// <summary>A tendering agency's published qualification and credit information, one row per credit code (replaced on republication).</summary>
public sealed class TenderingAgencyEntity
{
    public required string CreditCode { get; set; }

    public required string Name { get; set; }

    public required string Qualification { get; set; }

    public required string CreditInformation { get; set; }

    public required string PublishedBy { get; set; }

    public DateTimeOffset PublishedAt { get; set; }
}
