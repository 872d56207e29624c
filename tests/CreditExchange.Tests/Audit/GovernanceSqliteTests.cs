using System.Text;
using CreditExchange.Contracts.Admin.V1;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Hosting;
using CreditExchange.Server.Settings;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Receipts;
using CreditExchange.Tests.Hub;
using Grpc.Core;

namespace CreditExchange.Tests.Audit;

/// <summary>The audit trail, encryption and governance on the embedded SQLite default, and key configuration refusals.</summary>
public sealed class GovernanceSqliteTests : IAsyncLifetime
{
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(postgresConnectionString: null);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task AuditChainEncryptionAndSuspension_OnSqlite_Work()
    {
        var residentId = TestData.NewResidentId();
        await _hub.Records("supervision").SubmitRecordAsync(
            TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(residentId)),
            new Metadata { { "x-purpose-bin", Encoding.UTF8.GetBytes("干部考察") } });
        var found = await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { ResidentId = residentId } });
        Assert.Single(found.Records);
        var audit = new AuditService.AuditServiceClient(_hub.AgencyChannel("drc"));

        var entries = (await audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { Subject = new SubjectKey { ResidentId = residentId } })).Entries;
        Assert.Equal(2, entries.Count);
        Assert.Equal("干部考察", entries[1].Purpose);

        VerifyAuditChainResponse verified;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(300);
            verified = await audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());
        }
        while (verified.SealedEntries < 3 && DateTime.UtcNow < deadline);

        Assert.True(verified.Intact, verified.FirstProblem?.Description);
        Assert.Equal(verified.SealedEntries, verified.HeadChainPosition);
        Assert.Matches("^[0-9a-f]{64}$", verified.HeadHash);

        await _hub.Records("court").SubmitRecordAsync(TestData.Submission());
        await new AdminService.AdminServiceClient(_hub.AgencyChannel("drc")).SuspendAgencyAsync(new SuspendAgencyRequest { AgencyId = "court" });
        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("court").SubmitRecordAsync(TestData.Submission()).ResponseAsync);
        Assert.Equal("AGENCY_SUSPENDED", TestData.Reason(e));
    }

    [Fact]
    public void Keys_InProductionWithoutConfiguration_Refused()
    {
        var folder = Path.Combine(Path.GetTempPath(), "creditexchange-never-minted-" + Guid.NewGuid().ToString("N"));
        var hub = new HubOptions { Tls = new TlsOptions { DevCertificatesFolder = folder } };

        var privacy = Assert.Throws<InvalidOperationException>(() => PrivacyKeys.Load(new PrivacyOptions(), hub, folder, isProduction: true));
        var receipts = Assert.Throws<InvalidOperationException>(() => ReceiptKeys.Load(new ReceiptOptions(), hub, folder, isProduction: true));

        Assert.Contains("Hub:Privacy:EncryptionKeys", privacy.Message, StringComparison.Ordinal);
        Assert.Contains("Hub:Receipts:SigningKeys", receipts.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Keys_CurrentKeyNotInRing_Refused()
    {
        var folder = Directory.CreateTempSubdirectory("creditexchange-keys-").FullName;
        try
        {
            var options = new PrivacyOptions
            {
                EncryptionKeys = { ["a"] = PrivacyKeys.MintIfMissing(Path.Combine(folder, "a.key")) },
                CurrentEncryptionKey = "b",
            };

            var e = Assert.Throws<InvalidOperationException>(() => PrivacyKeys.Load(options, new HubOptions(), folder, isProduction: false));

            Assert.Contains("CurrentEncryptionKey", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
