using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenIddict.Abstractions;

namespace CreditExchange.Server.Tokens;

/// <summary>What the hub needs of a validated access token: whose it is, what it may do, which certificate it is bound to, until when.</summary>
/// <param name="ConfirmationThumbprint">The token's <c>cnf</c> <c>x5t#S256</c> (base64url SHA-256 of the bound certificate).</param>
public sealed record ValidatedToken(string Subject, FrozenSet<string> Scopes, string ConfirmationThumbprint, DateTimeOffset ExpiresAt);

/// <summary>
/// Access tokens OpenIddict has validated, by the SHA-256 of the token, until they expire. Our access tokens are
/// self-contained JWTs (no reference tokens, no token-entry lookup), so what OpenIddict checks once — signature,
/// issuer, type — cannot change for a given token; what can is checked again on every call: the lifetime (on the
/// hub's clock, as OpenIddict reads it) and the binding to the certificate of this very connection (RFC 8705
/// <c>cnf</c>). A token that fails either is handed to OpenIddict again, which refuses it with its own reason.
/// Saves a signature check and OpenIddict's handler pipeline on all but the first call of each token.
/// </summary>
public sealed class ValidatedTokens(TimeProvider time)
{
    /// <summary>Most tokens held; beyond it, expired ones are dropped (and, if that is not enough, all of them).</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, ValidatedToken> _tokens = new(StringComparer.Ordinal);

    /// <summary>The validated token, when it is known, unexpired and bound to <paramref name="confirmationThumbprint"/>; else null.</summary>
    public ValidatedToken? Find(string token, string confirmationThumbprint)
    {
        var key = Key(token);
        if (!_tokens.TryGetValue(key, out var validated))
        {
            return null;
        }

        if (validated.ExpiresAt <= time.GetUtcNow())
        {
            _tokens.TryRemove(key, out _);
            return null;
        }

        return string.Equals(validated.ConfirmationThumbprint, confirmationThumbprint, StringComparison.Ordinal) ? validated : null;
    }

    /// <summary>Keeps what OpenIddict validated of <paramref name="token"/>; a token without expiry or certificate binding is not kept (null).</summary>
    public ValidatedToken? Add(string token, ClaimsPrincipal principal)
    {
        if (From(principal) is not { } validated)
        {
            return null;
        }

        if (_tokens.Count >= MaxEntries)
        {
            var now = time.GetUtcNow();
            foreach (var (key, entry) in _tokens)
            {
                if (entry.ExpiresAt <= now)
                {
                    _tokens.TryRemove(key, out _);
                }
            }

            if (_tokens.Count >= MaxEntries)
            {
                _tokens.Clear();
            }
        }

        _tokens[Key(token)] = validated;
        return validated;
    }

    /// <summary>The parts of a validated principal the hub uses; null when it has no subject, expiry or <c>cnf</c> thumbprint.</summary>
    public static ValidatedToken? From(ClaimsPrincipal principal)
    {
        var subject = principal.GetClaim(OpenIddictConstants.Claims.Subject);
        var expires = principal.GetExpirationDate();
        var thumbprint = ConfirmationThumbprint(principal.GetClaim(OpenIddictConstants.Claims.Confirmation));
        return subject is null || expires is null || thumbprint is null
            ? null
            : new ValidatedToken(subject, principal.GetScopes().ToFrozenSet(StringComparer.Ordinal), thumbprint, expires.Value);
    }

    private static string? ConfirmationThumbprint(string? confirmation)
    {
        if (string.IsNullOrEmpty(confirmation))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(confirmation);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("x5t#S256", out var x5t) && x5t.ValueKind == JsonValueKind.String
                ? x5t.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Key(string token) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
