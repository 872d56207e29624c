using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Lifecycle;

/// <summary>
/// Every legal time limit is a timer with its rule and source (issue 25, items 4 and 5), through the public RPCs on a
/// fake clock: the repair decision deadline, the objection answer's one extension, the handling an upheld complaint
/// reopens, and complaints reviewed by an agency other than the one that filed them.
/// </summary>
[Collection("postgres")]
public sealed class TimeLimitTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // Thursday 2026-11-26, Beijing
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task RepairApplication_LeftUndecided_OverdueFromTheDayAfterItsFifthWorkingDay()
    {
        var record = await _hub.SubmitAsync(decisionDate: "2026-07-01", agency: "finance");
        var applied = await _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺守信",
        });

        // Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 December.
        var repair = applied.Repair;
        Assert.Equal(("2026-12-03", false), (repair.DecisionDueDate, repair.Overdue));
        Assert.Equal(("repair-decision", 5, "2026-12-03"), (repair.TimeLimit.Rule, repair.TimeLimit.WorkingDays, repair.TimeLimit.DueDate));
        Assert.Contains("国办发〔2025〕22号", repair.TimeLimit.Source, StringComparison.Ordinal);

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 3), 23)); // the last day, late evening
        Assert.Empty((await Overdue("finance")).Repairs);

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 4))); // Friday, midnight
        var overdue = Assert.Single((await Overdue("finance")).Repairs);
        Assert.Equal((repair.RepairId, true, "repair-decision"), (overdue.RepairId, overdue.Overdue, overdue.TimeLimit.Rule));
        Assert.Equal(repair.RepairId, Assert.Single((await Overdue("drc")).Repairs).RepairId);
        Assert.Empty((await Overdue("court")).Repairs); // not its record, no query rights

        await _hub.Lifecycle("finance").DecideRepairAsync(new DecideRepairRequest
        {
            RepairId = repair.RepairId, ExpectedVersion = applied.Record.Version, Decision = RepairState.Refused, Reason = "尚未整改到位",
        });
        Assert.Empty((await Overdue("finance")).Repairs);
    }

    [Fact]
    public async Task ExtendObjectionAnswer_OnceWithReasonAndNewDueDate_SecondRefused()
    {
        var record = await _hub.SubmitAsync();
        var objection = (await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "事实有误" })).Objection;
        Assert.Equal(("2026-12-03", "objection-answer", 5), (objection.AnswerDueDate, objection.TimeLimit.Rule, objection.TimeLimit.ExtensionWorkingDays));

        var notSource = await Assert.ThrowsAsync<RpcException>(() => Extend(objection.ObjectionId, 2, "2026-12-10", agency: "drc"));
        Assert.Equal((StatusCode.PermissionDenied, "NOT_SOURCE_AGENCY"), (notSource.StatusCode, TestData.Reason(notSource)));
        var tooFar = await Assert.ThrowsAsync<RpcException>(() => Extend(objection.ObjectionId, 2, "2026-12-11")); // 6 working days more
        Assert.Equal(StatusCode.InvalidArgument, tooFar.StatusCode);
        var weekend = await Assert.ThrowsAsync<RpcException>(() => Extend(objection.ObjectionId, 2, "2026-12-05"));
        Assert.Equal(StatusCode.InvalidArgument, weekend.StatusCode);

        var extended = await Extend(objection.ObjectionId, 2, "2026-12-10");
        Assert.Equal(("2026-12-10", "2026-12-03", "案情复杂，需向法院调取卷宗核查。"), (extended.Objection.AnswerDueDate, extended.Objection.ExtendedFromDueDate, extended.Objection.ExtensionReason));
        Assert.Equal((3L, RecordStatus.InDispute), (extended.Record.Version, extended.Record.Status));

        // The subject's side learns of it from the record's history and the feed.
        var history = await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId });
        Assert.Equal(RecordChange.ObjectionExtended, history.Versions[^1].Change);
        Assert.Contains("2026-12-10", history.Versions[^1].Reason, StringComparison.Ordinal);
        Assert.Equal("2026-12-10", Assert.Single(history.Objections).AnswerDueDate);
        Assert.Equal((int)RecordChange.ObjectionExtended, _hub.Events(record.RecordId)[^1].EventType);

        var again = await Assert.ThrowsAsync<RpcException>(() => Extend(objection.ObjectionId, 3, "2026-12-11"));
        Assert.Equal((StatusCode.FailedPrecondition, "OBJECTION_ALREADY_EXTENDED"), (again.StatusCode, TestData.Reason(again)));

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 10), 10));
        Assert.Empty((await Overdue("drc")).Objections);
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 11), 10));
        Assert.Equal(objection.ObjectionId, Assert.Single((await Overdue("drc")).Objections).ObjectionId);
    }

    [Fact]
    public async Task UpheldComplaint_ReopensTheObjection_WithDueDateEventAndOverdueWhenLate()
    {
        var record = await _hub.SubmitAsync();
        var objection = (await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "事实有误" })).Objection;
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 7), 10)); // answered late, dismissed
        await _hub.Lifecycle("court").AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = objection.ObjectionId, ExpectedVersion = 2, Outcome = ObjectionState.Dismissed, Answer = "维持原记录",
        });
        var complaint = (await _hub.Lifecycle("drc").FileComplaintAsync(new FileComplaintRequest
        {
            ObjectionId = objection.ObjectionId, Ground = ComplaintGround.Late, Grounds = "答复超期且未说明理由。",
        })).Complaint;
        Assert.Equal(("complaint-review", 10, "2026-12-21"), (complaint.TimeLimit.Rule, complaint.TimeLimit.WorkingDays, complaint.ReviewDueDate));

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 8), 10));
        var reviewed = (await _hub.Lifecycle("supervision").ReviewComplaintAsync(new ReviewComplaintRequest
        {
            ComplaintId = complaint.ComplaintId, Decision = ComplaintState.Upheld, DecisionText = "投诉成立，责成重新答复。",
        })).Complaint;

        // Wed 9, Thu 10, Fri 11, Mon 14, Tue 15 December.
        Assert.Equal((ComplaintState.Upheld, "supervision", "2026-12-15"), (reviewed.State, reviewed.ReviewedBy, reviewed.ReopenedDueDate));
        var history = await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId });
        Assert.Equal((4L, RecordStatus.InDispute), (history.Record.Version, history.Record.Status));
        Assert.Equal(RecordChange.HandlingReopened, history.Versions[^1].Change);
        var reopened = Assert.Single(history.Objections);
        Assert.Equal((ObjectionState.Open, "2026-12-15", complaint.ComplaintId), (reopened.State, reopened.AnswerDueDate, reopened.ReopenedByComplaintId));
        Assert.Equal(("reopened-handling", "2026-12-15"), (reopened.TimeLimit.Rule, reopened.TimeLimit.DueDate));
        Assert.Equal((int)RecordChange.HandlingReopened, _hub.Events(record.RecordId)[^1].EventType);

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 15), 10));
        Assert.Empty((await Overdue("court")).Objections);
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 16), 10));
        var late = Assert.Single((await Overdue("court")).Objections);
        Assert.Equal((objection.ObjectionId, true, "reopened-handling"), (late.ObjectionId, late.Overdue, late.TimeLimit.Rule));
        Assert.NotEmpty(late.TimeLimit.Source);

        // The source agency answers anew; nothing is overdue any more.
        await _hub.Lifecycle("court").AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = objection.ObjectionId, ExpectedVersion = 4, Outcome = ObjectionState.Revoked, Answer = "经复查，撤销记录",
        });
        Assert.Empty((await Overdue("court")).Objections);
    }

    [Fact]
    public async Task UpheldComplaint_ReopensARefusedRepair_PendingAgainAndOverdueWhenLate()
    {
        var record = await _hub.SubmitAsync(decisionDate: "2026-07-01", agency: "finance");
        var applied = await _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺守信",
        });
        await _hub.Lifecycle("finance").DecideRepairAsync(new DecideRepairRequest
        {
            RepairId = applied.Repair.RepairId, ExpectedVersion = 2, Decision = RepairState.Refused, Reason = "尚未整改到位",
        });
        var complaint = (await _hub.Lifecycle("drc").FileComplaintAsync(new FileComplaintRequest
        {
            RepairId = applied.Repair.RepairId, Ground = ComplaintGround.RefusedWithoutGrounds, Grounds = "已整改到位。",
        })).Complaint;
        var reviewed = (await _hub.Lifecycle("supervision").ReviewComplaintAsync(new ReviewComplaintRequest
        {
            ComplaintId = complaint.ComplaintId, Decision = ComplaintState.Upheld, DecisionText = "投诉成立。",
        })).Complaint;
        Assert.Equal("2026-12-03", reviewed.ReopenedDueDate);

        var repair = Assert.Single((await _hub.Lifecycle("finance").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId })).Repairs);
        Assert.Equal((RepairState.Pending, "2026-12-03", "reopened-handling"), (repair.State, repair.DecisionDueDate, repair.TimeLimit.Rule));
        Assert.Equal((int)RecordChange.HandlingReopened, _hub.Events(record.RecordId)[^1].EventType);

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 4), 10));
        Assert.Equal(repair.RepairId, Assert.Single((await Overdue("finance")).Repairs).RepairId);
    }

    [Fact]
    public async Task ReviewComplaint_FilerMayNotReviewItsOwn_TheConfiguredReviewerMay()
    {
        // drc both files complaints for subjects and, here, is configured a reviewer too.
        await using var hub = await HubHost.StartAsync(
            await postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?> { ["Hub:Lifecycle:ComplaintReviewers:0"] = "drc", ["Hub:Lifecycle:ComplaintReviewers:1"] = "supervision" },
            time: _clock);
        var record = await hub.SubmitAsync();
        var objection = (await hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "事实有误" })).Objection;
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 4), 10));
        var complaint = (await hub.Lifecycle("drc").FileComplaintAsync(new FileComplaintRequest
        {
            ObjectionId = objection.ObjectionId, Ground = ComplaintGround.Unanswered, Grounds = "逾期未答复。",
        })).Complaint;

        var own = await Assert.ThrowsAsync<RpcException>(() => hub.Lifecycle("drc").ReviewComplaintAsync(new ReviewComplaintRequest
        {
            ComplaintId = complaint.ComplaintId, Decision = ComplaintState.Rejected, DecisionText = "不成立。",
        }).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "NOT_COMPLAINT_REVIEWER"), (own.StatusCode, TestData.Reason(own)));
        var notReviewer = await Assert.ThrowsAsync<RpcException>(() => hub.Lifecycle("court").ReviewComplaintAsync(new ReviewComplaintRequest
        {
            ComplaintId = complaint.ComplaintId, Decision = ComplaintState.Rejected, DecisionText = "不成立。",
        }).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "NOT_COMPLAINT_REVIEWER"), (notReviewer.StatusCode, TestData.Reason(notReviewer)));

        var reviewed = (await hub.Lifecycle("supervision").ReviewComplaintAsync(new ReviewComplaintRequest
        {
            ComplaintId = complaint.ComplaintId, Decision = ComplaintState.Upheld, DecisionText = "投诉成立。",
        })).Complaint;
        Assert.Equal((ComplaintState.Upheld, "supervision"), (reviewed.State, reviewed.ReviewedBy));
    }

    private Task<ExtendObjectionAnswerResponse> Extend(string objectionId, long version, string newDue, string agency = "court") =>
        _hub.Lifecycle(agency).ExtendObjectionAnswerAsync(new ExtendObjectionAnswerRequest
        {
            ObjectionId = objectionId, ExpectedVersion = version, NewAnswerDueDate = newDue, Reason = "案情复杂，需向法院调取卷宗核查。",
        }).ResponseAsync;

    private Task<ListOverdueObjectionsResponse> Overdue(string agency) =>
        _hub.Lifecycle(agency).ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest()).ResponseAsync;
}
