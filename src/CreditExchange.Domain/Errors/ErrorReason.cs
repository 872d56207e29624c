namespace CreditExchange.Domain.Errors;

/// <summary>
/// The contract's creditexchange.errors.v1.ErrorReason (protos/creditexchange/errors/v1/errors.proto),
/// mirrored here because the domain does not reference the generated contracts. Same names (as C#
/// names them) and numbers; a test checks the two against each other. Every refusal takes one of these.
/// </summary>
public enum ErrorReason
{
    Unspecified = 0,
    ClientCertificateRequired = 1,
    AgencyNotRegistered = 2,
    AgencySuspended = 3,
    TokenRequired = 4,
    TokenInvalid = 5,
    TokenAgencyMismatch = 6,
    ScopeMissing = 7,
    MethodNotScoped = 8,
    RateLimited = 9,
    StorageUnavailable = 10,
    AuditUnavailable = 11,
    InternalError = 12,
    MalformedMessage = 13,
    InvalidRequest = 14,
    InvalidPageToken = 15,
    InvalidRecord = 16,
    BatchTooLarge = 17,
    BatchEmpty = 18,
    CategoryNotInCompetence = 19,
    DomainNotInCompetence = 20,
    SourceIdConflict = 21,
    RecordNotFound = 22,
    VersionMismatch = 23,
    NotSourceAgency = 24,
    NotSubjectRepresentative = 25,
    RecordNotInForce = 26,
    ObjectionOpen = 27,
    ObjectionAlreadyOpen = 28,
    ObjectionNotOpen = 29,
    RepairAlreadyPending = 30,
    RepairNotPending = 31,
    MinimumPeriodNotServed = 32,
    ObligationsNotFulfilled = 33,
    CreditCommitmentRequired = 34,
    ObjectionNotFound = 35,
    RepairNotFound = 36,
    NoRuleSetInForce = 37,
    QueryRightsRequired = 38,
    InvalidCheckpoint = 39,
    UnknownScope = 40,
    CertificateIdentityRequired = 41,
    InvalidCertificateUri = 42,
    AgencyExists = 43,
    CertificateIdentityTaken = 44,
    AgencyNotFound = 45,
    CannotSuspendSelf = 46,
    CrlInvalid = 47,
    CrlNotConfigured = 48,
    MessageTooLarge = 49,
    ListingNotRepairable = 50,
    NotAJudgmentDebtorListing = 51,
    ListingAlreadyRemoved = 52,
    RemovalGroundNotApplicable = 53,
    ComplaintAlreadyOpen = 54,
    ComplaintGroundNotMet = 55,
    ComplaintNotOpen = 56,
    ComplaintNotFound = 57,
    NotComplaintReviewer = 58,
    CertificateRevoked = 59,
    FeedSequenceNotReached = 70,
    FeedSubscriberTooSlow = 71,
    PublicationNotFound = 72,
    SubscriptionLimitReached = 73,
    SubscriptionNotFound = 74,
    RepairNotApplicable = 75,
    NotASanction = 76,
    PrivacyKeyUnavailable = 77,
    ObjectionAlreadyExtended = 80,
    BiddingDomainNotSupervised = 81,
    NotBiddingSupervisor = 82,
    BlacklistEntryNotFound = 83,
    BlacklistEntryNotInForce = 84,
    BlacklistObjectionState = 85,
    SignatureRequired = 90,
    SignatureInvalid = 91,
    SignatureReplayed = 92,
    EvaluationStandardNotFound = 95,
    EvaluationPeriodNotEnded = 96,
    NotEvaluationPublisher = 97,
    EvidenceUnavailable = 98,
}

/// <summary>The names reasons travel under.</summary>
public static class ErrorReasons
{
    /// <summary>
    /// The name sent in google.rpc.ErrorInfo.reason (and ItemError.reason): the contract's value name
    /// without its ERROR_REASON_ prefix, e.g. "RECORD_NOT_FOUND" for <see cref="ErrorReason.RecordNotFound"/>.
    /// </summary>
    public static string WireName(ErrorReason reason) =>
        Enum.IsDefined(reason)
            ? EnumNames.Snake(reason.ToString()).ToUpperInvariant()
            : throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a reason of the contract.");
}

/// <summary>How the contract's enum value names are spelled on the wire, from the C# names protoc gives them.</summary>
internal static class EnumNames
{
    /// <summary>
    /// The snake_case of a Pascal-case name, lower case: a word starts at each capital and at each run of digits after a
    /// letter ("BirthDateBefore1900" → "birth_date_before_1900").
    /// </summary>
    public static string Snake(string pascal)
    {
        var snake = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && (char.IsUpper(pascal[i]) || (char.IsDigit(pascal[i]) && !char.IsDigit(pascal[i - 1]))))
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(pascal[i]));
        }

        return snake.ToString();
    }
}
