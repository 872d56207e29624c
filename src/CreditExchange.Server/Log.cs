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

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Environment: {Environment} ({Source}).")]
    public static partial void HubEnvironment(ILogger logger, string environment, string source);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "The management endpoints at {Url} are bound beyond loopback over plain HTTP without a bearer token: anyone who reaches that address reads /metrics. Bind it to 127.0.0.1 or a private interface, or set Hub:Management:BearerTokenFile, or use an https:// address (client certificate required).")]
    public static partial void ManagementBeyondLoopback(ILogger logger, string url);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Storage unavailable during {Method}.")]
    public static partial void StorageUnavailable(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Expired {Count} records at the end of their maximum disclosure period.")]
    public static partial void RecordsExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Recorded the end of the period of effect of {Count} records (EFFECT_ENDED: the feed tells the punishing departments to lift).")]
    public static partial void EffectEndsRecorded(ILogger logger, int count);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Recorded {Count} ends of the day on other lists (bidding blacklist exits: the feed tells the punishing departments to lift).")]
    public static partial void OtherListEndsRecorded(ILogger logger, int count);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "{Count} objections are past their answer deadline (ListOverdueObjections lists them).")]
    public static partial void ObjectionsOverdue(ILogger logger, int count);

    // Debug, not Information: one line per check was a tenth of a check's CPU (issue 14); every check is kept in
    // appraisal_checks and in the audit trail, and counted by the metrics, so the log line adds nothing by default.
    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Appraisal check {CheckId} by {Agency} for {AppraisalType} under rule set {RuleSetVersion}: {Candidates} candidates, {Ineligible} ineligible, {Eligible} eligible, {Priority} priority.")]
    public static partial void AppraisalChecked(ILogger logger, Guid checkId, string agency, string appraisalType, string ruleSetVersion, int candidates, int ineligible, int eligible, int priority);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Appraisal rules loaded from {Path}: versions {Versions}.")]
    public static partial void AppraisalRulesLoaded(ILogger logger, string path, string versions);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Critical, Message = "The audit entry of a call to {Method} could not be written.")]
    public static partial void AuditWriteFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Agency '{AgencyId}' is suspended: closed {Count} open calls.")]
    public static partial void SuspendedCallsClosed(ILogger logger, string agencyId, int count);

    [LoggerMessage(EventId = 1320, Level = LogLevel.Warning, Message = "{Loop}: the database is unavailable ({Failure}); retrying until it is back.")]
    public static partial void LoopOutageBegan(ILogger logger, string loop, string failure);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Warning, Message = "{Loop}: the database has been unavailable for {Duration}; {Failures} attempts failed so far.")]
    public static partial void LoopOutageContinues(ILogger logger, string loop, TimeSpan duration, int failures);

    [LoggerMessage(EventId = 1322, Level = LogLevel.Information, Message = "{Loop}: the database is available again after {Duration} ({Failures} attempts failed).")]
    public static partial void LoopOutageEnded(ILogger logger, string loop, TimeSpan duration, int failures);

    [LoggerMessage(EventId = 1323, Level = LogLevel.Error, Message = "{Loop} failed; it runs again at its next interval.")]
    public static partial void LoopFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Storage unavailable during {Method} {Path}; answered 503 with Retry-After.")]
    public static partial void HttpStorageUnavailable(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}, reference {Reference}.")]
    public static partial void HttpUnhandledError(ILogger logger, string method, string path, string reference, Exception exception);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "Database: {Provider} at {Location}.")]
    public static partial void DatabaseInUse(ILogger logger, string provider, string location);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Information, Message = "Migrations applied: {Migrations}.")]
    public static partial void MigrationsApplied(ILogger logger, string migrations);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Information, Message = "Development certificates minted into {Folder}.")]
    public static partial void DevCertificatesMinted(ILogger logger, string folder);

    [LoggerMessage(EventId = 1313, Level = LogLevel.Information, Message = "Agencies loaded: {Count} ({Agencies}).")]
    public static partial void AgenciesLoaded(ILogger logger, int count, string agencies);

    [LoggerMessage(EventId = 1314, Level = LogLevel.Warning, Message = "Agency '{AgencyId}' was changed through the AdminService: those changes take precedence, and its entry in the Agencies configuration is ignored.")]
    public static partial void AgencyAdminChangesPrevail(ILogger logger, string agencyId);

    [LoggerMessage(EventId = 1315, Level = LogLevel.Information, Message = "Encrypting records stored in clear by an earlier hub: {Done} so far.")]
    public static partial void LegacyRecordsProtected(ILogger logger, int done);

    [LoggerMessage(EventId = 1316, Level = LogLevel.Information, Message = "Privacy key '{Current}' encrypts new records; stored records by key: {Usage}.")]
    public static partial void PrivacyKeysInUse(ILogger logger, string current, string usage);

    [LoggerMessage(EventId = 1317, Level = LogLevel.Warning, Message = "The database was restored from a backup (it is not the copy the hub sealed last): the audit chain continues from position {RestoredHead} in segment {Segment}; entries sealed before the restore up to position {LostThrough} are lost and verify as TRUNCATED.")]
    public static partial void AuditChainRestored(ILogger logger, int segment, long restoredHead, string lostThrough);

    [LoggerMessage(EventId = 1324, Level = LogLevel.Information, Message = "The audit chain is keyed from here on (chain version 2): segment {Segment} begins at position {StartPosition}; entries sealed before verify as the plain chain they were sealed in.")]
    public static partial void AuditChainKeyed(ILogger logger, int segment, long startPosition);

    [LoggerMessage(EventId = 1325, Level = LogLevel.Error, Message = "The audit sealer refused entry {Sequence}: {Why} It is left out of the chain and verifies as {Kind}.")]
    public static partial void AuditEntryRefused(ILogger logger, long sequence, string why, string kind);

    [LoggerMessage(EventId = 1326, Level = LogLevel.Information, Message = "Stored audit checkpoint {Number} of the chain head (segment {Segment}, position {Position}).")]
    public static partial void AuditCheckpointStored(ILogger logger, long number, int segment, long position);

    [LoggerMessage(EventId = 1327, Level = LogLevel.Warning, Message = "The time-stamping authority {Url} did not time-stamp audit checkpoint {Number}: {Why} {Backlog} checkpoints wait; the hub keeps serving and retries every {Interval}.")]
    public static partial void AuditTimestampFailed(ILogger logger, string url, long number, string why, int backlog, TimeSpan interval);

    [LoggerMessage(EventId = 1328, Level = LogLevel.Information, Message = "The time-stamping authority {Url} answers again: {Count} waiting checkpoints time-stamped.")]
    public static partial void AuditTimestampsCaughtUp(ILogger logger, string url, int count);

    [LoggerMessage(EventId = 1318, Level = LogLevel.Error, Message = "Sealed values cannot be opened with the privacy keys this hub holds: {Description} The hub reports itself not ready until they open.")]
    public static partial void SealedDataUnreadable(ILogger logger, string description);

    [LoggerMessage(EventId = 1319, Level = LogLevel.Information, Message = "Every sealed value opens with the privacy keys held ({Count} values).")]
    public static partial void SealedDataReadable(ILogger logger, long count);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "No State Council holiday arrangement (国务院办公厅关于部分节假日安排的通知) is loaded for {Years}: deadlines there skip weekends and the statutory holidays of 全国年节及纪念日放假办法, derived for each year, but cannot know the notice's further days off or its weekend working days (调休上班). Nothing needs doing until the notice is published; then list its days off under Hub:Lifecycle:Holidays and its weekend working days under Hub:Lifecycle:WorkingWeekendDays, unless a hub release that ships the year comes first.")]
    public static partial void NoHolidayArrangement(ILogger logger, string years);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "Deadlines may fall in {Years}, outside the years whose statutory holidays the hub derives ({First}–{Last}) and without a holiday arrangement: they count weekdays only there unless Hub:Lifecycle:Holidays lists the days off.")]
    public static partial void NoHolidaysDerivable(ILogger logger, string years, int first, int last);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "The answer deadline {Due} of objection {ObjectionId} falls in {Year}, for which no holiday arrangement is loaded: counted with the statutory holidays, without the notice's further days off and weekend working days.")]
    public static partial void DeadlineInYearWithoutArrangement(ILogger logger, Guid objectionId, DateOnly due, int year);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Feed stream of agency '{AgencyId}' ended: its client took no message for {Timeout}. The hub had written up to sequence {WrittenUpTo} to the transport; the client may have received less, and resumes after the last sequence it received.")]
    public static partial void FeedSubscriberTooSlow(ILogger logger, string agencyId, TimeSpan timeout, long writtenUpTo);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Feed numbering is held back: {Pending} committed events wait, the oldest for {OldestAge}. {Blockers}")]
    public static partial void FeedHeldBack(ILogger logger, long pending, TimeSpan oldestAge, string blockers);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Information, Message = "Feed numbering caught up after being held back for {Duration}.")]
    public static partial void FeedCaughtUp(ILogger logger, TimeSpan duration);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Warning, Message = "{Count} changes of records are past their acknowledgement limit without every past recipient acknowledging them; unacknowledged per agency: {PerAgency}. AuditService.GetChangeReachStatistics lists them.")]
    public static partial void ChangesUnacknowledged(ILogger logger, int count, string perAgency);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "The review deadline {Due} of complaint {ComplaintId} falls in {Year}, for which no holiday arrangement is loaded: counted with the statutory holidays, without the notice's further days off and weekend working days.")]
    public static partial void ComplaintDeadlineInYearWithoutArrangement(ILogger logger, Guid complaintId, DateOnly due, int year);
}
