namespace CreditExchange.Domain.Feed;

/// <summary>
/// Who a change of a record must reach (FCRA §1681s-2(b), GDPR art. 19, NDRC 信用修复: a correction, erasure or repair
/// goes to every recipient of the record): every agency the hub delivered an earlier version to, other than the agency
/// that made the change. The hub knows what it delivered from the recipient ledger (per record and agency, the first
/// and the latest version delivered).
/// </summary>
public static class ChangeReach
{
    /// <summary>An agency that first received <paramref name="firstVersion"/> is a past recipient of the change that made <paramref name="changeVersion"/>.</summary>
    public static bool IsPastRecipient(long firstVersion, long changeVersion) => firstVersion < changeVersion;

    /// <summary>The change reached the recipient once the hub delivered its version or a later one.</summary>
    public static bool Delivered(long latestVersion, long changeVersion) => latestVersion >= changeVersion;

    /// <summary>The recipient acknowledged the change once one of its named feed subscriptions reached the change's feed sequence.</summary>
    public static bool Acknowledged(long acknowledgedSequence, long changeSequence) => changeSequence > 0 && acknowledgedSequence >= changeSequence;
}
