using CreditExchange.Domain.Errors;
using CreditExchange.Server.Grpc;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditExchange.Server.Audit;

/// <summary>
/// Outermost interceptor: every call to a CreditExchange method leaves one audit entry with its
/// final status — including refusals by the caller checks, validation errors, rate limits and
/// failures mapped by <see cref="Grpc.ErrorInterceptor"/>. The entry is written (committed)
/// before the answer leaves the hub: nothing is acknowledged without its trace (rows the call handed over with
/// <see cref="CallContext.TryCommitWithAudit"/> commit with it when it succeeded). When the entry
/// cannot be written, a call that succeeded is answered UNAVAILABLE (a retried submission is
/// idempotent and is audited then); a call that failed keeps its own status.
/// </summary>
public sealed class AuditInterceptor(AuditWriter writer, CallContext call, ILogger<AuditInterceptor> logger) : Interceptor
{
    public const string PurposeHeader = "x-purpose";

    /// <summary>The purpose as UTF-8 bytes, for purposes that are not ASCII (gRPC text metadata is).</summary>
    public const string PurposeBinaryHeader = "x-purpose-bin";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!HubMethods.Contains(context.Method))
        {
            return await continuation(request, context);
        }

        var facts = Begin(context);
        facts.Observe(request);
        return await AuditedAsync(context, facts, async () =>
        {
            var response = await continuation(request, context);
            facts.Observe(response);
            return response;
        });
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!HubMethods.Contains(context.Method))
        {
            return await continuation(requestStream, context);
        }

        var facts = Begin(context);
        return await AuditedAsync(context, facts, async () =>
        {
            var response = await continuation(new ObservingReader<TRequest>(requestStream, facts), context);
            facts.Observe(response);
            return response;
        });
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!HubMethods.Contains(context.Method))
        {
            await continuation(request, responseStream, context);
            return;
        }

        var facts = Begin(context);
        facts.Observe(request);
        await AuditedAsync(context, facts, async () =>
        {
            await continuation(request, new ObservingWriter<TResponse>(responseStream, facts), context);
            return true;
        });
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!HubMethods.Contains(context.Method))
        {
            await continuation(requestStream, responseStream, context);
            return;
        }

        var facts = Begin(context);
        await AuditedAsync(context, facts, async () =>
        {
            await continuation(new ObservingReader<TRequest>(requestStream, facts), new ObservingWriter<TResponse>(responseStream, facts), context);
            return true;
        });
    }

    /// <summary>
    /// Runs the call and records its outcome: a failure of the call itself is audited with its
    /// status; once the call has ended, only the success entry is written (a failure to write it
    /// is not audited as a failure of the call).
    /// </summary>
    private async Task<T> AuditedAsync<T>(ServerCallContext context, AuditFacts facts, Func<Task<T>> call)
    {
        T result;
        try
        {
            result = await call();
        }
        catch (Exception e)
        {
            await RecordFailureAsync(context, facts, e);
            throw;
        }

        await RecordSuccessAsync(context, facts);
        return result;
    }

    private AuditFacts Begin(ServerCallContext context)
    {
        AuditWriter.MarkAudited(context.GetHttpContext());
        call.Bind(context.GetHttpContext()).AcceptRowsForAudit();
        var facts = new AuditFacts(call.SubjectKey);
        // Read from the HTTP headers, not ServerCallContext.RequestHeaders: that parses every
        // "-bin" header eagerly and throws on bad base64, which a hostile client controls.
        var headers = context.GetHttpContext().Request.Headers;
        if (DecodeBinary(headers[PurposeBinaryHeader].ToString()) is { } utf8)
        {
            facts.StatePurpose(System.Text.Encoding.UTF8.GetString(utf8));
        }

        facts.StatePurpose(headers[PurposeHeader].ToString());
        return facts;
    }

    private async Task RecordSuccessAsync(ServerCallContext context, AuditFacts facts)
    {
        try
        {
            await WriteAsync(context, facts, StatusCode.OK, null);
        }
        catch (Exception e)
        {
            Log.AuditWriteFailed(logger, context.Method, e);
            throw Grpc.RpcErrors.Unavailable(
                ErrorReason.AuditUnavailable,
                "The hub could not record the call in its audit trail, so it is not acknowledged. Retry later: a repeated submission " +
                "answers the first result; a repeated lifecycle change answers VERSION_MISMATCH if the first one took effect.",
                writeApplied: null);
        }
    }

    private async Task RecordFailureAsync(ServerCallContext context, AuditFacts facts, Exception failure)
    {
        var (code, reason) = failure switch
        {
            RpcException rpc => (rpc.StatusCode, rpc.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason),
            OperationCanceledException => (StatusCode.Cancelled, null),
            _ => (StatusCode.Unknown, null),
        };
        if (code == StatusCode.Cancelled && context.Deadline <= DateTime.UtcNow)
        {
            // grpc-dotnet answers DEADLINE_EXCEEDED itself; the handler only saw its token cancelled.
            code = StatusCode.DeadlineExceeded;
        }

        try
        {
            await WriteAsync(context, facts, code, reason);
        }
        catch (Exception e)
        {
            // The caller still gets the call's own status; the missing entry is logged loudly.
            Log.AuditWriteFailed(logger, context.Method, e);
        }
    }

    private Task WriteAsync(ServerCallContext context, AuditFacts facts, StatusCode code, string? reason) =>
        writer.WriteAsync(context.GetHttpContext(), context.Method, facts, code, reason);

    private sealed class ObservingReader<T>(IAsyncStreamReader<T> inner, AuditFacts facts) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var more = await inner.MoveNext(cancellationToken);
            if (more)
            {
                facts.Observe(inner.Current);
            }

            return more;
        }
    }

    private sealed class ObservingWriter<T>(IServerStreamWriter<T> inner, AuditFacts facts) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message)
        {
            facts.Observe(message);
            return inner.WriteAsync(message);
        }
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
}
