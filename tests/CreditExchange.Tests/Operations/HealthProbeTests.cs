using System.Net;
using CreditExchange.Server.Validation;
using CreditExchange.Tests.Hub;
using Grpc.Core;
using Grpc.Health.V1;

namespace CreditExchange.Tests.Operations;

/// <summary>Health for machines: gRPC health per service, and plain-HTTP probes on the management port.</summary>
public sealed class HealthProbeTests : IAsyncLifetime
{
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(null);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task GrpcHealth_EveryServiceNameAndOverall_Serving()
    {
        var health = new Health.HealthClient(_hub.Channel(TestCertificates.Agency("court")));
        var names = CreditExchange.Contracts.HubContract.Services.Select(s => s.FullName).Prepend("").ToList();

        foreach (var name in names)
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = name })).Status);
        }

        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    public async Task ManagementPort_Probe_OkWithoutAnyCertificate(string path)
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(_hub.ManagementAddress!, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/connect/token")]
    [InlineData("/creditexchange.records.v1.RecordService/GetRecord")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task ManagementPort_HubEndpoint_NotFound(string path)
    {
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(_hub.ManagementAddress!, path), new ByteArrayContent([]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HubPort_ManagementEndpoint_NotFound()
    {
        using var http = HubHost.Http(TestCertificates.Agency("court"));

        using var response = await http.GetAsync(new Uri(_hub.Address, "/healthz/ready"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
