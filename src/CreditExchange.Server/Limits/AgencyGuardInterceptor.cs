using CreditExchange.Domain.Errors;
using System.Threading.RateLimiting;
using CreditExchange.Server.Grpc;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Limits;

/// <summary>
/// Between error mapping and the caller checks: applies the per-agency rate limit (before any
/// token or database work, so a flood costs little), tracks each agency's open calls so that a
/// suspension can close them, and lets a unary call run only in its turn (<see cref="CallGate"/>).
/// </summary>
public sealed class AgencyGuardInterceptor(CallContext call, ActiveCalls active, AgencyRateLimiter limiter, CallGate gate, Telemetry.HubMetrics metrics) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var _ = Admit(context);
        if (!HubMethods.Contains(context.Method))
        {
            return await continuation(request, context);
        }

        using var turn = await gate.EnterAsync(context.CancellationToken);
        if (!turn.IsAcquired)
        {
            metrics.RateLimited("hub");
            throw RateLimited(TimeSpan.FromSeconds(1), "The hub has too many calls waiting");
        }

        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var call = Admit(context);
        return await continuation(call is null ? requestStream : new SuspendableReader<TRequest>(requestStream, call), context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var call = Admit(context);
        await continuation(request, call is null ? responseStream : new SuspendableWriter<TResponse>(responseStream, call), context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var call = Admit(context);
        await continuation(
            call is null ? requestStream : new SuspendableReader<TRequest>(requestStream, call),
            call is null ? responseStream : new SuspendableWriter<TResponse>(responseStream, call),
            context);
    }

    private ActiveCall? Admit(ServerCallContext context)
    {
        if (!HubMethods.Contains(context.Method))
        {
            return null;
        }

        var http = context.GetHttpContext();
        call.Bind(http);
        var agency = call.NamedAgency;
        var partition = agency?.Id ?? (call.Thumbprint is { } thumbprint ? "certificate:" + thumbprint : "anonymous");
        using (var lease = limiter.Acquire(partition))
        {
            if (!lease.IsAcquired)
            {
                metrics.RateLimited(agency?.Id ?? "unregistered");
                throw RateLimited(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1), "Rate limit exceeded");
            }
        }

        return agency is null ? null : active.Track(agency.Id, http);
    }

    private static RpcException Suspended() =>
        RpcErrors.Create(StatusCode.Unauthenticated, ErrorReason.AgencySuspended, "The agency was suspended; its open calls are closed.");

    private sealed class SuspendableReader<T>(IAsyncStreamReader<T> inner, ActiveCall call) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.Suspended);
                return await inner.MoveNext(linked.Token);
            }
            catch (OperationCanceledException) when (call.Suspended.IsCancellationRequested)
            {
                throw Suspended();
            }
        }
    }

    private sealed class SuspendableWriter<T>(IServerStreamWriter<T> inner, ActiveCall call) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) =>
            call.Suspended.IsCancellationRequested ? throw Suspended() : inner.WriteAsync(message);
    }

    private static RpcException RateLimited(TimeSpan retryAfter, string what)
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
        // The same delay as gRPC's retry pushback, which service-config retry policies (the SDKs') wait for.
        var refusal = status.ToRpcException();
        refusal.Trailers.Add("grpc-retry-pushback-ms", ((long)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return refusal;
    }
}

/// <summary>One token bucket per partition (agency id, or certificate thumbprint), from <see cref="LimitOptions"/>.</summary>
public sealed class AgencyRateLimiter(IOptions<LimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        partition => RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.TokenLimit,
            TokensPerPeriod = options.Value.TokensPerPeriod,
            ReplenishmentPeriod = options.Value.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        }),
        StringComparer.Ordinal);

    public RateLimitLease Acquire(string partition) => _limiter.AttemptAcquire(partition);

    public void Dispose() => _limiter.Dispose();
}
