using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Lifecycle;

/// <summary>
/// Complaints (投诉, seed clause 二(二)7) about how a source agency handled an objection or a repair
/// application: filed by the platform for the subject, reviewed by the supervision commission within ten working days, shown in
/// the record's history, the credit file and the overdue list.
/// </summary>
[Collection("postgres")]
public sealed class ComplaintTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Grounds = "异议逾期未获答复，申请人张某（身份证号150102198001010019）投诉。";

    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // Thursday 2026-11-26, Beijing
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Complaint_UnansweredObjection_FiledReviewedAndOverdueWhenLate()
    {
        var record = await _hub.SubmitAsync();
        var objection = (await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "事实有误" })).Objection;
        Assert.Equal("2026-12-03", objection.AnswerDueDate);
        var early = await Assert.ThrowsAsync<RpcException>(() => File(objection.ObjectionId, ComplaintGround.Unanswered));
        Assert.Equal((StatusCode.FailedPrecondition, "COMPLAINT_GROUND_NOT_MET"), (early.StatusCode, TestData.Reason(early)));

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 4), 10)); // the answer is a day late
        var complaint = (await File(objection.ObjectionId)).Complaint;

        // Ten working days from Friday 2026-12-04.
        Assert.Equal((ComplaintState.Open, "2026-12-18", false, Grounds), (complaint.State, complaint.ReviewDueDate, complaint.Overdue, complaint.Grounds));
        Assert.Equal((objection.ObjectionId, record.RecordId, "court", "drc"), (complaint.ObjectionId, complaint.RecordId, complaint.SourceAgencyId, complaint.FiledBy));
        Assert.Equal(2, (await _hub.GetAsync(record.RecordId)).Version); // a complaint does not change the record
        var twice = await Assert.ThrowsAsync<RpcException>(() => File(objection.ObjectionId));
        Assert.Equal((StatusCode.FailedPrecondition, "COMPLAINT_ALREADY_OPEN"), (twice.StatusCode, TestData.Reason(twice)));
        var notRepresentative = await Assert.ThrowsAsync<RpcException>(() => File(objection.ObjectionId, agency: "court"));
        Assert.Equal((StatusCode.PermissionDenied, "NOT_SUBJECT_REPRESENTATIVE"), (notRepresentative.StatusCode, TestData.Reason(notRepresentative)));
        Assert.Empty((await Overdue("drc")).Complaints);

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 21), 10)); // the review is late too
        var overdue = await Overdue("drc");
        Assert.Equal((complaint.ComplaintId, true), (Assert.Single(overdue.Complaints).ComplaintId, overdue.Complaints[0].Overdue));
        Assert.Equal(objection.ObjectionId, Assert.Single(overdue.Objections).ObjectionId);
        Assert.Single((await Overdue("court")).Complaints);     // the source agency complained of
        Assert.Empty((await Overdue("finance")).Complaints);    // neither entitled nor concerned
        var entry = Assert.Single((await new CreditFileService.CreditFileServiceClient(_hub.AgencyChannel("drc"))
            .GetCreditFileAsync(new GetCreditFileRequest { Subject = new SubjectKey { CreditCode = record.Content.Subject.GovernmentBody.CreditCode } })).CreditFile.Entries);
        Assert.Equal((complaint.ComplaintId, true), (Assert.Single(entry.Complaints).ComplaintId, entry.Complaints[0].Overdue));

        var notReviewer = await Assert.ThrowsAsync<RpcException>(() => Review(complaint.ComplaintId, agency: "court"));
        Assert.Equal((StatusCode.PermissionDenied, "NOT_COMPLAINT_REVIEWER"), (notReviewer.StatusCode, TestData.Reason(notReviewer)));
        var reviewed = (await Review(complaint.ComplaintId)).Complaint;
        Assert.Equal((ComplaintState.Upheld, "supervision", false, "投诉成立，责成限期答复。"), (reviewed.State, reviewed.ReviewedBy, reviewed.Overdue, reviewed.Decision));
        Assert.Empty((await Overdue("drc")).Complaints);
        var history = await _hub.Lifecycle("court").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId });
        Assert.Equal((ComplaintState.Upheld, Grounds), (Assert.Single(history.Complaints).State, history.Complaints[0].Grounds));
        var again = await Assert.ThrowsAsync<RpcException>(() => Review(complaint.ComplaintId));
        Assert.Equal((StatusCode.FailedPrecondition, "COMPLAINT_NOT_OPEN"), (again.StatusCode, TestData.Reason(again)));

        // Free text is sealed at rest like objection grounds.
        var stored = _hub.Query(db => db.Complaints.Single());
        Assert.All(new[] { stored.Grounds, stored.Decision! }, text => Assert.StartsWith("ce1:", text, StringComparison.Ordinal));
        Assert.DoesNotContain("150102198001010019", stored.Grounds, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complaint_GroundMustFitTheHandling()
    {
        // A repair application pending, then refused; an objection answered after its deadline.
        var record = await _hub.SubmitAsync(decisionDate: "2026-07-01", agency: "finance");
        var applied = await _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺守信",
        });
        var repairId = applied.Repair.RepairId;
        var late = await Assert.ThrowsAsync<RpcException>(() => File(repairId: repairId, ground: ComplaintGround.Late));
        Assert.Equal("COMPLAINT_GROUND_NOT_MET", TestData.Reason(late));
        var pending = (await File(repairId: repairId, ground: ComplaintGround.Unanswered)).Complaint;
        Assert.Equal(repairId, pending.RepairId);
        await Review(pending.ComplaintId, ComplaintState.Rejected);

        await _hub.Lifecycle("finance").DecideRepairAsync(new DecideRepairRequest
        {
            RepairId = repairId, ExpectedVersion = applied.Record.Version, Decision = RepairState.Refused, Reason = "尚未整改到位",
        });
        Assert.Equal("COMPLAINT_GROUND_NOT_MET", TestData.Reason(await Assert.ThrowsAsync<RpcException>(() => File(repairId: repairId, ground: ComplaintGround.Unanswered))));
        Assert.Equal(ComplaintState.Open, (await File(repairId: repairId, ground: ComplaintGround.RefusedWithoutGrounds)).Complaint.State);

        var other = await _hub.SubmitAsync();
        var objection = (await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = other.RecordId, ExpectedVersion = 1, Grounds = "事实有误" })).Objection;
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 7), 10));
        await _hub.Lifecycle("court").AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = objection.ObjectionId, ExpectedVersion = 2, Outcome = ObjectionState.Dismissed, Answer = "维持原记录",
        });
        Assert.Equal(ComplaintState.Open, (await File(objection.ObjectionId, ComplaintGround.Late)).Complaint.State);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => File(Guid.NewGuid().ToString()));
        Assert.Equal((StatusCode.NotFound, "OBJECTION_NOT_FOUND"), (unknown.StatusCode, TestData.Reason(unknown)));
    }

    [Fact]
    public async Task FileComplaint_SameHandlingFiledAtOnce_OneOpenTheOtherRefused()
    {
        var record = await _hub.SubmitAsync(decisionDate: "2026-07-01", agency: "finance");
        var repairId = (await _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺守信",
        })).Repair.RepairId;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                await File(repairId: repairId);
                return "OK";
            }
            catch (RpcException e)
            {
                return TestData.Reason(e);
            }
        }));

        Assert.Equal(["COMPLAINT_ALREADY_OPEN", "COMPLAINT_ALREADY_OPEN", "COMPLAINT_ALREADY_OPEN", "OK"], outcomes.Order());
        Assert.Equal(1, _hub.Query(db => db.Complaints.Count()));
    }

    [Fact]
    public async Task ListOverdueObjections_ObjectionsAndComplaintsTogether_PagedWithoutLossOrRepeat()
    {
        var objections = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var record = await _hub.SubmitAsync();
            objections.Add((await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "事实有误" })).Objection.ObjectionId);
        }

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 4), 10));
        var complaints = new List<string>();
        foreach (var objection in objections.Take(2))
        {
            complaints.Add((await File(objection)).Complaint.ComplaintId);
        }

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 21), 10));
        var seen = new List<string>();
        var pages = 0;
        var token = "";
        do
        {
            var page = await _hub.Lifecycle("drc").ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest { PageSize = 2, PageToken = token });
            Assert.InRange(page.Objections.Count + page.Complaints.Count, 1, 2);
            seen.AddRange(page.Objections.Select(o => o.ObjectionId).Concat(page.Complaints.Select(c => c.ComplaintId)));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(3, pages);
        Assert.Equal([.. objections, .. complaints], seen); // earliest deadline first: the objections' (12-03), then the complaints' (12-18)
    }

    private Task<FileComplaintResponse> File(string? objectionId = null, ComplaintGround ground = ComplaintGround.Unanswered, string agency = "drc", string? repairId = null)
    {
        var request = new FileComplaintRequest { Ground = ground, Grounds = Grounds };
        if (repairId is not null)
        {
            request.RepairId = repairId;
        }
        else
        {
            request.ObjectionId = objectionId;
        }

        return _hub.Lifecycle(agency).FileComplaintAsync(request).ResponseAsync;
    }

    private Task<ReviewComplaintResponse> Review(string complaintId, ComplaintState decision = ComplaintState.Upheld, string agency = "supervision") =>
        _hub.Lifecycle(agency).ReviewComplaintAsync(new ReviewComplaintRequest { ComplaintId = complaintId, Decision = decision, DecisionText = "投诉成立，责成限期答复。" }).ResponseAsync;

    private Task<ListOverdueObjectionsResponse> Overdue(string agency) =>
        _hub.Lifecycle(agency).ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest()).ResponseAsync;
}
