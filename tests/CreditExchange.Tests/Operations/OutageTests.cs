using System.Net;
using System.Text.Json;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;

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
        var channels = new[] { "court", "drc", "supervision", "housing" }.ToDictionary(a => a, hub.AgencyChannel);
        await hub.Records("drc").GetRecordAsync(new() { RecordId = record.RecordId });
        await new Contracts.Lifecycle.V1.LifecycleService.LifecycleServiceClient(channels["supervision"]).ListOverdueObjectionsAsync(new());
        await Assert.ThrowsAsync<RpcException>(() => new Contracts.Bidding.V1.BiddingBlacklistService.BiddingBlacklistServiceClient(channels["housing"])
            .GetEntryAsync(new() { EntryId = Guid.NewGuid().ToString() }).ResponseAsync);
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

    [Fact]
    public async Task BackgroundLoops_DatabaseDownTwelveSeconds_EachSaysItOnceAndOnceMoreWhenItIsBack()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var logs = new CapturingLoggerProvider();
        await using var hub = await HubHost.StartAsync(
            await cluster.CreateDatabaseAsync("outage"),
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information", ["Hub:Feed:PublishInterval"] = "00:00:00.050" },
            services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        var health = new Health.HealthClient(hub.Channel(TestCertificates.Agency("drc")));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var before = logs.Lines.Count;

        await cluster.StopServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(12));
        await cluster.StartServerAgainAsync();
        await WaitUntilAsync(async () => (await health.CheckAsync(new())).Status == HealthCheckResponse.Types.ServingStatus.Serving);
        // The loops notice at their next tick (the slowest every few seconds).
        await Eventually.HoldsAsync(() => logs.Lines.Skip(before).Any(l => l.Contains("Feed publisher: the database is available again", StringComparison.Ordinal)), seconds: 60);

        var during = logs.Lines.Skip(before).ToList();
        foreach (var loop in new[] { "Feed publisher", "Audit sealer" })
        {
            var said = during.Where(l => l.Contains(loop + ":", StringComparison.Ordinal)).ToList();
            Assert.True(said.Count is >= 2 and <= 3, $"{loop} said {said.Count} lines: {string.Join(" | ", said)}");
            Assert.Contains(said, l => l.Contains("the database is unavailable", StringComparison.Ordinal));
            Assert.DoesNotContain(said, l => l.Contains("   at ", StringComparison.Ordinal)); // no stack trace
        }

        // The whole hub, idle through the outage, wrote a handful of lines, not one per tick.
        Assert.True(during.Count <= 40, $"{during.Count} lines during the outage: {string.Join(" | ", during.Take(50).Select(l => l[..Math.Min(160, l.Length)]))}");
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
