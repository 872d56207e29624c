using System.Net;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Privacy;
using CreditExchange.Tests.Hub;
using Grpc.Core;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// Rotation against running hubs, as the README orders it: an instance that already holds the new key keeps
/// answering every record; an instance that skipped that step answers UNAVAILABLE (PRIVACY_KEY_UNAVAILABLE) naming the
/// key, never INTERNAL, and reports itself not ready, so the load balancer takes it out.
/// </summary>
public sealed class OnlineKeyRotationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("creditexchange-online-rotation-").FullName;

    [Fact]
    public async Task RotateWhileHubsServe_HubWithBothKeysServesHubWithoutNewKeyUnavailableAndNotReady()
    {
        var database = Path.Combine(_folder, "hub.db");
        string Key(string name) => PrivacyKeys.MintIfMissing(Path.Combine(_folder, name + ".key"));
        Dictionary<string, string?> Settings(string current, params string[] ring)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Hub:Storage:SqlitePath"] = database,
                ["Hub:Privacy:CurrentEncryptionKey"] = current,
                ["Hub:Privacy:LookupKey"] = Key("lookup"),
                ["Hub:Privacy:AuditMacKey"] = Key("audit-mac"),
            };
            foreach (var id in ring)
            {
                settings[$"Hub:Privacy:EncryptionKeys:{id}"] = Key("content-" + id);
            }

            return settings;
        }

        // Step 1 of the README done on one instance only: it lists the new key beside the old (still current) one.
        await using var both = await HubHost.StartAsync(null, Settings("old_1", "old_1", "2026_02"));
        await using var oldOnly = await HubHost.StartAsync(null, Settings("old_1", "old_1"));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await both.Records("court").SubmitRecordAsync(TestData.Submission(subject: TestData.CivilServantSubject()))).Record.RecordId);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        async Task<HttpStatusCode> ReadyAsync(HubHost hub) => (await http.GetAsync(new Uri(hub.ManagementAddress!, "/healthz/ready"))).StatusCode;
        await Eventually.HoldsAsync(async () => await ReadyAsync(both) == HttpStatusCode.OK && await ReadyAsync(oldOnly) == HttpStatusCode.OK, seconds: 120);
        Assert.Equal(ids[0], (await oldOnly.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = ids[0] })).Record.RecordId);

        var environment = Settings("2026_02", "old_1", "2026_02").ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        await using (var rotation = HubProcess.Start(environment, "rotate-privacy-key"))
        {
            Assert.Equal(0, await rotation.WaitForExitAsync(TimeSpan.FromSeconds(240)));
            Assert.Contains("rotate-privacy-key: verified: all", rotation.StandardOutput, StringComparison.Ordinal);
        }

        foreach (var id in ids)
        {
            Assert.Equal(id, (await both.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = id })).Record.RecordId);
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => oldOnly.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = ids[1] }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal("PRIVACY_KEY_UNAVAILABLE", TestData.Reason(refused));
        Assert.Contains("'2026_02'", refused.Status.Detail, StringComparison.Ordinal);
        await Eventually.HoldsAsync(async () => await ReadyAsync(oldOnly) == HttpStatusCode.ServiceUnavailable, seconds: 120);
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(both));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
