namespace CreditExchange.Domain.Identifiers;

/// <summary>
/// Why an identifier was refused. <see cref="Reason"/> is a stable snake_case code that
/// clients may branch on (it ends up in gRPC error details); <see cref="Message"/> is an
/// English sentence for the developer of the submitting agency's system.
/// </summary>
/// <remarks>
/// Messages never contain the identifier itself: a resident ID is personal information
/// under PIPL, and error messages travel into client logs we do not control.
/// </remarks>
public sealed record IdentifierError(string Reason, string Message);

/// <summary>The stable values of <see cref="IdentifierError.Reason"/>.</summary>
public static class IdentifierErrorReasons
{
    public const string Missing = "missing";
    public const string WrongLength = "wrong_length";
    public const string ForbiddenCharacter = "forbidden_character";
    public const string CheckCharacterMismatch = "check_character_mismatch";
    public const string OrganizationCodeCheckMismatch = "organization_code_check_mismatch";
    public const string MalformedRegion = "malformed_region";
    public const string UnknownRegion = "unknown_region";
    public const string RetiredRegion = "retired_region";
    public const string RegionNotYetEffective = "region_not_yet_effective";
    public const string ImpossibleBirthDate = "impossible_birth_date";
    public const string BirthDateInFuture = "birth_date_in_future";
    public const string BirthDateBefore1900 = "birth_date_before_1900";
    public const string NotGovernmentBodyCode = "not_government_body_code";
    public const string NotMarketSubjectCode = "not_market_subject_code";
}
