using CreditExchange.Domain.Errors;
using CreditExchange.Server.Database;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditExchange.Server.Grpc;

/// <summary>
/// Outermost interceptor: turns domain refusals and malformed input into specific statuses.
/// Anything else is a bug; it is logged with a reference id and answered INTERNAL without detail.
/// </summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    private RpcException Translate(Exception e, ServerCallContext context)
    {
        switch (e)
        {
            case DomainException domain:
                return RpcErrors.From(domain);
            case InvalidProtocolBufferException:
                return MalformedMessage();
            case IOException when e.Message.StartsWith("Message too large", StringComparison.Ordinal):
                // grpc-dotnet refusing a stream frame whose length prefix is 2^31 or more (see FrameLengthGuard).
                return FrameLengthGuard.TooLarge();
            case var _ when context.CancellationToken.IsCancellationRequested || context.Deadline <= DateTime.UtcNow:
                // The client went away or its deadline passed: whatever the handler was doing when it
                // noticed (reading the stream, waiting on the database) fails, and is not the hub's fault.
                // (At a deadline grpc-dotnet ends the request body before it cancels the token: a read
                // failing in between is the deadline too.)
                return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled by the client or its deadline passed."));
            case var _ when StorageFailures.IsTransient(e):
                // The database is unreachable, restarting, failing over, overloaded or full: the
                // transaction was rolled back, nothing was acknowledged, and a retry is safe.
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

    public static RpcException MalformedMessage() => RpcErrors.Create(
        StatusCode.InvalidArgument, ErrorReason.MalformedMessage, "The request message is not a valid protobuf encoding of the method's request type.");
}
