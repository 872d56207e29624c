using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;

namespace CreditExchange.Tests.Lifecycle;

/// <summary>Bad input to the lifecycle gets INVALID_ARGUMENT or NOT_FOUND, never INTERNAL or UNKNOWN, and changes nothing.</summary>
[Collection("postgres")]
public sealed class LifecycleHostileInputTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly string[] Methods =
    [
        "FileObjection", "AnswerObjection", "CorrectRecord", "RevokeRecord",
        "ApplyForRepair", "DecideRepair", "ListOverdueObjections", "GetRecordHistory",
        "RemoveJudgmentDebtorListing", "FileComplaint", "ReviewComplaint", "ExtendObjectionAnswer",
    ];

    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public static TheoryData<string, string> Garbage()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in Methods)
        {
            data.Add(method, "ff ff ff ff ff ff ff ff ff ff");  // truncated varint
            data.Add(method, "0a 05 41 42");                    // length past the end
            data.Add(method, "0a 02 c3 28");                    // invalid UTF-8 in a string field
            data.Add(method, "10 ff ff ff ff ff ff ff ff ff 01"); // expected_version -1 / page_token wrong type
            data.Add(method, "07");                             // group end tag
            data.Add(method, "");                               // empty message
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task AnyMethod_MalformedOrEmptyMessage_NeverInternalOrUnknown(string method, string hex)
    {
        var record = await _hub.SubmitAsync();
        var eventsBefore = _hub.CountEvents();
        var bytes = hex.Length == 0 ? [] : Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

        foreach (var agency in new[] { "drc", "court" })
        {
            var (status, message) = await RawGrpc.SendAsync(_hub.Address, $"/creditexchange.lifecycle.v1.LifecycleService/{method}", bytes, TestCertificates.Agency(agency), await _hub.TokenAsync(agency));

            // ListOverdueObjections has no required field: an empty message (or one of unknown fields) is a valid request.
            var allowed = method == "ListOverdueObjections"
                ? new[] { StatusCode.OK, StatusCode.InvalidArgument }
                : [StatusCode.InvalidArgument, StatusCode.NotFound];
            Assert.True(allowed.Contains((StatusCode)status), $"{method} as {agency} answered {(StatusCode)status}: {message}");
        }

        Assert.Equal(eventsBefore, _hub.CountEvents());
        Assert.Equal(1, (await _hub.GetAsync(record.RecordId)).Version);
    }

    [Fact]
    public async Task Requests_BadIdsVersionsEnumsAndTokens_InvalidArgumentNamingTheField()
    {
        var drc = _hub.Lifecycle("drc");
        var court = _hub.Lifecycle("court");
        var cases = new (Func<Task> Call, string Field)[]
        {
            (() => drc.FileObjectionAsync(new FileObjectionRequest { RecordId = "not-a-uuid", ExpectedVersion = 1, Grounds = "x" }).ResponseAsync, "record_id"),
            (() => drc.FileObjectionAsync(new FileObjectionRequest { RecordId = Guid.NewGuid().ToString(), ExpectedVersion = 0, Grounds = "x" }).ResponseAsync, "expected_version"),
            (() => drc.FileObjectionAsync(new FileObjectionRequest { RecordId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Grounds = "" }).ResponseAsync, "grounds"),
            (() => court.AnswerObjectionAsync(new AnswerObjectionRequest { ObjectionId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Outcome = (ObjectionState)99, Answer = "x" }).ResponseAsync, "outcome"),
            (() => court.AnswerObjectionAsync(new AnswerObjectionRequest { ObjectionId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Outcome = ObjectionState.Open, Answer = "x" }).ResponseAsync, "outcome"),
            (() => court.AnswerObjectionAsync(new AnswerObjectionRequest { ObjectionId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Outcome = ObjectionState.Corrected, Answer = "x" }).ResponseAsync, "corrected_content"),
            (() => court.AnswerObjectionAsync(new AnswerObjectionRequest { ObjectionId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Outcome = ObjectionState.Dismissed, Answer = "x", CorrectedContent = TestData.Submission().Record }).ResponseAsync, "corrected_content"),
            (() => court.CorrectRecordAsync(new CorrectRecordRequest { RecordId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Reason = "x" }).ResponseAsync, "content"),
            (() => court.CorrectRecordAsync(new CorrectRecordRequest { RecordId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Reason = "x", Content = BadDate() }).ResponseAsync, "content.decision_date"),
            (() => court.RevokeRecordAsync(new RevokeRecordRequest { RecordId = Guid.NewGuid().ToString(), ExpectedVersion = -5, Reason = "x" }).ResponseAsync, "expected_version"),
            (() => drc.ApplyForRepairAsync(new ApplyForRepairRequest { RecordId = "", ExpectedVersion = 1 }).ResponseAsync, "record_id"),
            (() => court.DecideRepairAsync(new DecideRepairRequest { RepairId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Decision = RepairState.Pending, Reason = "x" }).ResponseAsync, "decision"),
            (() => court.DecideRepairAsync(new DecideRepairRequest { RepairId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Decision = (RepairState)(-3), Reason = "x" }).ResponseAsync, "decision"),
            (() => drc.ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest { PageToken = "garbage!" }).ResponseAsync, "page_token"),
            (() => drc.ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest { PageSize = 501 }).ResponseAsync, "page_size"),
            (() => drc.GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = "00000000-0000-0000-0000-00000000000g" }).ResponseAsync, "record_id"),
        };

        foreach (var (call, field) in cases)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains(field, TestData.ViolatedFields(e));
        }
    }

    [Fact]
    public async Task Requests_UnknownIds_NotFound()
    {
        var unknown = Guid.NewGuid().ToString();
        var cases = new (Func<Task> Call, string Reason)[]
        {
            (() => _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = unknown, ExpectedVersion = 1, Grounds = "x" }).ResponseAsync, "RECORD_NOT_FOUND"),
            (() => _hub.Lifecycle("court").AnswerObjectionAsync(new AnswerObjectionRequest { ObjectionId = unknown, ExpectedVersion = 1, Outcome = ObjectionState.Dismissed, Answer = "x" }).ResponseAsync, "OBJECTION_NOT_FOUND"),
            (() => _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest { RecordId = unknown, ExpectedVersion = 1, Content = TestData.Submission().Record, Reason = "x" }).ResponseAsync, "RECORD_NOT_FOUND"),
            (() => _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = unknown, ExpectedVersion = 1, Reason = "x" }).ResponseAsync, "RECORD_NOT_FOUND"),
            (() => _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest { RecordId = unknown, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "x" }).ResponseAsync, "RECORD_NOT_FOUND"),
            (() => _hub.Lifecycle("court").DecideRepairAsync(new DecideRepairRequest { RepairId = unknown, ExpectedVersion = 1, Decision = RepairState.Approved, Reason = "x" }).ResponseAsync, "REPAIR_NOT_FOUND"),
            (() => _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = unknown }).ResponseAsync, "RECORD_NOT_FOUND"),
        };

        foreach (var (call, reason) in cases)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
            Assert.Equal(reason, TestData.Reason(e));
        }
    }

    [Fact]
    public async Task AnswerObjection_OutOfRangeEnumOnTheWire_InvalidArgument()
    {
        var request = new AnswerObjectionRequest { ObjectionId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Answer = "x" };
        var bytes = request.ToByteArray().Concat(new byte[] { 0x18, 0xE7, 0x07 }).ToArray(); // outcome = 999

        var (status, _) = await RawGrpc.SendAsync(_hub.Address, "/creditexchange.lifecycle.v1.LifecycleService/AnswerObjection", bytes, TestCertificates.Agency("court"), await _hub.TokenAsync("court"));

        Assert.Equal((int)StatusCode.InvalidArgument, status);
    }

    private static Contracts.Records.V1.RecordContent BadDate()
    {
        var content = TestData.Submission().Record;
        content.DecisionDate = "2025-02-30";
        return content;
    }
}
