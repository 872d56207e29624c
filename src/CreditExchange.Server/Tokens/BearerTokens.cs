using CreditExchange.Domain.Errors;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Validation.AspNetCore;

namespace CreditExchange.Server.Tokens;

/// <summary>The access token of a call, validated and bound to the call's certificate (RFC 8705).</summary>
public sealed class BearerTokens(ValidatedTokens tokens)
{
    /// <summary>
    /// The call's access token, validated: from <see cref="ValidatedTokens"/> when this token was validated before, is
    /// unexpired and is bound to this connection's certificate; otherwise by OpenIddict, which checks signature,
    /// issuer, type, lifetime and the cnf binding to the certificate of this very connection. Refuses UNAUTHENTICATED
    /// (TOKEN_REQUIRED, TOKEN_INVALID).
    /// </summary>
    public async Task<ValidatedToken> ValidateAsync(HttpContext http, string confirmationThumbprint)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (bearer is { Length: > 0 } && tokens.Find(bearer, confirmationThumbprint) is { } known)
        {
            return known;
        }

        // OpenIddict's validation handler sets up its request state when asked to handle the request, which the
        // authentication middleware does; the hub runs that middleware only in front of the token server's endpoints.
        const string scheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
        if (await http.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>().GetHandlerAsync(http, scheme) is IAuthenticationRequestHandler validation
            && await validation.HandleRequestAsync())
        {
            throw Refused(ErrorReason.TokenInvalid, "The access token could not be validated.");
        }

        var result = await http.AuthenticateAsync(scheme);
        if (!result.Succeeded)
        {
            throw header.Length == 0
                ? Refused(ErrorReason.TokenRequired, "An access token is required: \"authorization: Bearer <token>\" from /connect/token.")
                : Refused(ErrorReason.TokenInvalid, "The access token is invalid, expired, or bound to another certificate.");
        }

        return (bearer is { Length: > 0 } ? tokens.Add(bearer, result.Principal) : null)
            ?? ValidatedTokens.From(result.Principal)
            ?? throw Refused(ErrorReason.TokenInvalid, "The access token is not bound to a certificate.");
    }

    private static DomainException Refused(ErrorReason reason, string message) => new(ErrorKind.Unauthenticated, reason, message);
}
