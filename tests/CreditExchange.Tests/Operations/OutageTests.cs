using System.Net;
using System.Text.Json;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// PostgreSQL stopped and started again under a running hub (its own throwaway cluster, so no other
/// test is disturbed): every method of the contract answers UNAVAILABLE with RetryInfo, the token
/// endpoint answers 503 OAuth error JSON with Retry-After, health flips to NOT_SERVING, and all of it
/// recovers without a restart of the hub.
/// </summary>
public sealed class OutageTests
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EveryMethod_PostgresStoppedAndRestarted_UnavailableWithRetryInfoThenRecovers()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var hub = await HubHost.StartAsync(await cluster.CreateDatabaseAsync("outage"));
        var health = new Health.HealthClient(hub.Channel(TestCertificates.Agency("drc")));
        var record = (await hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record;
        // Tokens first: they are issued from the database, and calls then validate them without it.
        var channels = new[] { "court", "drc" }.ToDictionary(a => a, hub.AgencyChannel);
        await hub.Records("drc").GetRecordAsync(new() { RecordId = record.RecordId });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new())).Status);

        await cluster.StopServerAsync();

        var methods = ContractCalls.Methods();
        Assert.NotEmpty(methods);
        foreach (var (method, type) in methods)
        {
            var (agency, request) = ContractCalls.For(method);
            var e = await Assert.ThrowsAsync<RpcException>(() => ContractCalls.InvokeAsync(channels[agency], method, type, request, TimeSpan.FromSeconds(60)));

            Assert.True(e.StatusCode == StatusCode.Unavailable, $"{method} answered {e.StatusCode} during the outage: {e.Status.Detail}");
            var status = e.GetRpcStatus();
            Assert.NotNull(status?.GetDetail<RetryInfo>());
            Assert.Contains(status!.GetDetail<ErrorInfo>()?.Reason, new[] { "STORAGE_UNAVAILABLE", "AUDIT_UNAVAILABLE" });
        }

        var (tokenStatus, retryAfter, body) = await RequestTokenAsync(hub, "court");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, tokenStatus);
        Assert.NotNull(retryAfter);
        using (var json = JsonDocument.Parse(body))
        {
            Assert.Equal("temporarily_unavailable", json.RootElement.GetProperty("error").GetString());
        }

        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new())).Status);
        using (var probes = new HttpClient())
        {
            // Liveness never waits on the database: an outage must not get the process restarted.
            Assert.Equal(HttpStatusCode.OK, (await probes.GetAsync(new Uri(hub.ManagementAddress!, "/healthz/live"))).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await probes.GetAsync(new Uri(hub.ManagementAddress!, "/healthz/ready"))).StatusCode);
        }

        await cluster.StartServerAgainAsync();

        await WaitUntilAsync(async () => (await health.CheckAsync(new())).Status == HealthCheckResponse.Types.ServingStatus.Serving);
        Assert.Equal(record.RecordId, (await hub.Records("drc").GetRecordAsync(new() { RecordId = record.RecordId })).Record.RecordId);
        Assert.Equal(HttpStatusCode.OK, (await RequestTokenAsync(hub, "court")).Status);
        Assert.False((await hub.Records("court").SubmitRecordAsync(TestData.Submission())).Duplicate);
    }

    [Fact]
    public async Task SubmitRecord_PostgresStopped_SaysNothingWasWritten()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var hub = await HubHost.StartAsync(await cluster.CreateDatabaseAsync("outage"));
        var court = hub.Records("court");
        await court.SubmitRecordAsync(TestData.Submission());
        var submission = TestData.Submission();
        await cluster.StopServerAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await court.SubmitRecordAsync(submission));
        await cluster.StartServerAgainAsync();

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("false", e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Metadata["write_applied"]);
        await WaitUntilAsync(async () =>
        {
            try
            {
                return !(await court.SubmitRecordAsync(submission)).Duplicate;
            }
            catch (RpcException retry) when (retry.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        });
    }

    internal static async Task<(HttpStatusCode Status, string? RetryAfter, string Body)> RequestTokenAsync(HubHost hub, string agency)
    {
        using var http = HubHost.Http(TestCertificates.Agency(agency));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = agency });
        using var response = await http.PostAsync(new Uri(hub.Address, "connect/token"), form);
        return (response.StatusCode, response.Headers.RetryAfter?.ToString(), await response.Content.ReadAsStringAsync());
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Recovery;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not recovered within {Recovery.TotalSeconds:0} s.");
            await Task.Delay(250);
        }
    }
}
