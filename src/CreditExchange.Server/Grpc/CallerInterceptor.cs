using CreditExchange.Domain.Agencies;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Validation;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditExchange.Server.Grpc;

/// <summary>
/// Resolves the calling agency from the client certificate (already verified in the TLS handshake)
/// for every CreditExchange method, and validates unary requests against the contract's rules.
/// Reflection and health need the certificate only.
/// </summary>
public sealed class CallerInterceptor(AgencyRegistry registry, RequestValidator validator) : Interceptor
{
    private const string AgencyKey = "creditexchange.agency";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (IsHubMethod(context))
        {
            Identify(context);
            validator.EnsureValid((Google.Protobuf.IMessage)request);
        }

        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (IsHubMethod(context))
        {
            Identify(context);
        }

        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (IsHubMethod(context))
        {
            Identify(context);
            validator.EnsureValid((Google.Protobuf.IMessage)request);
        }

        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (IsHubMethod(context))
        {
            Identify(context);
        }

        return continuation(requestStream, responseStream, context);
    }

    /// <summary>The agency making this call; set for every CreditExchange method.</summary>
    public static Agency Caller(ServerCallContext context) =>
        context.UserState.TryGetValue(AgencyKey, out var agency) && agency is Agency a
            ? a
            : throw new InvalidOperationException("No caller: the method is not behind CallerInterceptor.");

    private static bool IsHubMethod(ServerCallContext context) =>
        context.Method.StartsWith("/creditexchange.", StringComparison.Ordinal);

    private void Identify(ServerCallContext context)
    {
        var certificate = context.GetHttpContext().Connection.ClientCertificate
            ?? throw RpcErrors.Create(StatusCode.Unauthenticated, "CLIENT_CERTIFICATE_REQUIRED", "A client certificate is required.");
        var agency = registry.FindByCertificate(certificate)
            ?? throw RpcErrors.Create(StatusCode.Unauthenticated, "AGENCY_NOT_REGISTERED", "The client certificate is not registered to an agency.");
        if (agency.Suspended)
        {
            throw RpcErrors.Create(StatusCode.Unauthenticated, "AGENCY_SUSPENDED", $"Agency '{agency.Id}' is suspended.");
        }

        context.UserState[AgencyKey] = agency;
    }
}
