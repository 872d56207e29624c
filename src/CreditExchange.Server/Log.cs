namespace CreditExchange.Server;

/// <summary>The hub's log events. Never pass a resident ID number here.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Client certificate refused in the TLS handshake: subject '{Subject}', thumbprint {Thumbprint}, reason {Reason}.")]
    public static partial void ClientCertificateRefused(ILogger logger, string subject, string thumbprint, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Unhandled error in {Method}, reference {Reference}.")]
    public static partial void UnhandledError(ILogger logger, string method, string reference, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "CreditExchange hub listening on {Addresses} with {Provider} storage and {AgencyCount} registered agencies.")]
    public static partial void HubStarted(ILogger logger, string addresses, string provider, int agencyCount);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Using the development CA from {Folder}: never use it in production.")]
    public static partial void UsingDevelopmentCa(ILogger logger, string folder);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Storage unavailable during {Method}.")]
    public static partial void StorageUnavailable(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Expired {Count} records at the end of their maximum disclosure period.")]
    public static partial void RecordsExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "The expiry sweep failed; it runs again at the next interval.")]
    public static partial void ExpirySweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "{Count} objections are past their answer deadline (ListOverdueObjections lists them).")]
    public static partial void ObjectionsOverdue(ILogger logger, int count);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Appraisal check {CheckId} by {Agency} for {AppraisalType} under rule set {RuleSetVersion}: {Candidates} candidates, {Ineligible} ineligible, {Eligible} eligible, {Priority} priority.")]
    public static partial void AppraisalChecked(ILogger logger, Guid checkId, string agency, string appraisalType, string ruleSetVersion, int candidates, int ineligible, int eligible, int priority);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Appraisal rules loaded from {Path}: versions {Versions}.")]
    public static partial void AppraisalRulesLoaded(ILogger logger, string path, string versions);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Critical, Message = "The audit entry of a call to {Method} could not be written.")]
    public static partial void AuditWriteFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Sealing audit entries into the hash chain failed; retrying on the next tick.")]
    public static partial void AuditSealingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Reloading the agency registry failed; the previous snapshot stays in force.")]
    public static partial void RegistryPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Agency '{AgencyId}' is suspended: closed {Count} open calls.")]
    public static partial void SuspendedCallsClosed(ILogger logger, string agencyId, int count);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "No State Council holiday arrangement is loaded for {Year}: deadlines falling in it count weekdays only. Add the year to Hub:Lifecycle:HolidayCalendarFile once the notice is published.")]
    public static partial void NoHolidayCalendar(ILogger logger, int year);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "The answer deadline {Due} of objection {ObjectionId} falls in {Year}, for which no holiday arrangement is loaded: counted by weekdays only.")]
    public static partial void DeadlineInUncoveredYear(ILogger logger, Guid objectionId, DateOnly due, int year);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "The review deadline {Due} of complaint {ComplaintId} falls in {Year}, for which no holiday arrangement is loaded: counted by weekdays only.")]
    public static partial void ComplaintDeadlineInUncoveredYear(ILogger logger, Guid complaintId, DateOnly due, int year);
}
