using System.Net;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Settings;
using CreditExchange.Storage;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Tests.Privacy;

/// <summary>
/// Values sealed under a privacy key the running hub does not hold (as during a rotation an instance was not given
/// the new key): a read answers UNAVAILABLE (PRIVACY_KEY_UNAVAILABLE) naming the key, never INTERNAL; readiness fails;
/// the chain verifier says the entry cannot be opened, not that it was altered.
/// </summary>
[Collection("postgres")]
public sealed class UnreadableKeyTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _keys = Directory.CreateTempSubdirectory("creditexchange-gone-key-").FullName;

    [Fact]
    public async Task ValueSealedUnderAKeyNotHeld_ReadUnavailableReadinessFailsVerifierSaysUnreadable()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        var recordId = (await hub.Records("court").SubmitRecordAsync(TestData.Submission(subject: TestData.CivilServantSubject()),
            new Metadata { { "x-purpose", "monthly report" } })).Record.RecordId;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var ready = new Uri(hub.ManagementAddress!, "/healthz/ready");
        await Eventually.HoldsAsync(async () => (await http.GetAsync(ready)).StatusCode == HttpStatusCode.OK, seconds: 120);
        var audit = new AuditService.AuditServiceClient(hub.AgencyChannel("supervision"));
        await Eventually.HoldsAsync(async () => (await audit.VerifyAuditChainAsync(new VerifyAuditChainRequest())) is { Intact: true, SealedEntries: > 0 }, seconds: 120);

        // Another hub's key, 'gone', which this one does not hold, seals the record and a sealed entry's purpose.
        var gone = new PersonalDataProtector(PrivacyKeys.Load(
            new PrivacyOptions
            {
                EncryptionKeys = { ["gone"] = PrivacyKeys.MintIfMissing(Path.Combine(_keys, "gone.key")) },
                CurrentEncryptionKey = "gone",
                LookupKey = PrivacyKeys.MintIfMissing(Path.Combine(_keys, "lookup.key")),
                AuditMacKey = PrivacyKeys.MintIfMissing(Path.Combine(_keys, "audit.key")),
            },
            new HubOptions(),
            _keys,
            isProduction: false));
        long victim;
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
            foreach (var record in await db.Records.ToListAsync())
            {
                record.Content = gone.Seal("{}"u8);
            }

            var entry = await db.AuditEntries.Where(e => e.EntryHash != null && e.Purpose != null).OrderBy(e => e.Sequence).FirstAsync();
            entry.Purpose = gone.SealText("monthly report");
            victim = entry.Sequence;
            await db.SaveChangesAsync();
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => hub.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = recordId }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal("PRIVACY_KEY_UNAVAILABLE", TestData.Reason(refused));
        Assert.Contains("'gone'", refused.Status.Detail, StringComparison.Ordinal);

        await Eventually.HoldsAsync(async () => (await http.GetAsync(ready)).StatusCode == HttpStatusCode.ServiceUnavailable, seconds: 120);
        var body = await (await http.GetAsync(ready)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("monthly report", body, StringComparison.Ordinal);

        var verified = await audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.False(verified.Intact);
        var problem = Assert.Single(verified.Problems);
        Assert.Equal(ChainProblemKind.Unreadable, problem.Kind);
        Assert.Equal(victim, problem.Sequence);
        Assert.Contains("cannot be opened with the keys held", problem.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(verified.Problems, p => p.Kind == ChainProblemKind.Altered);
    }

    public void Dispose() => Directory.Delete(_keys, recursive: true);
}
