using System.Security.Claims;
using CreditExchange.Server.Agencies;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CreditExchange.Server.Tokens;

/// <summary>
/// /connect/token after OpenIddict has authenticated the client by its certificate and checked
/// the requested scopes against the client's permissions: issues the access token.
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "connect/token";

    public static IResult Handle(HttpContext context, AgencyRegistry registry)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");
        if (!request.IsClientCredentialsGrantType())
        {
            return Forbid(Errors.UnsupportedGrantType, "Only the client_credentials grant is supported.");
        }

        // Re-read the registry: an agency suspended since its certificate was accepted gets nothing.
        if (registry.Find(request.ClientId ?? "") is not { Suspended: false } agency)
        {
            return Forbid(Errors.InvalidClient, "The client is not an active agency.");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, agency.Id);
        identity.SetClaim(Claims.Name, agency.DisplayName);

        // No scope asked for: every scope the agency is granted (convenient by hand with curl).
        var scopes = request.GetScopes();
        identity.SetScopes(scopes.IsDefaultOrEmpty ? [.. agency.Scopes] : scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new Microsoft.AspNetCore.Authentication.AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
