using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace CreditExchange.Tests.Operations;

/// <summary>Harder edges found by hostile clients (issue 13.6), each answered with a specific status and audited.</summary>
[Collection("postgres")]
public sealed class HostileEdgeTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string SubmitRecord = "/creditexchange.records.v1.RecordService/SubmitRecord";
    private HubHost _hub = null!;

    public async Task InitializeAsync() =>
        _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync("hostile"), new Dictionary<string, string?> { ["Hub:MaxBatchItems"] = "5" });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task AnyMethod_LengthPrefixOf2Pow31OrMore_ResourceExhausted()
    {
        var token = await _hub.TokenAsync("court");
        foreach (var prefix in new[] { "0080000000", "00ffffffff" })
        {
            var frame = Convert.FromHexString(prefix + "0a0141");

            var (status, message) = await RawGrpc.SendAsync(_hub.Address, SubmitRecord, frame, TestCertificates.Agency("court"), token, frame: false);

            Assert.True(status == (int)StatusCode.ResourceExhausted, $"{prefix}: {(StatusCode)status} {message}");
        }
    }

    /// <summary>Malformed gRPC framing, each as the first frame of a unary call and as a later frame of a stream.</summary>
    public static TheoryData<string, byte, string?, bool> MalformedFrames() => new()
    {
        { "flag byte 0x02", 0x02, null, false },
        { "flag byte 0x80", 0x80, null, false },
        { "flagged compressed without grpc-encoding", 0x01, null, false },
        { "flagged compressed with grpc-encoding identity", 0x01, "identity", false },
        { "flagged gzip but not gzip", 0x01, "gzip", false },
        { "flag byte 0x02", 0x02, null, true },
        { "flag byte 0x80", 0x80, null, true },
        { "flagged compressed without grpc-encoding", 0x01, null, true },
        { "flagged gzip but not gzip", 0x01, "gzip", true },
    };

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public async Task MalformedFrame_InvalidArgumentMalformedMessage_NothingStored(string why, byte flag, string? encoding, bool laterFrameOfStream)
    {
        var token = await _hub.TokenAsync("court");
        byte[] body;
        string method;
        if (laterFrameOfStream)
        {
            method = "/creditexchange.records.v1.RecordService/SubmitRecords";
            var good = Frame(0, Google.Protobuf.MessageExtensions.ToByteArray(new SubmitRecordsRequest { Item = TestData.Submission() }));
            body = [.. good, .. Frame(flag, Google.Protobuf.MessageExtensions.ToByteArray(new SubmitRecordsRequest { Item = TestData.Submission() }))];
        }
        else
        {
            method = SubmitRecord;
            body = Frame(flag, Google.Protobuf.MessageExtensions.ToByteArray(TestData.Submission()));
        }

        var headers = encoding is null ? null : new Dictionary<string, string> { ["grpc-encoding"] = encoding };
        var (status, message) = await RawGrpc.SendAsync(_hub.Address, method, body, TestCertificates.Agency("court"), token, frame: false, headers: headers);

        Assert.True(status == (int)StatusCode.InvalidArgument, $"{why} ({method}): {(StatusCode)status} {message}");
        Assert.Equal(0, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecord_GzipCompressedForReal_Accepted()
    {
        var token = await _hub.TokenAsync("court");
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Google.Protobuf.MessageExtensions.ToByteArray(TestData.Submission()));
        }

        var (status, message) = await RawGrpc.SendAsync(
            _hub.Address, SubmitRecord, Frame(1, packed.ToArray()), TestCertificates.Agency("court"), token, frame: false, headers: new Dictionary<string, string> { ["grpc-encoding"] = "gzip" });

        Assert.True(status == (int)StatusCode.OK, $"{(StatusCode)status} {message}");
        Assert.Equal(1, _hub.CountRecords());
    }

    private static byte[] Frame(byte flag, byte[] message)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = flag;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    [Fact]
    public async Task SubmitRecords_LaterFrameWithLengthPrefixOf2Pow31_ResourceExhausted()
    {
        var token = await _hub.TokenAsync("court");
        var item = Google.Protobuf.MessageExtensions.ToByteArray(new SubmitRecordsRequest { Item = TestData.Submission() });
        var first = new byte[5 + item.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(first.AsSpan(1), (uint)item.Length);
        item.CopyTo(first, 5);
        var body = first.Concat(Convert.FromHexString("00800000000a0141")).ToArray();

        var (status, message) = await RawGrpc.SendAsync(_hub.Address, "/creditexchange.records.v1.RecordService/SubmitRecords", body, TestCertificates.Agency("court"), token, frame: false);

        Assert.True(status == (int)StatusCode.ResourceExhausted, $"{(StatusCode)status} {message}");
        Assert.Equal(0, _hub.CountRecords());
    }

    [Theory]
    [InlineData(-62_135_596_801L, 0)] // one second before 0001-01-01
    [InlineData(253_402_300_800L, 0)] // 10000-01-01
    [InlineData(0L, -1)]
    [InlineData(0L, 1_000_000_000)]
    public async Task ListAuditEntries_TimestampOutsideYears1To9999_InvalidArgumentOnThatField(long seconds, int nanos)
    {
        var audit = new AuditService.AuditServiceClient(_hub.AgencyChannel("drc"));

        var e = await Assert.ThrowsAsync<RpcException>(async () => await audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { From = new Timestamp { Seconds = seconds, Nanos = nanos } }));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("from", TestData.ViolatedFields(e));
    }

    [Fact]
    public async Task SubmitRecords_ClientCancelsItsStream_AuditedAsCancelled()
    {
        using (var cts = new CancellationTokenSource())
        {
            using var stream = _hub.Records("procuratorate").SubmitRecords(cancellationToken: cts.Token);
            await stream.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission() });
            await Task.Delay(300);
            await cts.CancelAsync();
        }

        var audit = new AuditService.AuditServiceClient(_hub.AgencyChannel("drc"));
        await OutageTests.WaitUntilAsync(async () =>
            (await audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "procuratorate" })).Entries
                .Any(x => x.Method.EndsWith("/SubmitRecords", StringComparison.Ordinal)));
        var entry = (await audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "procuratorate" })).Entries
            .Single(x => x.Method.EndsWith("/SubmitRecords", StringComparison.Ordinal));

        Assert.Equal((int)StatusCode.Cancelled, entry.Outcome.Code);
        Assert.Equal(0, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecords_ItemBeyondTheLimit_RefusedAtOnceWhileTheStreamIsStillOpen()
    {
        using var stream = _hub.Records("court").SubmitRecords();
        for (var i = 0; i < 6; i++)
        {
            await stream.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission() });
        }

        // The stream is not completed: the refusal must come from the sixth item itself.
        var finished = await Task.WhenAny(stream.ResponseAsync, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(stream.ResponseAsync, finished);
        var e = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("BATCH_TOO_LARGE", TestData.Reason(e));
        Assert.Equal(0, _hub.CountRecords());
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("\u3000\t")]
    [InlineData("呼和浩特市\u202E府政民人区某")]
    [InlineData("呼和浩特\u2066市某区人民政府")]
    [InlineData("呼和浩特市某区人民政府\uFFFE")]
    [InlineData("呼和浩特市某区人民政府\uFDD0")]
    public async Task SubmitRecord_HostileName_FieldViolationAndNothingStored(string name)
    {
        var submission = TestData.Submission();
        submission.Record.Subject.GovernmentBody.Name = name;

        var e = await Assert.ThrowsAsync<RpcException>(async () => await _hub.Records("court").SubmitRecordAsync(submission));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("record.subject.government_body.name", TestData.ViolatedFields(e));
        Assert.Equal(0, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecord_InvalidEncodingHeader_RefusedAndAudited()
    {
        var token = await _hub.TokenAsync("finance");
        var body = Google.Protobuf.MessageExtensions.ToByteArray(TestData.Submission(Category.BreachOfCommitment, RecordDomain.Procurement));
        var frame = new byte[5 + body.Length];
        frame[0] = 1; // compressed, with a codec the hub does not have
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
        body.CopyTo(frame, 5);

        var (status, _) = await RawGrpc.SendAsync(_hub.Address, SubmitRecord, frame, TestCertificates.Agency("finance"), token, frame: false, headers: new Dictionary<string, string> { ["grpc-encoding"] = "no-such-codec" });

        Assert.NotEqual((int)StatusCode.OK, status);
        var audit = new AuditService.AuditServiceClient(_hub.AgencyChannel("drc"));
        await OutageTests.WaitUntilAsync(async () =>
            (await audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "finance" })).Entries
                .Any(x => x.Method == SubmitRecord && x.Outcome.Code == status));
    }

    [Fact]
    public async Task Token_IssuedThroughOneAuthority_AcceptedThroughAnother()
    {
        await using var hub = await HubHost.StartAsync(null, new Dictionary<string, string?> { ["Hub:Tokens:Issuer"] = "" });
        var token = await hub.TokenAsync("court");
        var viaLocalhost = new UriBuilder(hub.Address) { Host = "localhost" }.Uri;
        using var channel = GrpcChannel.ForAddress(viaLocalhost, new GrpcChannelOptions { HttpHandler = HubHost.Handler(TestCertificates.Agency("court")) });

        var answer = await new RecordService.RecordServiceClient(channel).SubmitRecordAsync(
            TestData.Submission(), new Metadata { { "authorization", "Bearer " + token } });

        Assert.False(answer.Duplicate);
        using var http = HubHost.Http(TestCertificates.Agency("court"));
        using var discovery = await http.GetAsync(new Uri(viaLocalhost, ".well-known/openid-configuration"));
        using var json = System.Text.Json.JsonDocument.Parse(await discovery.Content.ReadAsStringAsync());
        Assert.StartsWith("https://127.0.0.1:", json.RootElement.GetProperty("issuer").GetString(), StringComparison.Ordinal);
    }
}
