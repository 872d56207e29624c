using CreditExchange.Contracts.Errors.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditExchange.Client;

/// <summary>
/// Gives every call without a deadline the default one, and turns the hub's refusals into
/// <see cref="CreditExchangeException"/> (after the channel's retries). A TOKEN_INVALID answer
/// drops the cached token, so the next call fetches a new one.
/// </summary>
public sealed class HubCallInterceptor(TimeSpan defaultDeadline, TokenSource? tokens = null) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, WithDeadline(context));
        return new AsyncUnaryCall<TResponse>(Translate(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        try
        {
            return continuation(request, WithDeadline(context));
        }
        catch (RpcException e)
        {
            throw Refusal(e);
        }
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(WithDeadline(context));
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            call.RequestStream, Translate(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        // Streams (the future feed) get no default deadline: a follower runs for as long as it likes.
        var call = continuation(request, context);
        return new AsyncServerStreamingCall<TResponse>(
            new TranslatingReader<TResponse>(call.ResponseStream, this), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private ClientInterceptorContext<TRequest, TResponse> WithDeadline<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class =>
        context.Options.Deadline is not null
            ? context
            : new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithDeadline(DateTime.UtcNow + defaultDeadline));

    private async Task<T> Translate<T>(Task<T> response)
    {
        try
        {
            return await response.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Refusal(e);
        }
    }

    private CreditExchangeException Refusal(RpcException e)
    {
        var refusal = CreditExchangeException.From(e);
        if (refusal.Reason == ErrorReason.TokenInvalid)
        {
            tokens?.Invalidate();
        }

        return refusal;
    }

    private sealed class TranslatingReader<T>(IAsyncStreamReader<T> inner, HubCallInterceptor owner) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                return await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw owner.Refusal(e);
            }
        }
    }
}
