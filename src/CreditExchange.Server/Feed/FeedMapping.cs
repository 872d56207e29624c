using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Feed;
using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;
using CreditExchange.Server.Bidding;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using CreditExchange.Storage.Entities;
using Google.Protobuf.WellKnownTypes;
using Change = CreditExchange.Contracts.Lifecycle.V1.RecordChange;
using DomainChange = CreditExchange.Domain.Lifecycle.RecordChange;
using DomainStatus = CreditExchange.Domain.Records.RecordStatus;
using PunishmentAction = CreditExchange.Contracts.Feed.V1.PunishmentAction;
using RecordStatus = CreditExchange.Contracts.Records.V1.RecordStatus;

namespace CreditExchange.Server.Feed;

/// <summary>A stream's filters, from its request.</summary>
/// <param name="ReceivedOnly">Only changes of records the agency received an earlier version of (the recipient ledger).</param>
public sealed record FeedFilter(IReadOnlySet<int> Categories, IReadOnlySet<int> Changes, IReadOnlySet<int> Domains, string? DivisionCode, bool ReceivedOnly = false)
{
    public static FeedFilter From(SubscribeRequest request) => new(
        request.Categories.Select(c => (int)c).ToHashSet(),
        request.Changes.Select(c => (int)c).ToHashSet(),
        request.Domains.Select(d => (int)d).ToHashSet(),
        request.DivisionCode.Length == 0 ? null : request.DivisionCode,
        request.ReceivedOnly);

    /// <summary>
    /// Whether a blacklist entry's event matches: it has no record category (a category filter excludes it), its domain is
    /// bidding, its region is that of the subject's credit code (characters 3–8), and no agency "received" it.
    /// </summary>
    public bool Matches(RecordEventEntity e, BlacklistEntryEntity entry) =>
        Categories.Count == 0
        && !ReceivedOnly
        && (Changes.Count == 0 || Changes.Contains(e.EventType))
        && (Domains.Count == 0 || Domains.Contains((int)RecordDomain.Bidding))
        && (DivisionCode is null || DivisionRollup.LiesIn(entry.CreditCode.Substring(2, 6), DivisionCode));

    public bool Matches(RecordEventEntity e, RecordEntity record) =>
        (Categories.Count == 0 || Categories.Contains(record.Category))
        && (Changes.Count == 0 || Changes.Contains(e.EventType))
        && (Domains.Count == 0 || Domains.Contains(record.Domain))
        && (DivisionCode is null || DivisionRollup.LiesIn(record.DivisionCode, DivisionCode));
}

internal static class FeedMapping
{
    /// <summary>
    /// The event as <paramref name="agency"/> receives it, or null when it may not receive it (a record
    /// of another agency, for an agency without query rights) or the filter excludes it. A record whose
    /// sharing stopped (credit repair) comes without its content: the action says what to lift.
    /// </summary>
    public static FeedEvent? ToEvent(Agency agency, RecordEventEntity e, RecordEntity? record, FeedFilter filter, PersonalDataProtector protector, DateOnly today)
    {
        if (record is null || !RecordVisibility.Follows(agency, record.AgencyId) || !filter.Matches(e, record))
        {
            return null;
        }

        var message = Event(e, record.AgencyId);
        if (RecordVisibility.Shares(agency, record.AgencyId, (DomainStatus)record.Status))
        {
            message.Record = RecordMapping.ToProto(record, protector, today);
        }

        return message;
    }

    /// <summary>
    /// The event of a bidding blacklist entry: every agency receives it (the list is public and joint punishment is
    /// every department's), with the entry as that agency may see it (BlacklistMapping.ForAgency: the natural person
    /// masked for departments other than the deciding one); or null when the filter excludes it.
    /// </summary>
    public static FeedEvent? ToEvent(Agency agency, RecordEventEntity e, BlacklistEntryEntity entry, FeedFilter filter, PersonalDataProtector protector, DateOnly today)
    {
        if (!filter.Matches(e, entry))
        {
            return null;
        }

        var message = Event(e, entry.AgencyId);
        message.BlacklistEntry = BlacklistMapping.ForAgency(entry, agency, protector, today);
        return message;
    }

    /// <summary>What every feed event says of its change, whatever changed: a record or a blacklist entry.</summary>
    private static FeedEvent Event(RecordEventEntity e, string sourceAgencyId) => new()
    {
        Sequence = e.FeedPosition!.Value,
        RecordId = e.RecordId.ToString(),
        RecordVersion = e.Version,
        Change = (Change)e.EventType,
        Status = (RecordStatus)e.Status,
        OccurredAt = Timestamp.FromDateTimeOffset(e.OccurredAt),
        Action = (PunishmentAction)PunishmentActions.For((DomainChange)e.EventType, (DomainStatus)e.Status),
        SourceAgencyId = sourceAgencyId,
    };

    /// <summary>A named subscription as its agency sees it.</summary>
    public static Subscription ToProto(FeedSubscriptionEntity row) => new()
    {
        Name = row.Name,
        AcknowledgedSequence = row.AcknowledgedSequence,
        CreatedAt = Timestamp.FromDateTimeOffset(row.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(row.UpdatedAt),
    };

    /// <summary>A heartbeat: the feed's head, how far this stream was evaluated, and what waits to be numbered.</summary>
    public static SubscribeResponse Heartbeat(long latest, long resumeAfter, long pending, TimeSpan? oldestPendingAge)
    {
        var heartbeat = new Heartbeat
        {
            LatestSequence = latest,
            ResumeAfterSequence = resumeAfter,
            SentAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            PendingEvents = pending,
        };
        if (oldestPendingAge is { } age)
        {
            heartbeat.OldestPendingAge = Duration.FromTimeSpan(age);
        }

        return new SubscribeResponse { Heartbeat = heartbeat };
    }
}
