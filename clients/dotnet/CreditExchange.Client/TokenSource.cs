using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace CreditExchange.Client;

/// <summary>
/// Access tokens from the hub's /connect/token: OAuth2 client credentials, the client
/// authenticated by its certificate alone (RFC 8705 tls_client_auth), so the token is bound to
/// that certificate. One token is shared by every call and renewed once 80% of its lifetime has
/// passed; concurrent callers wait for the same request.
/// </summary>
public sealed class TokenSource : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _agencyId;
    private readonly string? _scope;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _current;

    /// <param name="handler">An mTLS handler presenting the agency's certificate (not the one given to the GrpcChannel, which takes it over).</param>
    /// <param name="hubAddress">The hub's address; the token endpoint is /connect/token there.</param>
    /// <param name="agencyId">The OAuth client_id, the agency id.</param>
    /// <param name="scopes">Scopes to ask for; none asks for every scope granted.</param>
    /// <param name="time">The clock deciding renewal; the system clock by default.</param>
    public TokenSource(HttpMessageHandler handler, Uri hubAddress, string agencyId, IEnumerable<string>? scopes = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(hubAddress);
        _http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        _endpoint = new Uri(hubAddress, "/connect/token");
        _agencyId = agencyId;
        var list = scopes?.ToList() ?? [];
        _scope = list.Count == 0 ? null : string.Join(' ', list);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How many tokens have been issued to this source.</summary>
    public int TokensIssued { get; private set; }

    /// <summary>A valid access token, fetched or renewed when needed.</summary>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (_current is { } current && _time.GetUtcNow() < current.RenewAt)
        {
            return current.Token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } again && _time.GetUtcNow() < again.RenewAt)
            {
                return again.Token;
            }

            var issued = await RequestAsync(cancellationToken).ConfigureAwait(false);
            _current = issued;
            TokensIssued++;
            return issued.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the current token (e.g. after the hub answered TOKEN_INVALID); the next call fetches a new one.</summary>
    public void Invalidate() => _current = null;

    private async Task<(string Token, DateTimeOffset RenewAt)> RequestAsync(CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = _agencyId };
        if (_scope is not null)
        {
            form["scope"] = _scope;
        }

        var requestedAt = _time.GetUtcNow();
        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(_endpoint, content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync(TokenJson.Default.TokenResponse, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || body?.AccessToken is not { Length: > 0 } token)
        {
            throw new TokenRequestException(body?.Error ?? $"http_{(int)response.StatusCode}", body?.ErrorDescription);
        }

        var lifetime = TimeSpan.FromSeconds(Math.Max(1, body.ExpiresIn ?? 300));
        return (token, requestedAt + (lifetime * 0.8));
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}

/// <summary>The token endpoint refused: <see cref="Error"/> is the OAuth2 error code (invalid_client, invalid_scope…).</summary>
public sealed class TokenRequestException : Exception
{
    public TokenRequestException(string error, string? description)
        : base($"The hub refused a token: {error}{(description is null ? "" : ": " + description)}")
    {
        Error = error;
        Description = description;
    }

    public TokenRequestException()
        : this("unknown", (string?)null)
    {
    }

    public TokenRequestException(string message)
        : this("unknown", (string?)message)
    {
    }

    public TokenRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = "unknown";
    }

    /// <summary>The OAuth2 error code.</summary>
    public string Error { get; } = "unknown";

    /// <summary>The hub's description, for people.</summary>
    public string? Description { get; }
}

internal sealed class TokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    public double? ExpiresIn { get; set; }

    [JsonPropertyName("error")]
    public string? Error { get; set; }

    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; set; }
}

[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class TokenJson : JsonSerializerContext;
