namespace CreditExchange.Domain.Records;

/// <summary>Which time a rule looks at (see <see cref="RecordStanding.MayDisqualify"/>; an appraisal rule names one).</summary>
public enum AppraisalBasis
{
    /// <summary>Records decided within the look-back window.</summary>
    LookBackWindow = 1,

    /// <summary>Records within their period of effect on the check date; records without one by the window.</summary>
    PeriodOfEffect = 2,

    /// <summary>Within the period of effect, or decided within the window: either suffices.</summary>
    Both = 3,
}
