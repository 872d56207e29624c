using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;

namespace CreditExchange.Tests.Records;

/// <summary>Garbage on the wire gets a clear INVALID_ARGUMENT, never INTERNAL or UNKNOWN, and stores nothing.</summary>
[Collection("postgres")]
public sealed class HostileInputTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly string[] Methods =
    [
        "/creditexchange.records.v1.RecordService/SubmitRecord",
        "/creditexchange.records.v1.RecordService/SubmitRecords",
        "/creditexchange.records.v1.RecordService/GetRecord",
        "/creditexchange.records.v1.RecordService/ListSubjectRecords",
        "/creditexchange.appraisal.v1.AppraisalService/CheckCandidate",
        "/creditexchange.appraisal.v1.AppraisalService/CheckCandidates",
        "/creditexchange.creditfile.v1.CreditFileService/GetCreditFile",
        "/creditexchange.statistics.v1.StatisticsService/GetRecordStatistics",
        "/creditexchange.statistics.v1.StatisticsService/ListWarnings",
    ];

    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public static TheoryData<string, string> Garbage()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in Methods)
        {
            data.Add(method, "ff ff ff ff ff ff ff ff ff ff");          // truncated varint
            data.Add(method, "0a 05 41 42");                            // length past the end
            data.Add(method, "12 03 c3 28 41");                         // field 2 with invalid UTF-8 / wrong type
            data.Add(method, "0a 02 c3 28");                            // invalid UTF-8 in a string field
            data.Add(method, "07");                                     // group end tag
            data.Add(method, "");                                       // empty message
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task AnyMethod_MalformedOrEmptyMessage_NeverInternalOrUnknown(string method, string hex)
    {
        var bytes = hex.Length == 0 ? [] : Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

        // Record methods as the court; appraisal, credit files and statistics as the regional platform, which holds their scopes.
        var agency = method.StartsWith("/creditexchange.records.", StringComparison.Ordinal) ? "court" : "drc";
        var (status, message) = await RawGrpc.SendAsync(_hub.Address, method, bytes, TestCertificates.Agency(agency), await _hub.TokenAsync(agency));

        // A batch may answer OK with the item refused inside it; nothing else may pass, and nothing may be INTERNAL or UNKNOWN.
        var allowed = method.EndsWith("/SubmitRecords", StringComparison.Ordinal)
            ? new[] { StatusCode.InvalidArgument, StatusCode.OK }
            : [StatusCode.InvalidArgument, StatusCode.NotFound];
        Assert.True(allowed.Contains((StatusCode)status), $"{method} answered {(StatusCode)status}: {message}");
        Assert.Equal(0, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecord_UnknownFieldsAndOutOfRangeEnums_InvalidArgument()
    {
        var request = TestData.Submission();
        request.Record.Category = (Category)99;
        request.Record.Severity = (Severity)(-1);
        var bytes = request.ToByteArray().Concat(new byte[] { 0xF8, 0x3F, 0x01 }).ToArray(); // unknown field 1023

        var (status, _) = await RawGrpc.SendAsync(_hub.Address, Methods[0], bytes, TestCertificates.Agency("court"), await _hub.TokenAsync("court"));

        Assert.Equal((int)StatusCode.InvalidArgument, status);
        Assert.Equal(0, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecord_HugeStringsAndControlCharacters_FieldViolations()
    {
        var request = TestData.Submission();
        request.Record.Facts = new string('事', 9000);
        request.Record.DecisionDocumentNumber = "";
        request.SourceRecordId = "bad id with spaces\n";
        request.Record.Penalty.FineFen = -5;
        request.Record.Penalty.Kinds.Add(PenaltyKind.PublicCriticism);

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("court").SubmitRecordAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var fields = TestData.ViolatedFields(e);
        Assert.Contains("record.facts", fields);
        Assert.Contains("record.decision_document_number", fields);
        Assert.Contains("source_record_id", fields);
        Assert.Contains("record.penalty.fine_fen", fields);
        Assert.Contains("record.penalty.kinds", fields);
    }

    [Fact]
    public async Task SubmitRecord_NulCharacterInAnyText_FieldViolationAndNothingStored()
    {
        var request = TestData.Submission();
        request.Record.Facts = "事实\0隐藏";
        request.Record.Penalty.Text = "\0";

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("court").SubmitRecordAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("record.facts", TestData.ViolatedFields(e));
        Assert.Contains("record.penalty.text", TestData.ViolatedFields(e));
        Assert.Equal(0, _hub.CountRecords());
    }

    [Theory]
    [InlineData("x-purpose-bin", "!!!not base64!!!")]
    [InlineData("x-purpose-bin", "AA==")]                  // a lone U+0000
    [InlineData("grpc-timeout", "99999999999999999S")]
    [InlineData("grpc-timeout", "-1m")]
    [InlineData("grpc-encoding", "br")]
    public async Task GetRecord_HostileMetadata_NeverInternalOrUnknown(string header, string value)
    {
        var request = new GetRecordRequest { RecordId = Guid.NewGuid().ToString() }.ToByteArray();

        var (status, message) = await RawGrpc.SendAsync(
            _hub.Address, Methods[2], request, TestCertificates.Agency("drc"), await _hub.TokenAsync("drc"), headers: new Dictionary<string, string> { [header] = value });

        Assert.False(status is (int)StatusCode.Internal or (int)StatusCode.Unknown or -1, $"{header}: {value} answered {(StatusCode)status}: {message}");
    }

    [Fact]
    public async Task UnknownMethod_Unimplemented()
    {
        var (status, _) = await RawGrpc.SendAsync(_hub.Address, "/creditexchange.records.v1.RecordService/DropTables", [], TestCertificates.Agency("court"));

        Assert.Equal((int)StatusCode.Unimplemented, status);
    }
}
