using CreditExchange.Domain.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace CreditExchange.Server.Grpc;

/// <summary>Builds statuses with rich details: google.rpc.ErrorInfo always, BadRequest for field violations.</summary>
public static class RpcErrors
{
    /// <summary>The ErrorInfo domain of every error the hub raises.</summary>
    public const string ErrorDomain = "creditexchange.gov";

    public static RpcException From(DomainException e) => Create(ToCode(e.Kind), e.Code, e.Message, e.Violations);

    public static RpcException Create(StatusCode code, ErrorReason reason, string message, IReadOnlyList<FieldViolation>? violations = null)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(Info(reason)) },
        };
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

        return status.ToRpcException();
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
