using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Agencies;

/// <summary>
/// Who may see a record: the one owner of the rule. Reads, lists, credit files, the overdue list, the feed and the
/// lifecycle ask it; its query twin (Storage <c>VisibilityQueries</c>) is checked against it for every status and
/// kind of agency.
/// <list type="bullet">
/// <item><b>Shared</b> (<see cref="Shares"/>): the source agency sees its own records always; agencies with query
/// rights (cross-department query, seed clause 二(二)4) see every other agency's records except repaired ones —
/// credit repair stops sharing (NDRC 《信用修复管理办法》 art. 3). What a read, a list, a credit file or the overdue list
/// shows, and whether a feed event carries the record.</item>
/// <item><b>Followed</b> (<see cref="Follows"/>): an agency learns of a record's changes on the feed when it could
/// have received the record (query rights, or its own) — also of its repair, as an event without the content, so that
/// it lifts what it imposed.</item>
/// <item><b>Handled</b> (<see cref="Handles"/>): lifecycle steps see what is shared, and the agencies acting for
/// subjects (the regional platform) also a repaired record they follow: they handle objections, repairs and
/// complaints on the subject's behalf.</item>
/// </list>
/// </summary>
public static class RecordVisibility
{
    /// <summary>States in which agencies other than the source may see the record (every state but repaired).</summary>
    public static readonly IReadOnlyList<RecordStatus> SharedStatuses =
        [RecordStatus.Active, RecordStatus.InDispute, RecordStatus.Corrected, RecordStatus.Revoked, RecordStatus.Expired];

    /// <summary>Whether <paramref name="caller"/> may read a record of <paramref name="sourceAgencyId"/> in <paramref name="status"/>.</summary>
    public static bool Shares(Agency caller, string sourceAgencyId, RecordStatus status) =>
        caller.Id == sourceAgencyId || (caller.MayQuery && SharedStatuses.Contains(status));

    /// <summary>Whether <paramref name="caller"/> learns of the changes of a record of <paramref name="sourceAgencyId"/> (its feed events).</summary>
    public static bool Follows(Agency caller, string sourceAgencyId) => caller.Id == sourceAgencyId || caller.MayQuery;

    /// <summary>Whether <paramref name="caller"/>, acting for subjects or not, may take lifecycle steps on the record.</summary>
    public static bool Handles(Agency caller, string sourceAgencyId, RecordStatus status, bool representsSubjects) =>
        Shares(caller, sourceAgencyId, status) || (representsSubjects && Follows(caller, sourceAgencyId));
}
