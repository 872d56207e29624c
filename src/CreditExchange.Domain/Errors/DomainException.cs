namespace CreditExchange.Domain.Errors;

/// <summary>What kind of failure a domain rule reports; the service layer maps it to a status code.</summary>
public enum ErrorKind
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    FailedPrecondition,
    Unauthenticated,
    Aborted,
    OutOfRange,
    ResourceExhausted,
}

/// <summary>
/// A refused field: a proto field path, why, and a stable reason code — a <see cref="FieldViolationReason"/>'s wire name
/// when the hub's own rules refused it, a protovalidate rule id when the contract's rules did.
/// </summary>
public sealed record FieldViolation(string Field, string Description, string Reason)
{
    /// <summary>A field refused by one of the hub's own rules.</summary>
    public FieldViolation(string field, string description, FieldViolationReason reason)
        : this(field, description, FieldViolationReasons.WireName(reason))
    {
    }
}

/// <summary>
/// A rule said no. <see cref="Reason"/> is a stable UPPER_SNAKE code that clients may branch on;
/// the message is for people.
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(ErrorKind kind, ErrorReason reason, string message, IReadOnlyList<FieldViolation>? violations = null)
        : base(message)
    {
        Kind = kind;
        Code = reason;
        Reason = ErrorReasons.WireName(reason);
        Violations = violations ?? [];
    }

    public DomainException()
        : this(ErrorKind.FailedPrecondition, ErrorReason.Unspecified, "A domain rule refused the request.")
    {
    }

    public DomainException(string message)
        : this(ErrorKind.FailedPrecondition, ErrorReason.Unspecified, message)
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = ErrorKind.FailedPrecondition;
        Code = ErrorReason.Unspecified;
        Reason = ErrorReasons.WireName(ErrorReason.Unspecified);
        Violations = [];
    }

    public ErrorKind Kind { get; }

    /// <summary>The reason, one of the contract's.</summary>
    public ErrorReason Code { get; }

    /// <summary>The reason as sent (<see cref="ErrorReasons.WireName"/> of <see cref="Code"/>).</summary>
    public string Reason { get; }

    public IReadOnlyList<FieldViolation> Violations { get; }

    public static DomainException InvalidArgument(ErrorReason reason, IReadOnlyList<FieldViolation> violations) =>
        new(ErrorKind.InvalidArgument, reason, Describe(violations), violations);

    private static string Describe(IReadOnlyList<FieldViolation> violations) =>
        violations.Count == 1
            ? $"Invalid request: {violations[0].Field}: {violations[0].Description}"
            : $"Invalid request: {violations.Count} fields are invalid; see the BadRequest detail.";
}
