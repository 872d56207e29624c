namespace CreditExchange.Domain.Agencies;

/// <summary>OAuth scopes, one per capability. An agency's client may ask only for those it is granted.</summary>
public static class Scopes
{
    public const string RecordsSubmit = "records.submit";
    public const string RecordsRead = "records.read";
    public const string AppraisalCheck = "appraisal.check";
    public const string LifecycleManage = "lifecycle.manage";
    public const string FeedRead = "feed.read";
    public const string AuditRead = "audit.read";
    public const string Admin = "admin";
    public const string PublicationRead = "publication.read";

    public static IReadOnlyList<string> All { get; } =
        [RecordsSubmit, RecordsRead, AppraisalCheck, LifecycleManage, FeedRead, AuditRead, Admin, PublicationRead];
}
