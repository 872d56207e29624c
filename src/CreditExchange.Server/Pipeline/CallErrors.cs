using CreditExchange.Domain.Errors;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Database;
using CreditExchange.Server.Limits;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Net.Http.Headers;

namespace CreditExchange.Server.Pipeline;

/// <summary>
/// Turns whatever ended a call into the status the caller gets, once, for every call: domain refusals and malformed
/// input into their specific statuses; a call the hub closed (suspension, revocation) into UNAUTHENTICATED; a client's
/// cancel or passed deadline into CANCELLED; an unreachable database into UNAVAILABLE. Anything else is a bug: logged
/// with a reference id and answered INTERNAL without detail. Validation and competence refusals then get a
/// google.rpc.LocalizedMessage (agency developers read Chinese): zh-CN when the call's accept-language prefers a zh tag
/// to English, else en-US (the status message itself).
/// </summary>
public sealed class CallErrors(ILogger<CallErrors> logger)
{
    public const string Chinese = "zh-CN";
    public const string English = "en-US";

    /// <summary>The localized status a call ends with after <paramref name="e"/>.</summary>
    public RpcException Refusal(Exception e, ServerCallContext context, ActiveCall? tracked) => Localized(Translate(e, context, tracked), context);

    private RpcException Translate(Exception e, ServerCallContext context, ActiveCall? tracked)
    {
        switch (e)
        {
            case var _ when tracked?.Reason is { } closed:
                // The hub closed the call (its agency was suspended, its certificate revoked): whatever the handler was
                // doing when it noticed fails, and the caller learns why.
                return RpcErrors.Create(StatusCode.Unauthenticated, closed, closed == ErrorReason.AgencySuspended
                    ? "The agency was suspended; its open calls are closed."
                    : "The client certificate was revoked or has expired; its open calls are closed.");
            case RpcException rpc:
                return rpc;
            case DomainException domain:
                return RpcErrors.From(domain);
            case InvalidProtocolBufferException:
                return MalformedMessage();
            case IOException when e.Message.StartsWith("Message too large", StringComparison.Ordinal):
                // grpc-dotnet refusing a stream frame whose length prefix is 2^31 or more (see FrameGuard).
                return FrameGuard.TooLarge();
            case var _ when context.CancellationToken.IsCancellationRequested || context.Deadline <= DateTime.UtcNow:
                // The client went away or its deadline passed: whatever the handler was doing when it noticed (reading
                // the stream, waiting on the database) fails, and is not the hub's fault. (At a deadline grpc-dotnet ends
                // the request body before it cancels the token: a read failing in between is the deadline too.)
                return new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled by the client or its deadline passed."));
            case Privacy.SealedDataUnavailableException unreadable:
                // A stored value does not open with this instance's keys (a key not configured here yet, or dropped too
                // early): the instance reports itself not ready; another instance, or this one once configured, can answer.
                return RpcErrors.Unavailable(
                    ErrorReason.PrivacyKeyUnavailable,
                    $"This hub instance cannot open a stored value the call needs: {unreadable.Message} Retry later or on another instance.",
                    writeApplied: false);
            case var _ when StorageFailures.IsAuditRefused(e):
                // The call's audit entry could not be written; its change (if any) was in the same transaction, so
                // nothing of the call took effect.
                Log.AuditWriteFailed(logger, context.Method, e);
                return RpcErrors.Unavailable(
                    ErrorReason.AuditUnavailable,
                    "The hub could not record the call in its audit trail, so nothing of it took effect. Retry later.",
                    writeApplied: false);
            case var _ when StorageFailures.IsTransient(e):
                // The database is unreachable, restarting, failing over, overloaded or full: the transaction was rolled
                // back, nothing was acknowledged, and a retry is safe.
                Log.StorageUnavailable(logger, context.Method, e);
                return StorageUnavailable();
            default:
                var reference = Guid.NewGuid().ToString("N");
                Log.UnhandledError(logger, context.Method, reference, e);
                return RpcErrors.Create(StatusCode.Internal, ErrorReason.InternalError, $"The hub failed to process the call (reference {reference}).");
        }
    }

    /// <summary>UNAVAILABLE (STORAGE_UNAVAILABLE) with RetryInfo: the database cannot be reached or written now.</summary>
    public static RpcException StorageUnavailable() => RpcErrors.Unavailable(
        ErrorReason.StorageUnavailable,
        "The hub cannot reach or write its database; the call did not take effect (nothing was written). Retry later: submissions are idempotent.",
        writeApplied: false);

    /// <summary>INVALID_ARGUMENT, reason MALFORMED_MESSAGE: the bytes are not a valid gRPC message of the method's request type.</summary>
    public static RpcException MalformedMessage() => RpcErrors.Create(
        StatusCode.InvalidArgument, ErrorReason.MalformedMessage, "The request message is not a valid protobuf encoding of the method's request type.");

    /// <summary>
    /// Whether reading a request stream failed on its framing rather than on the call: a compressed-flag byte other
    /// than 0 or 1, a compressed message without a usable grpc-encoding, a body that does not decompress. grpc-dotnet
    /// reports these as an <see cref="InvalidDataException"/> or as INTERNAL; they are the client's malformed input.
    /// </summary>
    public static bool IsMalformedFrame(Exception e) =>
        e is InvalidDataException
        || (e is RpcException { StatusCode: StatusCode.Internal } rpc && rpc.GetRpcStatus()?.GetDetail<ErrorInfo>() is null
            && rpc.Status.Detail.Contains("compress", StringComparison.OrdinalIgnoreCase));

    /// <summary>RESOURCE_EXHAUSTED (RATE_LIMITED) with RetryInfo and the same delay as gRPC's retry pushback, which the SDKs' retry policies wait for.</summary>
    public static RpcException RateLimited(TimeSpan retryAfter, string what)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)StatusCode.ResourceExhausted,
            Message = $"{what}; retry after {retryAfter.TotalMilliseconds:0} ms.",
            Details =
            {
                Any.Pack(RpcErrors.Info(ErrorReason.RateLimited)),
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }),
            },
        };
        var refusal = status.ToRpcException();
        refusal.Trailers.Add("grpc-retry-pushback-ms", ((long)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return refusal;
    }

    /// <summary>
    /// On an HTTP JSON call (gRPC JSON transcoding), the Retry-After header of a refusal that says when to retry
    /// (RetryInfo: 503 during an outage, 429 at the rate limit), in whole seconds, so that an HTTP client need not
    /// read the body to back off. gRPC callers read RetryInfo and the retry pushback.
    /// </summary>
    public static void AnnounceRetry(RpcException refusal, HttpContext http)
    {
        if (http.Response.HasStarted || http.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
            || refusal.GetRpcStatus()?.GetDetail<RetryInfo>() is not { RetryDelay: { } delay })
        {
            return;
        }

        var seconds = Math.Max(1, (long)Math.Ceiling(delay.ToTimeSpan().TotalSeconds));
        http.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The refusal with a LocalizedMessage added when its reason has a translation (and it has none yet).</summary>
    public RpcException Localized(RpcException e, ServerCallContext context)
    {
        var status = e.GetRpcStatus();
        if (status is null || !AddLocalizedMessage(status, context.GetHttpContext().Request.Headers.AcceptLanguage.ToString()))
        {
            return e;
        }

        var localized = status.ToRpcException();
        foreach (var trailer in e.Trailers.Where(t => t.Key != "grpc-status-details-bin"))
        {
            localized.Trailers.Add(trailer);
        }

        return localized;
    }

    /// <summary>
    /// Adds a LocalizedMessage to <paramref name="status"/> when its reason has a translation and it has none yet (a
    /// call's refusal, or one item's refusal in a batch); false when nothing was added.
    /// </summary>
    public static bool AddLocalizedMessage(Google.Rpc.Status status, string? acceptLanguage)
    {
        var reason = status.GetDetail<ErrorInfo>()?.Reason;
        if (reason is null || status.GetDetail<LocalizedMessage>() is not null
            || LocalizedReasons.Chinese(reason, status.GetDetail<BadRequest>()) is not { } chinese)
        {
            return false;
        }

        status.Details.Add(Any.Pack(Localize(status.Message, chinese, acceptLanguage)));
        return true;
    }

    /// <summary>The message a caller reads: Chinese when its accept-language prefers it, else the English one.</summary>
    public static LocalizedMessage Localize(string english, string chinese, string? acceptLanguage) => PrefersChinese(acceptLanguage)
        ? new LocalizedMessage { Locale = Chinese, Message = chinese }
        : new LocalizedMessage { Locale = English, Message = english };

    /// <summary>True when the highest-weighted language tag the caller accepts is Chinese (zh, zh-CN, zh-Hans…).</summary>
    public static bool PrefersChinese(string? acceptLanguage)
    {
        if (string.IsNullOrWhiteSpace(acceptLanguage) || !StringWithQualityHeaderValue.TryParseList([acceptLanguage], out var tags))
        {
            return false;
        }

        var best = tags
            .Where(t => t.Quality is null or > 0)
            .OrderByDescending(t => t.Quality ?? 1)
            .Select(t => t.Value.Value ?? "")
            .FirstOrDefault(t => t.StartsWith("zh", StringComparison.OrdinalIgnoreCase) || t.StartsWith("en", StringComparison.OrdinalIgnoreCase));
        return best?.StartsWith("zh", StringComparison.OrdinalIgnoreCase) == true;
    }
}
