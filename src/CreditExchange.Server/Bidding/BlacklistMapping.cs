using CreditExchange.Contracts.Bidding.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Publication;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage.Entities;
using Google.Protobuf.WellKnownTypes;
using DomainBidding = CreditExchange.Domain.Bidding;

namespace CreditExchange.Server.Bidding;

/// <summary>Blacklist rows as the contract shows them: in full to the deciding department, masked in publication.</summary>
public static class BlacklistMapping
{
    /// <summary>The entry as its deciding department (or an agency with query rights) sees it, standing on <paramref name="today"/>.</summary>
    public static Entry ToProto(BlacklistEntryEntity row, PersonalDataProtector protector, DateOnly today) => new()
    {
        EntryId = row.Id.ToString(),
        DecidingAgencyId = row.AgencyId,
        SourceEntryId = row.SourceEntryId,
        Content = new EntryContent
        {
            Subject = new MarketSubject
            {
                Role = (MarketRole)row.Role,
                CreditCode = row.CreditCode,
                Name = row.Name,
                LegalRepresentative = protector.OpenText(row.LegalRepresentative) ?? "",
            },
            Domain = (BiddingDomain)row.Domain,
            DecisionNumber = row.DecisionNumber,
            Ground = protector.OpenText(row.Ground) ?? "",
            LegalBasis = row.LegalBasis,
            EntryDate = Date(row.EntryDate),
            ExitDate = Date(row.ExitDate),
        },
        State = (EntryState)State(row, today),
        Version = row.Version,
        ListedAt = Timestamp.FromDateTimeOffset(row.ListedAt),
        RemovalReason = protector.OpenText(row.RemovalReason) ?? "",
        ObjectionOpen = row.ObjectionOpen,
    };

    /// <summary>
    /// The entry as <paramref name="agency"/> receives it on the feed: in full for its deciding department and agencies
    /// with query rights, else with the legal representative and the ground masked as the publication masks them (the
    /// other departments punish the market subject, named by its code; they need no natural person's name).
    /// </summary>
    public static Entry ForAgency(BlacklistEntryEntity row, Agency agency, PersonalDataProtector protector, DateOnly today)
    {
        var entry = ToProto(row, protector, today);
        if (row.AgencyId == agency.Id || agency.MayQuery)
        {
            return entry;
        }

        var representative = entry.Content.Subject.LegalRepresentative;
        var persons = representative.Length == 0 ? [] : new[] { new NamedPerson(representative, "") };
        entry.Content.Subject.LegalRepresentative = representative.Length == 0 ? "" : PublicMasking.Name(representative);
        entry.Content.Ground = PublicMasking.FreeText(entry.Content.Ground, persons);
        entry.RemovalReason = PublicMasking.FreeText(entry.RemovalReason, persons);
        return entry;
    }

    /// <summary>
    /// The entry as 信用内蒙古 publishes it: the legal representative's name masked, and every mention of that person,
    /// long numbers and addresses in the ground masked (the public site's one set of rules, PublicMasking).
    /// </summary>
    public static PublishedEntry ToPublished(BlacklistEntryEntity row, PersonalDataProtector protector, TenderingAgencyEntity? profile)
    {
        var representative = protector.OpenText(row.LegalRepresentative) ?? "";
        var persons = representative.Length == 0 ? [] : new[] { new NamedPerson(representative, "") };
        var published = new PublishedEntry
        {
            EntryId = row.Id.ToString(),
            Role = (MarketRole)row.Role,
            CreditCode = row.CreditCode,
            Name = row.Name,
            LegalRepresentativeMasked = representative.Length == 0 ? "" : PublicMasking.Name(representative),
            Domain = (BiddingDomain)row.Domain,
            DecidingAgencyId = row.AgencyId,
            DecisionNumber = row.DecisionNumber,
            Ground = PublicMasking.FreeText(protector.OpenText(row.Ground) ?? "", persons),
            LegalBasis = row.LegalBasis,
            EntryDate = Date(row.EntryDate),
            ExitDate = Date(row.ExitDate),
        };
        if (row.Role == (int)DomainBidding.MarketRole.TenderingAgency && profile is not null)
        {
            published.TenderingAgency = ToProto(profile);
        }

        return published;
    }

    public static PublishedTenderingAgency ToProto(TenderingAgencyEntity row) => new()
    {
        Profile = new TenderingAgencyProfile
        {
            CreditCode = row.CreditCode,
            Name = row.Name,
            Qualification = row.Qualification,
            CreditInformation = row.CreditInformation,
        },
        PublishedBy = row.PublishedBy,
        PublishedAt = Timestamp.FromDateTimeOffset(row.PublishedAt),
    };

    public static DomainBidding.EntryState State(BlacklistEntryEntity row, DateOnly today) =>
        // An exit recorded by the sweep stays an exit; before the sweep the date alone decides.
        row.ExitRecorded && !row.Removed ? DomainBidding.EntryState.Exited : DomainBidding.BiddingSupervision.StateOn(row.Removed, row.ExitDate, today);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
