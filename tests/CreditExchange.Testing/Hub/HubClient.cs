using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace CreditExchange.Tests.Hub;

/// <summary>
/// The client side of a hub at any address (in-process, another process, behind a load balancer): HTTP handlers that
/// present an agency certificate and trust only the test CA, and the OAuth2 client-credentials token request.
/// </summary>
public static class HubClient
{
    /// <summary>A handler presenting <paramref name="clientCertificate"/> (or none) and trusting only <paramref name="ca"/> (default: the test CA).</summary>
    public static SocketsHttpHandler Handler(X509Certificate2? clientCertificate, X509Certificate2? ca = null)
    {
        ca ??= TestCertificates.Ca();
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && HubHost.ChainsTo(new X509Certificate2(certificate), ca),
            },
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>Asks <c>/connect/token</c> of the hub at <paramref name="address"/> for a client-credentials token over mTLS; the raw HTTP answer.</summary>
    public static async Task<(HttpStatusCode Status, JsonDocument Body)> RequestTokenAsync(
        Uri address, X509Certificate2? certificate, string clientId, string? scope = null, X509Certificate2? ca = null)
    {
        using var http = new HttpClient(Handler(certificate, ca));
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(new Uri(address, "connect/token"), content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>An access token for the agency (its own test certificate unless given), with the given scopes (default: all it is granted).</summary>
    public static async Task<string> TokenAsync(Uri address, string agencyId, string? scope = null, X509Certificate2? certificate = null)
    {
        var (status, body) = await RequestTokenAsync(address, certificate ?? TestCertificates.Agency(agencyId), agencyId, scope);
        using (body)
        {
            return status == HttpStatusCode.OK
                ? body.RootElement.GetProperty("access_token").GetString()!
                : throw new InvalidOperationException($"No token for {agencyId}: {status} {body.RootElement}");
        }
    }

    /// <summary>Sends the token from <paramref name="token"/> as a bearer token on every request.</summary>
    public sealed class BearerHandler(Func<Task<string>> token) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token());
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
