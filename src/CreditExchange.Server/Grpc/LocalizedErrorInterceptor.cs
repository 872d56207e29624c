using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Net.Http.Headers;

namespace CreditExchange.Server.Grpc;

/// <summary>
/// Adds a google.rpc.LocalizedMessage to validation and competence refusals (agency developers
/// read Chinese): zh-CN when the call's accept-language prefers a zh tag to English, else en-US
/// (the status message itself). The status, its ErrorInfo and BadRequest are left as they are.
/// Sits outside <see cref="ErrorInterceptor"/>, so it sees refusals from every inner layer.
/// </summary>
public sealed class LocalizedErrorInterceptor : Interceptor
{
    public const string Chinese = "zh-CN";
    public const string English = "en-US";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e) when (Localize(e, context) is { } localized)
        {
            throw localized;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (RpcException e) when (Localize(e, context) is { } localized)
        {
            throw localized;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RpcException e) when (Localize(e, context) is { } localized)
        {
            throw localized;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (RpcException e) when (Localize(e, context) is { } localized)
        {
            throw localized;
        }
    }

    /// <summary>The refusal with a LocalizedMessage added, or null when its reason has no translation.</summary>
    private static RpcException? Localize(RpcException e, ServerCallContext context)
    {
        var status = e.GetRpcStatus();
        var reason = status?.GetDetail<ErrorInfo>()?.Reason;
        if (status is null || reason is null || status.GetDetail<LocalizedMessage>() is not null
            || LocalizedReasons.Chinese(reason, status.GetDetail<BadRequest>()) is not { } chinese)
        {
            return null;
        }

        status.Details.Add(Any.Pack(PrefersChinese(context.RequestHeaders.GetValue("accept-language"))
            ? new LocalizedMessage { Locale = Chinese, Message = chinese }
            : new LocalizedMessage { Locale = English, Message = status.Message }));
        return status.ToRpcException();
    }

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
