using System.Linq.Expressions;
using CreditExchange.Domain.Records;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Storage;

/// <summary>
/// The record standing (Domain <see cref="RecordStanding"/>) as query filters, for set-based reads
/// that cannot load every row to ask the domain. Built from the standing's own status lists; a test
/// checks that each filter answers exactly as the domain does for every status and date.
/// </summary>
public static class StandingQueries
{
    /// <summary>The records in force on <paramref name="asOf"/> (<see cref="RecordStanding.InForce"/>).</summary>
    public static Expression<Func<RecordEntity, bool>> InForceOn(DateOnly asOf)
    {
        var standing = RecordStanding.StandingStatuses.Select(s => (int)s).ToList();
        return r => standing.Contains(r.Status) && r.DecisionDate <= asOf && (r.EffectLastDay == null || r.EffectLastDay >= asOf);
    }

    /// <summary>
    /// The records whose expiry from publication the sweep should record on <paramref name="asOf"/>
    /// (<see cref="RecordStanding.DueForExpiryRecord"/>); records an earlier hub stored without periods wait for the start-up backfill.
    /// </summary>
    public static Expression<Func<RecordEntity, bool>> DueForExpiryOn(DateOnly asOf)
    {
        var recordable = RecordStanding.ExpiryRecordableStatuses.Select(s => (int)s).ToList();
        return r => recordable.Contains(r.Status) && r.DisclosureMaximumEnd <= asOf && r.PolicyVersion != "";
    }

    /// <summary>
    /// The records whose end of effect the sweep should record on <paramref name="asOf"/>
    /// (<see cref="RecordStanding.DueForEffectEndRecord"/> with the row's <see cref="RecordEntity.EffectEndRecorded"/>).
    /// </summary>
    public static Expression<Func<RecordEntity, bool>> DueForEffectEndOn(DateOnly asOf)
    {
        var standing = RecordStanding.StandingStatuses.Select(s => (int)s).ToList();
        return r => standing.Contains(r.Status) && r.EffectLastDay != null && r.EffectLastDay < asOf
            && (r.EffectEndRecorded == null || r.EffectEndRecorded != r.EffectLastDay);
    }

    /// <summary>The records that may be published on <paramref name="asOf"/> (<see cref="RecordStanding.Publishable"/>).</summary>
    public static Expression<Func<RecordEntity, bool>> PublishableOn(DateOnly asOf)
    {
        var standing = RecordStanding.StandingStatuses.Select(s => (int)s).ToList();
        const int Public = (int)RecordDisclosure.Public;
        return r => standing.Contains(r.Status) && r.Disclosure == Public && r.DisclosureMaximumEnd > asOf;
    }
}
