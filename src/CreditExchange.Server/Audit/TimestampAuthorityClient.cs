using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Audit;

/// <summary>A time-stamp the authority refused, or answered with a token the hub does not accept.</summary>
public sealed class TimestampRejectedException(string message) : Exception(message);

/// <summary>
/// The RFC 3161 time-stamping authority named in Hub:Audit:TsaUrl (RFC 3161 §3.4, over HTTP): one request per stored
/// checkpoint, over SHA-256 of the checkpoint's signed bytes, with a fresh nonce and the authority's certificate asked
/// for. A reply is accepted only when its status grants it, its token carries the request's message imprint and nonce,
/// and its signature verifies under a configured certificate (Hub:Audit:TsaCertificate: one PEM certificate, or several
/// when the authority renewed its certificate, so that tokens of the earlier one keep verifying) and no other.
/// </summary>
public sealed class TimestampAuthorityClient : IDisposable
{
    private readonly HttpClient? _http;
    private readonly X509Certificate2Collection? _certificates;

    public TimestampAuthorityClient(IOptions<AuditOptions> options, IHostEnvironment environment)
    {
        var o = options.Value;
        if (o.TsaUrl.Length == 0)
        {
            return;
        }

        Url = new Uri(o.TsaUrl, UriKind.Absolute);
        var path = Settings.RepositoryPaths.Resolve(environment.ContentRootPath, o.TsaCertificate);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The time-stamping authority's certificate {path} (Hub:Audit:TsaCertificate) does not exist.", path);
        }

        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            _certificates = certificates.Count > 0 ? certificates : throw new CryptographicException("it holds no certificate.");
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{path} (Hub:Audit:TsaCertificate) is not a PEM certificate: {e.Message}", e);
        }
        _http = new HttpClient { Timeout = o.TsaTimeout };
    }

    /// <summary>The authority certificates the hub trusts (Hub:Audit:TsaCertificate); empty when none is configured.</summary>
    public IReadOnlyList<X509Certificate2> Certificates => _certificates is null ? [] : [.. _certificates];

    /// <summary>The authority's URL; null when none is configured (checkpoints are then not time-stamped).</summary>
    public Uri? Url { get; }

    public bool Configured => Url is not null;

    /// <summary>The message imprint of a checkpoint: SHA-256 of the bytes the hub signed.</summary>
    public static byte[] Imprint(byte[] statement) => SHA256.HashData(statement);

    /// <summary>
    /// Asks the authority to time-stamp <paramref name="statement"/>; answers the token (DER CMS SignedData) and its
    /// time. Throws <see cref="TimestampRejectedException"/> for a refusal or a token that does not check out, and
    /// <see cref="HttpRequestException"/> or a timeout when the authority is unreachable.
    /// </summary>
    public async Task<(byte[] Token, DateTime Time)> StampAsync(byte[] statement, CancellationToken ct)
    {
        if (_http is null || Url is null)
        {
            throw new InvalidOperationException("No time-stamping authority is configured.");
        }

        var hash = Imprint(statement);
        var nonce = RandomNumberGenerator.GetBytes(16);
        // A positive INTEGER without a leading zero byte, so that it round-trips byte for byte.
        nonce[0] = (byte)((nonce[0] & 0x7F) | 0x01);
        var request = Rfc3161TimestampRequest.CreateFromHash(hash, HashAlgorithmName.SHA256, requestedPolicyId: null, nonce: nonce, requestSignerCertificates: true);
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await _http.PostAsync(Url, content, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"it answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var reply = await response.Content.ReadAsByteArrayAsync(ct);
        Rfc3161TimestampToken token;
        try
        {
            // Checks the status, the message imprint, the nonce and that the certificate asked for is there.
            token = request.ProcessResponse(reply, out _);
        }
        catch (CryptographicException e)
        {
            throw new TimestampRejectedException($"its reply is not a time-stamp of the checkpoint ({e.Message}).");
        }

        if (!token.TokenInfo.GetNonce().GetValueOrDefault().Span.SequenceEqual(nonce) || !token.TokenInfo.GetMessageHash().Span.SequenceEqual(hash))
        {
            throw new TimestampRejectedException("its token carries another nonce or message imprint than the request.");
        }

        var encoded = token.AsSignedCms().Encode();
        if (Verify(statement, encoded) is not { } time)
        {
            throw new TimestampRejectedException("its token is not signed by the configured authority certificate (Hub:Audit:TsaCertificate).");
        }

        return (encoded, time);
    }

    /// <summary>
    /// The time in <paramref name="token"/> when it is an RFC 3161 token over <see cref="Imprint"/> of
    /// <paramref name="statement"/> signed with the configured authority certificate; otherwise null (also when no
    /// authority is configured).
    /// </summary>
    public DateTime? Verify(byte[] statement, byte[] token)
    {
        if (_certificates is not { } certificates
            || !Rfc3161TimestampToken.TryDecode(token, out var decoded, out _)
            || !decoded.VerifySignatureForHash(Imprint(statement), HashAlgorithmName.SHA256, out var signer, certificates))
        {
            return null;
        }

        // Not disposed: it may be a configured certificate itself.
        return signer is not null && certificates.Any(c => signer.RawDataMemory.Span.SequenceEqual(c.RawDataMemory.Span))
            ? decoded.TokenInfo.Timestamp.UtcDateTime
            : null;
    }

    public void Dispose()
    {
        _http?.Dispose();
        foreach (var certificate in _certificates ?? [])
        {
            certificate.Dispose();
        }
    }
}
