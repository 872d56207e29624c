using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.DevCerts;
using CreditExchange.DevTsa;
using CreditExchange.Receipts;
using CreditExchange.Server.Audit;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Npgsql;

namespace CreditExchange.Tests.Audit;

/// <summary>
/// Stored checkpoints of the audit chain, time-stamped by an independent RFC 3161 authority (the development one,
/// started by the test), over real Kestrel, TLS and PostgreSQL: the tokens verify under the authority's certificate
/// alone; with the authority gone the hub keeps serving and says so, and catches up when it is back; a chain
/// rewritten by a database writer after a time-stamped checkpoint is found, by a hub that no longer remembers its head.
/// </summary>
[Collection("postgres")]
public sealed class CheckpointTimestampTests(PostgresFixture postgres) : IAsyncLifetime
{
    private DevTimestampAuthority _authority = null!;
    private HubHost _hub = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _authority = TestTimestampAuthority.Start();
        _connectionString = await postgres.CreateDatabaseAsync();
        _hub = await HubHost.StartAsync(_connectionString, TestTimestampAuthority.Settings(_authority));
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _authority.DisposeAsync();
    }

    private AuditService.AuditServiceClient Audit(string agencyId = "supervision") => new(_hub.AgencyChannel(agencyId));

    [Fact]
    public async Task Checkpoint_StampedByTheAuthority_TokenVerifiesUnderItsCertificateAlone()
    {
        await MakeCallsAsync(3);

        var stored = await StampedCheckpointAsync(minPosition: 3);
        var keys = (await new ReceiptService.ReceiptServiceClient(_hub.AgencyChannel("drc")).GetReceiptKeysAsync(new GetReceiptKeysRequest())).Keys;
        using var tsa = X509Certificate2.CreateFromPem(File.ReadAllText(TestTimestampAuthority.Certificate));

        // The hub's signature, as any holder of the published receipt keys checks it.
        var checkpoint = ReceiptVerifier.VerifyCheckpoint(stored.Checkpoint, keys);
        Assert.NotNull(checkpoint);
        Assert.True(checkpoint.Number >= 1);
        Assert.Equal(stored.Checkpoint.KeyId, checkpoint.KeyId);
        // The authority's token, over SHA-256 of the exact bytes the hub signed, signed with the authority's certificate.
        Assert.True(Rfc3161TimestampToken.TryDecode(stored.TimestampToken.Memory, out var token, out _));
        var imprint = SHA256.HashData(stored.Checkpoint.Checkpoint.Span);
        Assert.True(token!.VerifySignatureForHash(imprint, HashAlgorithmName.SHA256, out var signer, new X509Certificate2Collection(tsa)));
        Assert.Equal(tsa.Thumbprint, signer!.Thumbprint);
        Assert.Equal(stored.StampedTime.ToDateTimeOffset(), token.TokenInfo.Timestamp);
        Assert.InRange(token.TokenInfo.Timestamp, checkpoint.Time.ToDateTimeOffset().AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        // Another message's hash does not verify under it.
        Assert.False(token.VerifySignatureForHash(SHA256.HashData("another checkpoint"u8), HashAlgorithmName.SHA256, out _, new X509Certificate2Collection(tsa)));
        // The authority's certificate is a time-stamping certificate: id-kp-timeStamping, critical, and nothing else.
        var eku = Assert.Single(tsa.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.True(eku.Critical);
        Assert.Equal(DevCertificateMinter.TimeStampingOid, Assert.Single(eku.EnhancedKeyUsages.Cast<Oid>()).Value);

        var verified = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.True(verified.Intact, verified.FirstProblem?.Description + string.Join(' ', verified.CheckpointProblems));
        Assert.True(verified.StoredCheckpoints >= 1);
    }

    [Fact]
    public async Task AuthorityStopped_HubKeepsServingAndReportsTheBacklog_StampedWhenItReturns()
    {
        await MakeCallsAsync(1);
        await StampedCheckpointAsync();
        await _authority.StopAsync();

        // Writes go on while the authority is away; the checkpoints of them wait.
        await MakeCallsAsync(3);
        await Eventually.HoldsAsync(async () => (await PendingAsync()).Count >= 1);
        await MakeCallsAsync(2);
        using var http = new HttpClient();
        string? metrics = null;
        JsonElement timestamps = default;
        await Eventually.HoldsAsync(async () =>
        {
            timestamps = await HealthEntryAsync(http);
            metrics = await http.GetStringAsync(new Uri(_hub.ManagementAddress!, "/metrics"));
            return timestamps.GetProperty("status").GetString() == "Degraded" && Unstamped(metrics) >= 1;
        });
        var ready = await http.GetAsync(new Uri(_hub.ManagementAddress!, Server.Health.HealthExtensions.ReadyPath));

        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Contains("wait for a time-stamp", timestamps.GetProperty("description").GetString(), StringComparison.Ordinal);
        var pending = await PendingAsync();
        Assert.All(pending, c => Assert.True(c.TimestampToken.IsEmpty));
        Assert.Equal(pending.Count, Unstamped(metrics!));
        await _hub.Records("court").SubmitRecordAsync(TestData.Submission());

        _authority.Resume();
        await Eventually.HoldsAsync(async () => (await PendingAsync()).Count == 0, seconds: 30);
        var all = (await Audit().ListCheckpointsAsync(new ListCheckpointsRequest { PageSize = 1000 })).Checkpoints;
        using var tsa = X509Certificate2.CreateFromPem(File.ReadAllText(TestTimestampAuthority.Certificate));
        Assert.True(all.Count >= 2);
        Assert.Equal(Enumerable.Range(1, all.Count).Select(n => (long)n), all.Select(c => ChainCheckpoint.Parser.ParseFrom(c.Checkpoint.Checkpoint).Number));
        Assert.All(all, c =>
        {
            Assert.True(Rfc3161TimestampToken.TryDecode(c.TimestampToken.Memory, out var token, out _));
            Assert.True(token!.VerifySignatureForHash(SHA256.HashData(c.Checkpoint.Checkpoint.Span), HashAlgorithmName.SHA256, out _, new X509Certificate2Collection(tsa)));
        });
        await Eventually.HoldsAsync(async () => (await HealthEntryAsync(http)).GetProperty("status").GetString() == "Healthy");
    }

    [Fact]
    public async Task TailDeletedAfterATimeStampedCheckpoint_FoundByARestartedHub_NamingTheCheckpoint()
    {
        await MakeCallsAsync(6);
        var stored = await StampedCheckpointAsync(minPosition: 6);
        var checkpoint = ChainCheckpoint.Parser.ParseFrom(stored.Checkpoint.Checkpoint);
        // The hub goes down. Whoever can write its database, but holds no hub key, deletes the end of the chain from just
        // before the checkpointed entry on, and the checkpoints stored after it: what is left is a chain the keys verify.
        // The hub starts again, remembering no head of its own (and sealing nothing yet).
        await _hub.DisposeAsync();
        await ExecuteAsync($"DELETE FROM audit_checkpoints WHERE \"Number\" > {checkpoint.Number}", rows: null);
        await ExecuteAsync($"DELETE FROM audit_entries WHERE \"ChainPosition\" >= {checkpoint.ChainPosition - 1}", rows: null);
        _hub = await HubHost.StartAsync(_connectionString, new Dictionary<string, string?>(TestTimestampAuthority.Settings(_authority)) { ["Hub:Audit:SealInterval"] = "00:01:00" });

        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Intact);
        var truncated = Assert.Single(result.Problems);
        Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Truncated, truncated.Kind);
        Assert.Equal(checkpoint.ChainPosition - 1, truncated.ExpectedChainPosition);
        Assert.Contains($"Stored checkpoint {checkpoint.Number} (signed by the hub at", truncated.Description, StringComparison.Ordinal);
        Assert.Contains("time-stamped by the authority at", truncated.Description, StringComparison.Ordinal);
        Assert.Contains($"names chain position {checkpoint.ChainPosition}, but the chain ends at position {checkpoint.ChainPosition - 2}", truncated.Description, StringComparison.Ordinal);
        Assert.Empty(result.CheckpointProblems);
    }

    [Fact]
    public async Task StoredCheckpointAlteredOrDeletedInTheDatabase_Named()
    {
        await MakeCallsAsync(2);
        await StampedCheckpointAsync();
        await MakeCallsAsync(2);
        await Eventually.HoldsAsync(async () => (await Audit().ListCheckpointsAsync(new ListCheckpointsRequest())).Checkpoints.Count >= 3);

        await ExecuteAsync("UPDATE audit_checkpoints SET \"Statement\" = \"Statement\" || '\\x00'::bytea WHERE \"Number\" = 1");
        await ExecuteAsync("DELETE FROM audit_checkpoints WHERE \"Number\" = 2");
        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Intact);
        Assert.Contains(result.CheckpointProblems, p => p.StartsWith("Stored checkpoint 1 is not a checkpoint signed by this hub", StringComparison.Ordinal));
        Assert.Contains(result.CheckpointProblems, p => p.StartsWith("Stored checkpoints 2–2 are missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sqlite_CheckpointStoredAndStamped()
    {
        await using var hub = await HubHost.StartAsync(null, TestTimestampAuthority.Settings(_authority));
        await hub.Records("court").SubmitRecordAsync(TestData.Submission());
        var audit = new AuditService.AuditServiceClient(hub.AgencyChannel("supervision"));

        await Eventually.HoldsAsync(
            async () => (await audit.ListCheckpointsAsync(new ListCheckpointsRequest())).Checkpoints.Any(c => c.StampStatus == CheckpointStampStatus.Stamped),
            seconds: 30);
        var verified = await audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.True(verified.Intact, verified.FirstProblem?.Description + string.Join(' ', verified.CheckpointProblems));
        Assert.True(verified.StoredCheckpoints >= 1);
    }

    private async Task<StoredCheckpoint> StampedCheckpointAsync(long minPosition = 1)
    {
        StoredCheckpoint? found = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                var page = await Audit().ListCheckpointsAsync(new ListCheckpointsRequest { PageSize = 1000 });
                found = page.Checkpoints.LastOrDefault(c => c.StampStatus == CheckpointStampStatus.Stamped
                    && ChainCheckpoint.Parser.ParseFrom(c.Checkpoint.Checkpoint).ChainPosition >= minPosition);
                return found is not null;
            },
            seconds: 30);
        return found!;
    }

    private async Task<List<StoredCheckpoint>> PendingAsync() =>
        [.. (await Audit().ListCheckpointsAsync(new ListCheckpointsRequest { PageSize = 1000 })).Checkpoints.Where(c => c.StampStatus == CheckpointStampStatus.Pending)];

    private async Task<JsonElement> HealthEntryAsync(HttpClient http)
    {
        using var detail = JsonDocument.Parse(await http.GetStringAsync(new Uri(_hub.ManagementAddress!, Server.Health.HealthExtensions.DetailPath)));
        return detail.RootElement.GetProperty("checks").GetProperty("audit-timestamps").Clone();
    }

    private static long Unstamped(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("creditexchange_audit_checkpoints_unstamped", StringComparison.Ordinal))
            .Select(l => (long)double.Parse(l.Split(' ')[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max();

    private async Task MakeCallsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _hub.Records("court").SubmitRecordAsync(TestData.Submission());
        }
    }

    private async Task ExecuteAsync(string sql, int? rows = 1)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var affected = await command.ExecuteNonQueryAsync();
        if (rows is { } expected)
        {
            Assert.Equal(expected, affected);
        }
    }
}
