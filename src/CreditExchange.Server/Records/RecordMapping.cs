using System.Globalization;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage.Entities;
using Google.Protobuf.WellKnownTypes;
using DomainStanding = CreditExchange.Domain.Records.RecordStanding;

namespace CreditExchange.Server.Records;

internal static class RecordMapping
{
    /// <summary>
    /// The record as the contract shows it, with its standing on <paramref name="asOf"/>; its content is
    /// <paramref name="content"/> when the caller has it in clear (just stored), else the row's, opened.
    /// </summary>
    public static Record ToProto(RecordEntity row, PersonalDataProtector protector, DateOnly asOf, RecordContent? content = null) => new()
    {
        RecordId = row.Id.ToString(),
        AgencyId = row.AgencyId,
        SourceRecordId = row.SourceRecordId,
        Content = content ?? RecordContent.Parser.ParseFrom(protector.Open(row.Content)),
        Status = (RecordStatus)row.Status,
        Version = row.Version,
        AcceptedAt = Timestamp.FromDateTimeOffset(row.AcceptedAt),
        ContentSha256 = Convert.ToHexStringLower(row.ContentHash),
        DisclosurePeriod = new DisclosurePeriod
        {
            PolicyVersion = row.PolicyVersion,
            PublishedByDefault = row.PublishedByDefault,
            MinimumEndDate = Date(row.DisclosureMinimumEnd),
            MaximumEndDate = Date(row.DisclosureMaximumEnd),
        },
        Standing = ToProto(DomainStanding.Of(row.Standing(), asOf)),
        Listing = Listing(row),
    };

    /// <summary>The judgment-debtor listing of the row; null when it is none.</summary>
    private static JudgmentDebtorListing? Listing(RecordEntity row) => row.Listing() is not { } listing ? null : new JudgmentDebtorListing
    {
        ListingEndDate = EffectEndDate(listing.ListingLastDay),
        ListingIndefinite = !listing.HasFixedPeriod,
        RemovalDate = listing.RemovedOn is { } removed ? Date(removed) : "",
        RemovalGround = (ListingRemovalGround)(row.ListingRemovalGround ?? 0),
    };

    public static RecordStanding ToProto(DomainStanding standing) => new()
    {
        AsOfDate = Date(standing.AsOf),
        InForce = standing.InForce,
        EffectEndDate = EffectEndDate(standing.Facts.EffectLastDay),
        EffectIndefinite = standing.EffectIndefinite,
        Publishable = standing.Publishable,
        DisclosureEnded = standing.DisclosureEnded,
    };

    /// <summary>The last day of a period of effect as the contract shows it: empty when there is none or it never ends.</summary>
    public static string EffectEndDate(DateOnly? lastDay) =>
        lastDay is { } day && day != Domain.Records.PeriodOfEffect.Indefinite ? Date(day) : "";

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
