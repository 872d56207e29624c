namespace CreditExchange.Domain.Errors;

/// <summary>
/// The contract's creditexchange.errors.v1.FieldViolationReason: why the hub's own rules refused a field, mirrored here
/// (same names and numbers; a test checks them against each other). Every field violation the hub's rules raise names
/// one of these; a field refused by the contract's protovalidate rules carries that rule's id instead.
/// </summary>
public enum FieldViolationReason
{
    Unspecified = 0,
    Required = 1,
    NotAllowed = 2,
    ImpossibleDate = 3,
    DateInFuture = 4,
    DateTooEarly = 5,
    BeforeDecision = 6,
    AfterDecision = 7,
    EndsBeforeDecision = 8,
    RangeReversed = 9,
    ToBeforeFrom = 10,
    ExceedsOwed = 11,
    ArrearsMismatch = 12,
    SeverityBelowKind = 13,
    DuplicatePrincipal = 14,
    NulCharacter = 15,
    BidiControl = 16,
    NonCharacter = 17,
    WhitespaceOnly = 18,
    TimestampRange = 19,
    InvalidPageToken = 20,
    InvalidCheckpoint = 21,
    UnknownScope = 22,
    CertificateIdentityRequired = 23,
    InvalidCertificateUri = 24,
    StatutoryPeriod = 25,
    SeverityBelowAmount = 26,
    Missing = 30,
    WrongLength = 31,
    ForbiddenCharacter = 32,
    CheckCharacterMismatch = 33,
    OrganizationCodeCheckMismatch = 34,
    MalformedRegion = 35,
    UnknownRegion = 36,
    RetiredRegion = 37,
    RegionNotYetEffective = 38,
    ImpossibleBirthDate = 39,
    BirthDateInFuture = 40,
    BirthDateBefore1900 = 41,
    NotGovernmentBodyCode = 42,
    NotMarketSubjectCode = 43,
    ListingTooLong = 44,
    ExtensionOutOfRange = 50,
    SignatureMismatch = 60,
    SignedOutsideWindow = 61,
    NonceReused = 62,
}

/// <summary>The names field violation reasons travel under.</summary>
public static class FieldViolationReasons
{
    /// <summary>
    /// The name sent in google.rpc.BadRequest.FieldViolation.reason: the contract's value name without its
    /// FIELD_VIOLATION_REASON_ prefix, in lower case, e.g. "birth_date_before_1900" for
    /// <see cref="FieldViolationReason.BirthDateBefore1900"/>.
    /// </summary>
    public static string WireName(FieldViolationReason reason) =>
        Enum.IsDefined(reason) && reason != FieldViolationReason.Unspecified
            ? EnumNames.Snake(reason.ToString())
            : throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a field violation reason of the contract.");
}
