using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Feed;

// The numbers are the contract's enum numbers (creditexchange.feed.v1), checked by a test.

/// <summary>What a punishing department must do about a record after one of its changes.</summary>
public enum PunishmentAction
{
    Impose = 1,
    Update = 2,
    Lift = 3,
    None = 4,
}

/// <summary>
/// Joint punishment (联合惩戒) follows the finding: imposed when it is accepted, reviewed when its
/// content changes, lifted in step when it stops standing (revocation, credit repair: the NDRC
/// measures' 同步解除), and lifted when the court removes a judgment-debtor listing (法释〔2017〕7号
/// art. 10: the court notifies the departments that restricted the debtor, who lift the restrictions),
/// and when the finding's period of effect ends (a sanction's statutory period, a typed validity end,
/// a listing period that ran out): the hub records that day's EFFECT_ENDED soon after Beijing midnight.
/// Whether it stands is the record standing's answer, not a list of its own.
/// </summary>
public static class PunishmentActions
{
    public static PunishmentAction For(RecordChange change, RecordStatus statusAfter)
    {
        if (!RecordStanding.StandsIn(statusAfter))
        {
            return PunishmentAction.Lift;
        }

        return change switch
        {
            RecordChange.Submitted => PunishmentAction.Impose,
            RecordChange.Corrected => PunishmentAction.Update,
            RecordChange.SanctionReviewed when statusAfter == RecordStatus.Corrected => PunishmentAction.Update,
            RecordChange.ObjectionAnswered when statusAfter == RecordStatus.Corrected => PunishmentAction.Update,
            RecordChange.JudgmentDebtorRemoved => PunishmentAction.Lift,
            RecordChange.EffectEnded => PunishmentAction.Lift,
            _ => PunishmentAction.None,
        };
    }
}
