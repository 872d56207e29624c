using CreditExchange.Domain.Errors;
using System.Security.Claims;
using CreditExchange.Domain.Agencies;
using CreditExchange.Server.Tokens;
using CreditExchange.Server.Validation;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace CreditExchange.Server.Grpc;

/// <summary>
/// Every CreditExchange method is protected three ways: the client certificate (verified in the
/// TLS handshake) names a registered, active agency; a bearer access token issued to that agency
/// and bound to that very certificate is presented; and the token carries the scope the method
/// declares with <see cref="RequiresScopeAttribute"/>. Unary requests are then validated against
/// the contract. Reflection and health need the certificate only.
/// </summary>
public sealed class CallerInterceptor(CallContext call, ValidatedTokens tokens, RequestValidator validator) : Interceptor
{
    private const string AgencyKey = "creditexchange.agency";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (IsHubMethod(context))
        {
            await AuthorizeAsync(context);
            validator.EnsureValid((IMessage)request);
        }

        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (IsHubMethod(context))
        {
            await AuthorizeAsync(context);
        }

        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (IsHubMethod(context))
        {
            await AuthorizeAsync(context);
            validator.EnsureValid((IMessage)request);
        }

        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (IsHubMethod(context))
        {
            await AuthorizeAsync(context);
        }

        await continuation(requestStream, responseStream, context);
    }

    /// <summary>The agency making this call; set for every CreditExchange method.</summary>
    public static Agency Caller(ServerCallContext context) =>
        context.UserState.TryGetValue(AgencyKey, out var agency) && agency is Agency a
            ? a
            : throw new InvalidOperationException("No caller: the method is not behind CallerInterceptor.");

    private static bool IsHubMethod(ServerCallContext context) => HubMethods.Contains(context.Method);

    private async Task AuthorizeAsync(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        _ = call.Bind(http).Certificate
            ?? throw Unauthenticated(ErrorReason.ClientCertificateRequired, "A client certificate is required.");
        var agency = call.AcceptedAgency
            ?? throw Unauthenticated(ErrorReason.AgencyNotRegistered, "The client certificate is not registered to an agency.");
        if (agency.Suspended)
        {
            throw Unauthenticated(ErrorReason.AgencySuspended, $"Agency '{agency.Id}' is suspended.");
        }

        var token = await ValidateTokenAsync(http);
        if (token.Subject != agency.Id)
        {
            throw Unauthenticated(ErrorReason.TokenAgencyMismatch, "The access token was issued to another agency.");
        }

        var required = http.GetEndpoint()?.Metadata.GetMetadata<RequiresScopeAttribute>()
            ?? throw RpcErrors.Create(StatusCode.PermissionDenied, ErrorReason.MethodNotScoped, "This method declares no scope and is refused.");
        if (!token.Scopes.Contains(required.Scope))
        {
            throw RpcErrors.Create(StatusCode.PermissionDenied, ErrorReason.ScopeMissing, $"This method requires the scope '{required.Scope}', which the access token does not carry.");
        }

        context.UserState[AgencyKey] = agency;
    }

    /// <summary>
    /// The call's access token, validated: from <see cref="ValidatedTokens"/> when this token was validated before, is
    /// unexpired and is bound to this connection's certificate; otherwise by OpenIddict, which checks signature,
    /// issuer, type, lifetime and the cnf binding to the certificate of this very connection.
    /// </summary>
    private async Task<ValidatedToken> ValidateTokenAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (bearer is { Length: > 0 } && tokens.Find(bearer, call.ConfirmationThumbprint!) is { } known)
        {
            return known;
        }

        var result = await http.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded)
        {
            throw header.Length == 0
                ? Unauthenticated(ErrorReason.TokenRequired, "An access token is required: \"authorization: Bearer <token>\" from /connect/token.")
                : Unauthenticated(ErrorReason.TokenInvalid, "The access token is invalid, expired, or bound to another certificate.");
        }

        return (bearer is { Length: > 0 } ? tokens.Add(bearer, result.Principal) : null)
            ?? ValidatedTokens.From(result.Principal)
            ?? throw Unauthenticated(ErrorReason.TokenInvalid, "The access token is not bound to a certificate.");
    }

    private static RpcException Unauthenticated(ErrorReason reason, string message) =>
        RpcErrors.Create(StatusCode.Unauthenticated, reason, message);
}
