using CreditExchange.Contracts.Errors.V1;
using Google.Rpc;
using Grpc.Core;

namespace CreditExchange.Client;

/// <summary>
/// A call the hub refused, with its details decoded: the <see cref="ErrorReason"/> to branch on,
/// the field violations of bad input (proto field paths), the RetryInfo delay and the localized
/// message. It is an <see cref="RpcException"/>, so code catching those keeps working.
/// </summary>
public sealed class CreditExchangeException : RpcException
{
    private CreditExchangeException(RpcException inner, Google.Rpc.Status? status)
        : base(inner.Status, inner.Trailers, inner.Message)
    {
        var info = status?.GetDetail<ErrorInfo>();
        ReasonName = info?.Reason;
        Domain = info?.Domain;
        Reason = ErrorReasons.Parse(info?.Reason);
        FieldViolations = status?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];
        RetryDelay = status?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan();
        var localized = status?.GetDetail<LocalizedMessage>();
        LocalizedMessage = localized?.Message;
        Locale = localized?.Locale;
    }

    /// <summary>The reason; <see cref="ErrorReason.Unspecified"/> when the hub sent none or one this SDK does not know (see <see cref="ReasonName"/>).</summary>
    public ErrorReason Reason { get; }

    /// <summary>The reason as sent (google.rpc.ErrorInfo.reason), e.g. "RECORD_NOT_FOUND".</summary>
    public string? ReasonName { get; }

    /// <summary>The ErrorInfo domain, "creditexchange.gov" for the hub's own refusals.</summary>
    public string? Domain { get; }

    /// <summary>One entry per bad field, named by its proto path (e.g. "record.subject.civil_servant.resident_id").</summary>
    public IReadOnlyList<BadRequest.Types.FieldViolation> FieldViolations { get; }

    /// <summary>How long the hub asked to wait before retrying (rate limits).</summary>
    public TimeSpan? RetryDelay { get; }

    /// <summary>The hub's message in <see cref="Locale"/> (zh-CN when asked for with accept-language), for validation and competence refusals.</summary>
    public string? LocalizedMessage { get; }

    /// <summary>The locale of <see cref="LocalizedMessage"/>.</summary>
    public string? Locale { get; }

    /// <summary>The exception with the hub's details decoded from its grpc-status-details-bin trailer.</summary>
    public static CreditExchangeException From(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception as CreditExchangeException ?? new CreditExchangeException(exception, exception.GetRpcStatus());
    }
}

/// <summary>Maps between <see cref="ErrorReason"/> values and the names the hub sends (the value name without "ERROR_REASON_").</summary>
public static class ErrorReasons
{
    /// <summary>The prefix the contract's value names carry and the wire names do not.</summary>
    public const string Prefix = "ERROR_REASON_";

    /// <summary>The name sent on the wire, e.g. "RECORD_NOT_FOUND" for <see cref="ErrorReason.RecordNotFound"/>.</summary>
    public static string WireName(ErrorReason reason) =>
        ErrorsReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("ErrorReason").FindValueByNumber((int)reason) is { } value
            ? value.Name[Prefix.Length..]
            : throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not an ErrorReason of the contract.");

    /// <summary>The reason a wire name stands for; <see cref="ErrorReason.Unspecified"/> for null or an unknown name.</summary>
    public static ErrorReason Parse(string? wireName) =>
        wireName is { Length: > 0 }
        && ErrorsReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("ErrorReason").FindValueByName(Prefix + wireName) is { } value
            ? (ErrorReason)value.Number
            : ErrorReason.Unspecified;
}
