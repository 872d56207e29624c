using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CreditExchange.Tests.Hub;

/// <summary>
/// Sends arbitrary bytes as a gRPC request, the way a hostile or broken client would, and reads
/// the grpc-status the hub answers with.
/// </summary>
public static class RawGrpc
{
    /// <summary>
    /// Sends <paramref name="body"/> (framed unless <paramref name="frame"/> is false) and reads the whole answer. A
    /// server stream (the feed) only ends at its deadline: give it a short <paramref name="timeout"/> (sent as
    /// grpc-timeout), and then it ends with DEADLINE_EXCEEDED unless refused first.
    /// </summary>
    public static async Task<(int Status, string Message)> SendAsync(
        Uri address, string method, byte[] body, X509Certificate2 certificate, string? token = null, bool frame = true, IReadOnlyDictionary<string, string>? headers = null,
        TimeSpan? timeout = null)
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { certificate },
                RemoteCertificateValidationCallback = (_, server, _, errors) => server is not null && HubHost.ChainsTo(new X509Certificate2(server), TestCertificates.Ca()),
            },
        };
        using var http = new HttpClient(handler);
        var payload = frame ? Frame(body) : body;
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, method))
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TE.ParseAdd("trailers");
        if (timeout is { } deadline)
        {
            request.Headers.TryAddWithoutValidation("grpc-timeout", $"{(long)deadline.TotalMilliseconds}m");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = Header(response, "grpc-status") ?? "-1";
        var message = Header(response, "grpc-message") ?? "";
        return (int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), Uri.UnescapeDataString(message));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
        : response.Headers.TryGetValues(name, out var h) ? h.First()
        : null;

    private static byte[] Frame(byte[] body)
    {
        var framed = new byte[5 + body.Length];
        framed[0] = 0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)body.Length);
        body.CopyTo(framed, 5);
        return framed;
    }
}
