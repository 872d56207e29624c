using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Receipts;
using CreditExchange.Server.Privacy;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Protobuf;
using Npgsql;

namespace CreditExchange.Tests.Receipts;

/// <summary>Signed receipts, and rotation of the receipt and personal-data keys, over real PostgreSQL.</summary>
[Collection("postgres")]
public sealed class ReceiptAndKeyRotationTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("creditexchange-keys-").FullName;
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await postgres.CreateDatabaseAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_keys, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SubmitRecord_Accepted_ReceiptVerifiesAndCoversTheContent()
    {
        await using var hub = await StartAsync(["r1"], "r1", ["p1"], "p1");
        var request = TestData.Submission();

        var response = await hub.Records("court").SubmitRecordAsync(request);
        var keys = (await Receipts(hub).GetReceiptKeysAsync(new GetReceiptKeysRequest())).Keys;

        var payload = ReceiptVerifier.Verify(response.Receipt, keys);
        Assert.NotNull(payload);
        Assert.Equal(response.Record.RecordId, payload.RecordId);
        Assert.Equal("court", payload.AgencyId);
        Assert.Equal(request.SourceRecordId, payload.SourceRecordId);
        Assert.Equal(response.Record.ContentSha256, payload.ContentSha256);
        Assert.Equal(response.Record.AcceptedAt, payload.AcceptedAt);
        Assert.True(payload.Sequence > 0);
        Assert.Equal("r1", payload.KeyId);
        Assert.True(ReceiptVerifier.Covers(payload, request.Record));
        var altered = request.Record.Clone();
        altered.Facts += "。";
        Assert.False(ReceiptVerifier.Covers(payload, altered));
    }

    [Fact]
    public async Task Receipt_Modified_DoesNotVerify()
    {
        await using var hub = await StartAsync(["r1"], "r1", ["p1"], "p1");
        var response = await hub.Records("court").SubmitRecordAsync(TestData.Submission());
        var keys = (await Receipts(hub).GetReceiptKeysAsync(new GetReceiptKeysRequest())).Keys;
        Assert.NotNull(ReceiptVerifier.Verify(response.Receipt, keys));

        var payload = ReceiptPayload.Parser.ParseFrom(response.Receipt.SignedPayload);
        payload.ContentSha256 = new string('0', 64);
        var forgedPayload = response.Receipt.Clone();
        forgedPayload.SignedPayload = payload.ToByteString();
        var flipped = response.Receipt.Clone();
        var signature = flipped.Signature.ToByteArray();
        signature[10] ^= 0x40;
        flipped.Signature = ByteString.CopyFrom(signature);
        var otherKey = response.Receipt.Clone();
        otherKey.KeyId = "unknown";

        Assert.Null(ReceiptVerifier.Verify(forgedPayload, keys));
        Assert.Null(ReceiptVerifier.Verify(flipped, keys));
        Assert.Null(ReceiptVerifier.Verify(otherKey, keys));
    }

    [Fact]
    public async Task Duplicates_AndBatchItems_GetReceiptsOfTheFirstAcceptance()
    {
        await using var hub = await StartAsync(["r1"], "r1", ["p1"], "p1");
        var request = TestData.Submission();
        var first = await hub.Records("court").SubmitRecordAsync(request);
        var retry = await hub.Records("court").SubmitRecordAsync(request);
        using var batch = hub.Records("court").SubmitRecords();
        await batch.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = request });
        await batch.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission() });
        await batch.RequestStream.CompleteAsync();
        var results = (await batch.ResponseAsync).Results;
        var keys = (await Receipts(hub).GetReceiptKeysAsync(new GetReceiptKeysRequest())).Keys;

        Assert.True(retry.Duplicate);
        var original = ReceiptVerifier.Verify(first.Receipt, keys)!;
        var again = ReceiptVerifier.Verify(retry.Receipt, keys)!;
        Assert.Equal(original.Sequence, again.Sequence);
        Assert.Equal(original.AcceptedAt, again.AcceptedAt);
        Assert.Equal(original.RecordId, ReceiptVerifier.Verify(results[0].Receipt, keys)!.RecordId);
        Assert.Equal(results[1].Record.RecordId, ReceiptVerifier.Verify(results[1].Receipt, keys)!.RecordId);
    }

    [Fact]
    public async Task KeyRotation_OldRecordsStayReadableAndOldReceiptsVerifiable()
    {
        var residentId = TestData.NewResidentId();
        SubmitRecordResponse old;
        await using (var before = await StartAsync(["r1"], "r1", ["p1"], "p1"))
        {
            old = await before.Records("supervision").SubmitRecordAsync(
                TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(residentId)));
        }

        await using var after = await StartAsync(["r1", "r2"], "r2", ["p1", "p2"], "p2");
        var keys = (await Receipts(after).GetReceiptKeysAsync(new GetReceiptKeysRequest())).Keys;
        var read = await after.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = old.Record.RecordId });
        var listed = await after.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { ResidentId = residentId } });
        var fresh = await after.Records("supervision").SubmitRecordAsync(
            TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(residentId)));

        Assert.Equal(["r2", "r1"], keys.Select(k => k.KeyId));
        Assert.True(keys[0].Current);
        Assert.Equal("r1", ReceiptVerifier.Verify(old.Receipt, keys)?.KeyId);
        Assert.Equal("r2", ReceiptVerifier.Verify(fresh.Receipt, keys)?.KeyId);
        Assert.Equal(residentId, read.Record.Content.Subject.CivilServant.ResidentId);
        Assert.Equal(2, (await after.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { ResidentId = residentId } })).Records.Count);
        Assert.Single(listed.Records);
        Assert.Equal(["p1", "p2"], await ContentKeyIdsAsync());
    }

    private async Task<HubHost> StartAsync(string[] receiptKeys, string currentReceiptKey, string[] contentKeys, string currentContentKey)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hub:Receipts:CurrentSigningKey"] = currentReceiptKey,
            ["Hub:Privacy:CurrentEncryptionKey"] = currentContentKey,
            ["Hub:Privacy:LookupKey"] = PrivacyKeys.MintIfMissing(Path.Combine(_keys, "lookup.key")),
            ["Hub:Privacy:AuditMacKey"] = PrivacyKeys.MintIfMissing(Path.Combine(_keys, "audit.key")),
        };
        foreach (var id in receiptKeys)
        {
            settings[$"Hub:Receipts:SigningKeys:{id}"] = Server.Receipts.ReceiptKeys.MintIfMissing(Path.Combine(_keys, $"receipt-{id}.key"));
        }

        foreach (var id in contentKeys)
        {
            settings[$"Hub:Privacy:EncryptionKeys:{id}"] = PrivacyKeys.MintIfMissing(Path.Combine(_keys, $"content-{id}.key"));
        }

        return await HubHost.StartAsync(_connectionString, settings);
    }

    private static ReceiptService.ReceiptServiceClient Receipts(HubHost hub) => new(hub.AgencyChannel("drc"));

    /// <summary>The key ids of the envelopes in records.Content, as stored.</summary>
    private async Task<List<string>> ContentKeyIdsAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Content\" FROM records ORDER BY \"Sequence\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(PersonalDataProtector.KeyIdOf((byte[])reader[0])!);
        }

        return ids;
    }
}
