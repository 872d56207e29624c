using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Contracts.Admin.V1;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Operations;
using Grpc.Core;

namespace CreditExchange.Tests.Admin;

/// <summary>A new CRL takes effect without a restart: by the admin call, and by the file changing.</summary>
[Collection("postgres")]
public sealed class RevocationReloadTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("creditexchange-crl-").FullName;
    private readonly Dictionary<string, string> _tokens = [];
    private HubHost _hub = null!;

    private string CrlPath => Path.Combine(_folder, "ca.crl");

    public async Task InitializeAsync()
    {
        File.Copy(TestCertificates.Set.RevocationList, CrlPath);
        _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Hub:Tls:RevocationList"] = CrlPath });
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ReloadRevocationList_NewCrlRevokingAnAgency_NewConnectionsRefusedWithoutRestart()
    {
        var admin = new AdminService.AdminServiceClient(_hub.AgencyChannel("drc"));
        var before = (await admin.ReloadRevocationListAsync(new ReloadRevocationListRequest())).RevokedCount;
        await KeysAsync("commerce");

        WriteCrlRevoking("commerce", crlNumber: 100);
        var after = (await admin.ReloadRevocationListAsync(new ReloadRevocationListRequest { Purpose = "commerce key lost" })).RevokedCount;

        Assert.Equal(before + 1, after);
        var e = await Assert.ThrowsAsync<RpcException>(() => KeysAsync("commerce"));
        Transport.MutualTlsTests.AssertRefusedInHandshake(e);
        await KeysAsync("court");
    }

    [Fact]
    public async Task CrlFileReplaced_PickedUpByThePollWithoutAnyCall()
    {
        await KeysAsync("finance");

        WriteCrlRevoking("finance", crlNumber: 200);
        File.SetLastWriteTimeUtc(CrlPath, DateTime.UtcNow.AddSeconds(5));

        var deadline = DateTime.UtcNow.AddSeconds(60); // the poll runs every second; a busy machine may take longer
        RpcException? refused = null;
        while (refused is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            try
            {
                await KeysAsync("finance");
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }

        Assert.NotNull(refused);
        if (refused.Status.DebugException is null)
        {
            // The handshake checked the list an instant before the reload, the call's own check just after it: refused
            // by the hub, for the same reason.
            Assert.Equal((StatusCode.Unauthenticated, "CERTIFICATE_REVOKED"), (refused.StatusCode, TestData.Reason(refused)));
        }
        else
        {
            Transport.MutualTlsTests.AssertRefusedInHandshake(refused);
        }
    }

    [Fact]
    public async Task ReloadRevocationList_OpenConnectionOfTheRevokedCertificate_NextCallUnauthenticated()
    {
        var token = await _hub.TokenAsync("commerce");
        var open = new ReceiptService.ReceiptServiceClient(_hub.Channel(TestCertificates.Agency("commerce"), () => Task.FromResult(token)));
        await open.GetReceiptKeysAsync(new GetReceiptKeysRequest());

        WriteCrlRevoking("commerce", crlNumber: 300);
        await new AdminService.AdminServiceClient(_hub.AgencyChannel("drc")).ReloadRevocationListAsync(new ReloadRevocationListRequest { Purpose = "commerce key lost" });

        // The same channel, so the connection whose handshake the certificate passed before.
        var e = await Assert.ThrowsAsync<RpcException>(() => open.GetReceiptKeysAsync(new GetReceiptKeysRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("CERTIFICATE_REVOKED", TestData.Reason(e));
    }

    [Fact]
    public async Task ReloadRevocationList_OpenFeedStreamOfTheRevokedCertificate_EndsUnauthenticatedAndIsAuditedSo()
    {
        var token = await _hub.TokenAsync("commerce");
        var feed = new FeedService.FeedServiceClient(_hub.Channel(TestCertificates.Agency("commerce"), () => Task.FromResult(token)));
        using var stream = feed.Subscribe(new SubscribeRequest { AfterSequence = 0, HeartbeatSeconds = 300 });
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None)); // the first heartbeat: the stream is open

        WriteCrlRevoking("commerce", crlNumber: 400);
        await new AdminService.AdminServiceClient(_hub.AgencyChannel("drc")).ReloadRevocationListAsync(new ReloadRevocationListRequest { Purpose = "commerce key lost" });

        // Nothing else would end it: no heartbeat for five minutes, no event.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var e = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext(wait.Token));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("CERTIFICATE_REVOKED", TestData.Reason(e));
        var audit = new AuditService.AuditServiceClient(_hub.AgencyChannel("drc"));
        await OutageTests.WaitUntilAsync(async () => (await audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "commerce" })).Entries
            .Any(x => x.Method.EndsWith("/Subscribe", StringComparison.Ordinal) && x.Outcome.Code == (int)StatusCode.Unauthenticated && x.Outcome.Reason == "CERTIFICATE_REVOKED"));
    }

    /// <summary>A call over a new connection (a new handshake) with the agency's certificate and a token fetched while it was valid.</summary>
    private async Task KeysAsync(string agencyId)
    {
        if (!_tokens.TryGetValue(agencyId, out var token))
        {
            token = _tokens[agencyId] = await _hub.TokenAsync(agencyId);
        }

        var client = new ReceiptService.ReceiptServiceClient(_hub.Channel(TestCertificates.Agency(agencyId), () => Task.FromResult(token)));
        await client.GetReceiptKeysAsync(new GetReceiptKeysRequest());
    }

    private void WriteCrlRevoking(string agencyId, int crlNumber)
    {
        var set = TestCertificates.Set;
        using var ca = X509Certificate2.CreateFromPemFile(set.CaCertificate, set.CaKey);
        var pem = File.ReadAllText(set.RevocationList);
        var existing = CertificateRevocationListBuilder.Load(Convert.FromBase64String(pem[PemEncoding.Find(pem).Base64Data]), out _);
        using var agency = TestCertificates.Agency(agencyId);
        existing.AddEntry(agency, DateTimeOffset.UtcNow.AddMinutes(-1), X509RevocationReason.KeyCompromise);
        var der = existing.Build(ca, crlNumber, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256, rsaSignaturePadding: null, thisUpdate: DateTimeOffset.UtcNow.AddMinutes(-1));
        File.WriteAllText(CrlPath, PemEncoding.WriteString("X509 CRL", der) + "\n");
    }
}
