using System.Diagnostics;
using CreditExchange.Server.Audit;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Limits;
using CreditExchange.Server.Signing;
using CreditExchange.Server.Telemetry;
using CreditExchange.Server.Validation;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditExchange.Server.Pipeline;

/// <summary>
/// The one call pipeline: the only interceptor, one generic path for all four handler shapes. A call to a method of
/// the contract (<see cref="HubMethods"/>; reflection and health pass straight through) fills its
/// <see cref="CallContext"/> once — method and policy, certificate, clock, purpose — and then, in this order:
/// <list type="number">
/// <item>the agency's rate limit (before any token or database work, so a flood costs little), and the call is
/// tracked so that a suspension or a revocation can close it;</item>
/// <item>the unary call gate (not for streams or long-lived methods): the bulk lane first for a bulk method's call (or
/// one an <see cref="IBulkCallHint"/> names), then the agency's share, then the hub's turns;</item>
/// <item>authorization (<see cref="CallAuthorization"/>: certificate rechecked against the current revocation list,
/// agency, token, the scope the method's policy declares);</item>
/// <item>validation of the request (a stream's items are validated by their service through the same validator);</item>
/// <item>the handler, with a cancellation token that also ends when the hub closes the call;</item>
/// <item>the audit entry with the final status — unless the call's unit of work committed it with its change — and
/// the metrics.</item>
/// </list>
/// Every failure is turned into its status once (<see cref="CallErrors"/>), localized, audited and counted.
/// </summary>
public sealed class CallPipeline(
    HubMethods methods,
    CallContext call,
    CallAuthorization authorization,
    RequestValidator validator,
    RequestSigning signing,
    CreditExchange.Storage.SignatureStore signatures,
    AuditWriter audit,
    ActiveCalls active,
    AgencyRateLimiter limiter,
    CallGate gate,
    IEnumerable<IBulkCallHint> bulkHints,
    CallErrors errors,
    HubMetrics metrics,
    ILogger<CallPipeline> logger) : Interceptor
{
    public const string PurposeHeader = "x-purpose";

    /// <summary>The purpose as UTF-8 bytes, for purposes that are not ASCII (gRPC text metadata is).</summary>
    public const string PurposeBinaryHeader = "x-purpose-bin";

    private ActiveCall? _tracked;

    private CallContext Call => call;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, request, c => continuation(request, c));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, null, c => continuation(new PipelineReader<TRequest>(requestStream, this), c));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, request, async c =>
        {
            await continuation(request, new PipelineWriter<TResponse>(responseStream, this), c);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, null, async c =>
        {
            await continuation(new PipelineReader<TRequest>(requestStream, this), new PipelineWriter<TResponse>(responseStream, this), c);
            return true;
        });

    private async Task<T> RunAsync<T>(ServerCallContext context, object? request, Func<ServerCallContext, Task<T>> handler)
    {
        if (methods.Find(context.Method) is not { } method)
        {
            return await handler(context);
        }

        var http = context.GetHttpContext();
        call.Begin(http, method);
        StatePurpose(http.Request.Headers);
        call.Facts.Observe(request);
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            T result;
            try
            {
                result = await HandleAsync(context, http, method, request, handler);
            }
            catch (Exception e)
            {
                var refusal = errors.Refusal(e, context, _tracked);
                code = refusal.StatusCode;
                CallErrors.AnnounceRetry(refusal, http);
                await AuditFailureAsync(method, refusal, context);
                throw refusal;
            }

            if (!call.AuditWritten)
            {
                // What the answer names (records, subjects) is part of what the call did.
                call.Facts.ObserveAnswer(result);
                try
                {
                    await audit.WriteAsync(call, method.Path, call.Facts, StatusCode.OK, null);
                }
                catch (Exception e)
                {
                    // Nothing is acknowledged without its trace. A call that changed something committed its entry with
                    // the change (its unit of work), so only a call that changed nothing gets here.
                    Log.AuditWriteFailed(logger, method.Path, e);
                    var refusal = errors.Localized(RpcErrors.Unavailable(
                        Domain.Errors.ErrorReason.AuditUnavailable,
                        "The hub could not record the call in its audit trail, so it is not answered; it changed nothing. Retry later.",
                        writeApplied: false), context);
                    code = refusal.StatusCode;
                    throw refusal;
                }
            }

            return result;
        }
        finally
        {
            _tracked?.Dispose();
            metrics.CallFinished(method.Path, call.NamedAgency?.Id ?? "unregistered", (int)code, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<T> HandleAsync<T>(ServerCallContext context, HttpContext http, HubMethod method, object? request, Func<ServerCallContext, Task<T>> handler)
    {
        var partition = Partition();
        _tracked = Admit(http, partition);
        using var turn = Gated(method) ? await gate.EnterAsync(partition, method.Bulk || bulkHints.Any(h => h.IsBulk(method, request, call)), context.CancellationToken) : null;
        if (turn is { IsAcquired: false })
        {
            metrics.RateLimited("hub");
            throw CallErrors.RateLimited(TimeSpan.FromSeconds(1), "The hub has too many calls waiting");
        }

        await authorization.AuthorizeAsync(call);
        if (request is IMessage message)
        {
            validator.EnsureValid(message, call.Today);
            await AcceptSignatureAsync(message, context.CancellationToken);
        }

        if (_tracked is null)
        {
            return await handler(context);
        }

        // The handler's token also ends when the hub closes the call (suspension, revocation).
        using var closable = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _tracked.Closed);
        return await handler(new ClosableCallContext(context, http, closable.Token));
    }

    /// <summary>
    /// A write request's agency signature, checked and kept before the handler runs (its nonce spent), so that the change
    /// can point at it and a receipt at its hash. A stream's items are checked by their service, the same way.
    /// </summary>
    private async Task AcceptSignatureAsync(IMessage message, CancellationToken ct)
    {
        if (RequestSigning.SignatureField(message.Descriptor) is null)
        {
            return;
        }

        var signed = signing.Check(call, message);
        call.RequestSha256 = signed.RequestSha256;
        if (signed.Signature is { } row)
        {
            call.RequestSignatureId = (await RequestSigning.SpendAsync(signatures, call, [row], ct))[0] ?? throw RequestSigning.Replayed();
        }
    }

    /// <summary>Unary calls run in their turn; streams (and long-lived methods) are not held in the gate.</summary>
    private static bool Gated(HubMethod method) =>
        !method.LongLived && !method.Descriptor.IsClientStreaming && !method.Descriptor.IsServerStreaming;

    /// <summary>Whose share of the limits a call takes: the agency the certificate names, else the certificate.</summary>
    private string Partition() => call.NamedAgency?.Id ?? (call.Thumbprint is { } thumbprint ? "certificate:" + thumbprint : "anonymous");

    /// <summary>The rate limit (by the agency the certificate names, else by certificate), then the call is tracked.</summary>
    private ActiveCall? Admit(HttpContext http, string partition)
    {
        var agency = call.NamedAgency;
        using (var lease = limiter.Acquire(partition))
        {
            if (!lease.IsAcquired)
            {
                metrics.RateLimited(agency?.Id ?? "unregistered");
                throw CallErrors.RateLimited(
                    lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1),
                    "Rate limit exceeded");
            }
        }

        return agency is null || call.Certificate is null ? null : active.Track(agency.Id, http, call.Certificate);
    }

    private async Task AuditFailureAsync(HubMethod method, RpcException refusal, ServerCallContext context)
    {
        if (call.AuditWritten)
        {
            // Its unit of work committed the change with a success entry: that entry is what happened.
            return;
        }

        var code = refusal.StatusCode;
        if (code == StatusCode.Cancelled && context.Deadline <= DateTime.UtcNow)
        {
            // grpc-dotnet answers DEADLINE_EXCEEDED itself; the handler only saw its token cancelled.
            code = StatusCode.DeadlineExceeded;
        }

        try
        {
            await audit.WriteAsync(call, method.Path, call.Facts, code, refusal.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        }
        catch (Exception e)
        {
            // The caller still gets the call's own status (nothing was changed); the missing entry is logged loudly.
            Log.AuditWriteFailed(logger, method.Path, e);
        }
    }

    /// <summary>The stated purpose, read from the HTTP headers (not ServerCallContext.RequestHeaders, which parses every "-bin" header eagerly and throws on bad base64).</summary>
    private void StatePurpose(IHeaderDictionary headers)
    {
        if (DecodeBinary(headers[PurposeBinaryHeader].ToString()) is { } utf8)
        {
            call.Facts.StatePurpose(System.Text.Encoding.UTF8.GetString(utf8));
        }

        call.Facts.StatePurpose(headers[PurposeHeader].ToString());
    }

    /// <summary>gRPC binary metadata: base64, padding optional. Null when absent or not base64.</summary>
    private static byte[]? DecodeBinary(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        var padded = value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '=');
        var buffer = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>A request stream as the pipeline passes it on: each item observed for the audit entry; ended when the hub closes the call; malformed frames refused.</summary>
    private sealed class PipelineReader<T>(IAsyncStreamReader<T> inner, CallPipeline pipeline) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var closed = pipeline._tracked?.Closed ?? CancellationToken.None;
            using var linked = closed.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closed) : null;
            bool more;
            try
            {
                more = await inner.MoveNext(linked?.Token ?? cancellationToken);
            }
            catch (Exception e) when (CallErrors.IsMalformedFrame(e))
            {
                throw CallErrors.MalformedMessage();
            }

            if (more && pipeline.Call.Method is not null)
            {
                pipeline.Call.Facts.Observe(inner.Current);
            }

            return more;
        }
    }

    /// <summary>A response stream as the pipeline passes it on: each message written observed for the audit entry; refused once the hub closed the call.</summary>
    private sealed class PipelineWriter<T>(IServerStreamWriter<T> inner, CallPipeline pipeline) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message)
        {
            pipeline._tracked?.Closed.ThrowIfCancellationRequested();
            var write = inner.WriteAsync(message);
            return pipeline.Call.Method is null ? write : ObservedAsync(write, message);
        }

        /// <summary>What the call sent, once written: a message stuck before a slow client's reset was not.</summary>
        private async Task ObservedAsync(Task write, T message)
        {
            await write;
            pipeline.Call.Facts.ObserveAnswer(message);
        }
    }
}
