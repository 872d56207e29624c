using System.Net;
using CreditExchange.Tests.Hub;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// The management endpoints on real Kestrel listeners: never on the hub's HTTPS port, under any spelling, to any
/// certificate holder; on the management port, /metrics behind a bearer token, or the whole port behind a client
/// certificate, when configured.
/// </summary>
public sealed class ManagementPortTests
{
    private static readonly string[] Spellings =
    [
        "/metrics", "/METRICS", "/Metrics", "/metrics/", "/metrics//", "//metrics", "/%2Fmetrics", "/metrics%2F", "/%6Detrics",
        "/healthz/ready", "/HEALTHZ/READY", "/healthz/ready/", "/healthz%2Fready", "/healthz%2fready", "/HEALTHZ%2FLIVE", "/healthz/live",
        "/healthz/detail", "/HEALTHZ/DETAIL",
    ];

    [Fact]
    public async Task HttpsPort_ManagementPathUnderAnySpelling_NotFoundNeverTheBody()
    {
        await using var hub = await HubHost.StartAsync(null);
        using var http = HubHost.Http(TestCertificates.Agency("court"));
        foreach (var path in Spellings)
        {
            // The path exactly as written: no client-side normalisation of case, slashes or escapes.
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub.Address.GetLeftPart(UriPartial.Authority) + path, UriKind.Absolute));
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode} {body}");
            Assert.DoesNotContain("# TYPE", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Healthy", body, StringComparison.Ordinal);
        }

        // The same paths do answer on the management port, so the test above would see a leak.
        using var management = new HttpClient();
        using var metrics = await management.GetAsync(new Uri(hub.ManagementAddress!, "METRICS"));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("# TYPE", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagementPort_BearerToken_MetricsRefusedWithoutItAnsweredWithItHealthStaysOpen()
    {
        var tokenFile = Path.GetTempFileName();
        const string token = "3f1c0d6a9b8e4f7a2c5d8e1f4a7b0c3d";
        await File.WriteAllTextAsync(tokenFile, token + "\n");
        try
        {
            await using var hub = await HubHost.StartAsync(null, new Dictionary<string, string?> { ["Hub:Management:BearerTokenFile"] = tokenFile });
            using var http = new HttpClient();
            var metrics = new Uri(hub.ManagementAddress!, "metrics");

            using (var none = await http.GetAsync(metrics))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
                Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
                Assert.DoesNotContain("# TYPE", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            foreach (var wrong in new[] { "Bearer nope", "Bearer " + token[..^1], "Basic " + token })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, metrics);
                request.Headers.TryAddWithoutValidation("Authorization", wrong);
                using var refused = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub.ManagementAddress!, "METRICS")))
            {
                using var upper = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, upper.StatusCode);
            }

            using (var request = new HttpRequestMessage(HttpMethod.Get, metrics))
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                using var answered = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
                Assert.Contains("# TYPE", await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using var ready = await http.GetAsync(new Uri(hub.ManagementAddress!, "healthz/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            // The details say more than up or down: behind the token too.
            using var detail = await http.GetAsync(new Uri(hub.ManagementAddress!, "healthz/detail"));
            Assert.Equal(HttpStatusCode.Unauthorized, detail.StatusCode);
            using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub.ManagementAddress!, "healthz/detail")))
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                using var answered = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
                Assert.Contains("No time-stamping authority is configured", await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task ManagementPort_Https_RefusedWithoutAClientCertificateAnsweredWithOneListedOnly()
    {
        var listed = TestCertificates.Agency("drc");
        await using var hub = await HubHost.StartAsync(null, new Dictionary<string, string?>
        {
            ["Hub:Management:Url"] = "https://127.0.0.1:0",
            ["Hub:Management:ClientCertificateSubjects:0"] = listed.Subject,
        });
        Assert.Equal(Uri.UriSchemeHttps, hub.ManagementAddress!.Scheme);
        Assert.NotEqual(hub.Address.Port, hub.ManagementAddress.Port);
        var metrics = new Uri(hub.ManagementAddress, "metrics");

        using (var none = HubHost.Http(null))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => none.GetAsync(metrics));
        }

        using (var other = HubHost.Http(TestCertificates.Agency("court")))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => other.GetAsync(metrics));
        }

        using var http = HubHost.Http(listed);
        using var answered = await http.GetAsync(metrics);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("# TYPE", await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var hubPath = await http.GetAsync(new Uri(hub.ManagementAddress, "connect/token"));
        Assert.Equal(HttpStatusCode.NotFound, hubPath.StatusCode);
        // ... and the hub's own port still serves no management path to the same certificate.
        using var onHub = await http.GetAsync(new Uri(hub.Address, "metrics"));
        Assert.Equal(HttpStatusCode.NotFound, onHub.StatusCode);
    }
}
