using CreditExchange.DevCerts;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;

namespace CreditExchange.Tests.Transport;

/// <summary>The handshake refuses every certificate our policy refuses; nothing reaches the services.</summary>
[Collection("postgres")]
public sealed class MutualTlsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public static TheoryData<string> Refused => new()
    {
        "none",
        NegativeCertificateNames.ForeignCa,
        NegativeCertificateNames.Expired,
        NegativeCertificateNames.NotYetValid,
        NegativeCertificateNames.NoClientAuthEku,
        NegativeCertificateNames.Revoked,
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task SubmitRecord_RefusedCertificate_CallFailsAndNothingStored(string certificate)
    {
        // Every negative certificate carries court's identity: only the certificate check can refuse it.
        var client = _hub.Records(certificate == "none" ? null : TestCertificates.Negative(certificate));

        var e = await Assert.ThrowsAsync<RpcException>(() => client.SubmitRecordAsync(TestData.Submission()).ResponseAsync);

        AssertRefusedInHandshake(e);
        Assert.Equal(0, _hub.CountRecords());
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task HealthCheck_RefusedCertificate_CallFails(string certificate)
    {
        var health = new Health.HealthClient(_hub.Channel(certificate == "none" ? null : TestCertificates.Negative(certificate)));

        var e = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest()).ResponseAsync);

        AssertRefusedInHandshake(e);
    }

    [Fact]
    public async Task HealthCheck_ValidCertificateOfUnregisteredAgency_Serving()
    {
        var health = new Health.HealthClient(_hub.Channel(TestCertificates.Agency(TestCertificates.UnregisteredAgency)));

        var response = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task SubmitRecord_CourtCertificate_Accepted()
    {
        var response = await _hub.Records("court").SubmitRecordAsync(TestData.Submission());

        Assert.Equal("court", response.Record.AgencyId);
        Assert.Equal(1, _hub.CountRecords());
    }

    /// <summary>
    /// The hub never answered: the client made the status itself from a transport failure
    /// (a server status carries no DebugException). Whether the client reports it as UNAVAILABLE
    /// or INTERNAL depends on when TLS 1.3 delivers the server's alert.
    /// </summary>
    internal static void AssertRefusedInHandshake(RpcException e)
    {
        Assert.NotNull(e.Status.DebugException);
        Assert.Contains(e.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }
}
