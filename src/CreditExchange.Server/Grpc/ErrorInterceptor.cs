using CreditExchange.Domain.Errors;
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
            case System.Data.Common.DbException { IsTransient: true } or TimeoutException:
                // The database is unreachable or overloaded: nothing was acknowledged, a retry is safe.
                Log.StorageUnavailable(logger, context.Method, e);
                return RpcErrors.Create(StatusCode.Unavailable, ErrorReason.StorageUnavailable, "The hub cannot reach its database; retry later (submissions are idempotent).");
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled by the client or its deadline passed."));
            default:
                var reference = Guid.NewGuid().ToString("N");
                Log.UnhandledError(logger, context.Method, reference, e);
                return RpcErrors.Create(StatusCode.Internal, ErrorReason.InternalError, $"The hub failed to process the call (reference {reference}).");
        }
    }

    public static RpcException MalformedMessage() => RpcErrors.Create(
        StatusCode.InvalidArgument, ErrorReason.MalformedMessage, "The request message is not a valid protobuf encoding of the method's request type.");
}
