using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Bidding;

// The numbers are the contract's enum numbers (creditexchange.bidding.v1).

/// <summary>The bidding domain of a blacklist entry: which department supervises it decides who may list.</summary>
public enum BiddingDomain
{
    HousingAndMunicipal = 1,
    WaterConservancy = 2,
    LandAndMineral = 3,
    GovernmentProcurement = 4,
    TradingVenue = 5,
}

/// <summary>The listed market subject's role in bidding.</summary>
public enum MarketRole
{
    Bidder = 1,
    TenderingAgency = 2,
}

/// <summary>Where a blacklist entry stands.</summary>
public enum EntryState
{
    InForce = 1,
    Exited = 2,
    Removed = 3,
}

/// <summary>
/// Who supervises bidding in which domain (内政发〔2017〕123号 三(三); 《招标投标法实施条例》 art. 4: the departments
/// of housing and urban-rural development, water resources, natural resources and finance supervise bidding in their
/// own fields, the public resource trading platform the conduct in its venue). Only the competent department lists a
/// market subject in a domain: the table is the rule, not a setting, and docs/bidding-blacklist.md prints it.
/// </summary>
public static class BiddingSupervision
{
    /// <summary>The agency ids of the competent departments, by domain.</summary>
    public static readonly IReadOnlyDictionary<BiddingDomain, string> Supervisors = new Dictionary<BiddingDomain, string>
    {
        [BiddingDomain.HousingAndMunicipal] = "housing",
        [BiddingDomain.WaterConservancy] = "water-resources",
        [BiddingDomain.LandAndMineral] = "natural-resources",
        [BiddingDomain.GovernmentProcurement] = "finance",
        [BiddingDomain.TradingVenue] = "trading-center",
    };

    /// <summary>The longest time on the list: five years from the entry date.</summary>
    public const int MaxYearsListed = 5;

    /// <summary>Whether the agency supervises any bidding domain.</summary>
    public static bool IsSupervisor(string agencyId) => Supervisors.Values.Contains(agencyId, StringComparer.Ordinal);

    /// <summary>Refuses a listing by an agency that is not competent for <paramref name="domain"/>.</summary>
    public static void EnsureMayList(string agencyId, BiddingDomain domain)
    {
        if (!IsSupervisor(agencyId))
        {
            throw NotSupervisor(agencyId);
        }

        var competent = Supervisors[domain];
        if (!string.Equals(competent, agencyId, StringComparison.Ordinal))
        {
            var own = string.Join(", ", Supervisors.Where(s => s.Value == agencyId).Select(s => s.Key));
            throw new DomainException(
                ErrorKind.PermissionDenied,
                ErrorReason.BiddingDomainNotSupervised,
                $"Agency '{agencyId}' supervises bidding in {own}, not in {domain}; '{competent}' lists in {domain}.");
        }
    }

    /// <summary>The refusal of an agency that supervises no bidding domain.</summary>
    public static DomainException NotSupervisor(string agencyId) => new(
        ErrorKind.PermissionDenied,
        ErrorReason.NotBiddingSupervisor,
        $"Agency '{agencyId}' supervises no bidding domain; the bidding blacklist is kept by {string.Join(", ", Supervisors.Values.Distinct())}.");

    /// <summary>Where an entry stands on <paramref name="today"/>: removed, past its exit date, or in force.</summary>
    public static EntryState StateOn(bool removed, DateOnly exitDate, DateOnly today) =>
        removed ? EntryState.Removed : exitDate < today ? EntryState.Exited : EntryState.InForce;

    /// <summary>
    /// The record status a feed event of an entry carries (the feed's one status vocabulary): in force as ACTIVE (IN_DISPUTE
    /// while an objection is open), exited as EXPIRED, removed as REVOKED — so PunishmentActions gives IMPOSE on listing and
    /// LIFT on exit and removal, as for a record.
    /// </summary>
    public static RecordStatus FeedStatus(EntryState state, bool objectionOpen) => state switch
    {
        EntryState.Removed => RecordStatus.Revoked,
        EntryState.Exited => RecordStatus.Expired,
        _ => objectionOpen ? RecordStatus.InDispute : RecordStatus.Active,
    };

    /// <summary>The first day off the list.</summary>
    public static DateOnly FirstDayOff(DateOnly exitDate) => exitDate.AddDays(1);

    /// <summary>The feed change of an entry's exit on its day: the same change a record's end of effect makes.</summary>
    public const RecordChange ExitChange = RecordChange.EffectEnded;
}
