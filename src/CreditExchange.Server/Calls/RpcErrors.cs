using CreditExchange.Domain.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace CreditExchange.Server.Calls;

/// <summary>Builds statuses with rich details: google.rpc.ErrorInfo always, BadRequest for field violations.</summary>
public static class RpcErrors
{
    /// <summary>The ErrorInfo domain of every error the hub raises.</summary>
    public const string ErrorDomain = "creditexchange.gov";

    public static RpcException From(DomainException e) => Create(ToCode(e.Kind), e.Code, e.Message, e.Violations);

    /// <summary>The status of a domain refusal (code, message, ErrorInfo, BadRequest), e.g. one item's in a batch.</summary>
    public static Google.Rpc.Status StatusOf(DomainException e) => StatusOf(ToCode(e.Kind), e.Code, e.Message, e.Violations, null, null);

    /// <summary>How long a caller is told to wait before retrying after a transient outage.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// UNAVAILABLE with a RetryInfo detail: the hub cannot serve the call now and the same call may be
    /// retried. <paramref name="writeApplied"/> goes into the ErrorInfo metadata <c>write_applied</c>
    /// ("false" when nothing of the call took effect; left out when the hub cannot tell).
    /// </summary>
    public static RpcException Unavailable(ErrorReason reason, string message, bool? writeApplied) =>
        Build(
            StatusCode.Unavailable,
            reason,
            message,
            null,
            RetryAfter,
            writeApplied is { } applied ? new Dictionary<string, string> { ["write_applied"] = applied ? "true" : "false" } : null);

    public static RpcException Create(StatusCode code, ErrorReason reason, string message, IReadOnlyList<FieldViolation>? violations = null) =>
        Build(code, reason, message, violations, null, null);

    private static RpcException Build(
        StatusCode code, ErrorReason reason, string message, IReadOnlyList<FieldViolation>? violations, TimeSpan? retryAfter, IDictionary<string, string>? metadata) =>
        StatusOf(code, reason, message, violations, retryAfter, metadata).ToRpcException();

    private static Google.Rpc.Status StatusOf(
        StatusCode code, ErrorReason reason, string message, IReadOnlyList<FieldViolation>? violations, TimeSpan? retryAfter, IDictionary<string, string>? metadata)
    {
        var info = Info(reason);
        if (metadata is not null)
        {
            info.Metadata.Add(metadata);
        }

        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(info) },
        };
        if (retryAfter is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }

        if (violations is { Count: > 0 })
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation
            {
                Field = v.Field,
                Description = v.Description,
                Reason = v.Reason,
            }));
            status.Details.Add(Any.Pack(badRequest));
        }

        return status;
    }

    /// <summary>The ErrorInfo of a refusal: the reason's wire name in the hub's domain.</summary>
    public static ErrorInfo Info(ErrorReason reason) => new() { Reason = ErrorReasons.WireName(reason), Domain = ErrorDomain };

    public static StatusCode ToCode(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        ErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        ErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        ErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        ErrorKind.Aborted => StatusCode.Aborted,
        ErrorKind.OutOfRange => StatusCode.OutOfRange,
        ErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        _ => StatusCode.FailedPrecondition,
    };
}
