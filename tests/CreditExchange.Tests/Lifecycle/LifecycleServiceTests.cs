using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Lifecycle;

/// <summary>The record lifecycle over real Kestrel, real mTLS and real PostgreSQL, on a fake clock.</summary>
[Collection("postgres")]
public sealed class LifecycleServiceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock();
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public static TheoryData<Severity, bool, string, string> Tiers => new()
    {
        // decided 2026-10-15: minor not published by default, repairable at once, at most 3 months;
        // general 3 months to 1 year; serious 1 to 3 years.
        { Severity.Minor, false, "2026-10-15", "2027-01-15" },
        { Severity.General, true, "2027-01-15", "2027-10-15" },
        { Severity.Serious, true, "2027-10-15", "2029-10-15" },
    };

    [Theory]
    [MemberData(nameof(Tiers))]
    public async Task SubmitRecord_EachSeverity_PeriodsFixedByPolicyFromDecisionDate(Severity severity, bool published, string minimumEnd, string maximumEnd)
    {
        var record = await _hub.SubmitAsync(severity, "2026-10-15");

        Assert.Equal(LifecycleKit.PolicyVersion, record.DisclosurePeriod.PolicyVersion);
        Assert.Equal(published, record.DisclosurePeriod.PublishedByDefault);
        Assert.Equal(minimumEnd, record.DisclosurePeriod.MinimumEndDate);
        Assert.Equal(maximumEnd, record.DisclosurePeriod.MaximumEndDate);
        Assert.Equal(record, await _hub.GetAsync(record.RecordId));
    }

    [Fact]
    public async Task ExpireDue_AtMaximumPeriod_ExpiredByTheHubWithOneEvent()
    {
        var minor = await _hub.SubmitAsync(Severity.Minor, "2026-10-15");      // publication stops 2027-01-15
        var general = await _hub.SubmitAsync(Severity.General, "2026-10-15");  // 2027-10-15

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2027, 1, 14), 23));
        Assert.Equal(0, await _hub.ExpireDueAsync());
        Assert.Equal(RecordStatus.Active, (await _hub.GetAsync(minor.RecordId)).Status);

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2027, 1, 15)));
        await _hub.ExpireDueAsync();
        Assert.Equal(0, await _hub.ExpireDueAsync());

        var expired = await _hub.GetAsync(minor.RecordId);
        Assert.Equal(RecordStatus.Expired, expired.Status);
        Assert.Equal(2, expired.Version);
        Assert.Equal(RecordStatus.Active, (await _hub.GetAsync(general.RecordId)).Status);
        var history = await _hub.Lifecycle("court").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = minor.RecordId });
        var last = history.Versions[^1];
        Assert.Equal(RecordChange.Expired, last.Change);
        Assert.Equal("hub", last.AgencyId);
        Assert.Equal(
            [(int)RecordChange.Submitted, (int)RecordChange.Expired],
            _hub.Events(minor.RecordId).Select(e => e.EventType));
    }

    [Fact]
    public async Task ExpireDue_OpenObjection_KeptOpenAndExpiryNotedAfterTheAnswer()
    {
        // Expiry ends publication, not the finding: an open objection goes on and its answer decides.
        var record = await _hub.SubmitAsync(Severity.Minor, "2026-10-15");
        var filed = await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "事实有误" });

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2027, 2, 1)));
        Assert.Equal(0, await _hub.ExpireDueAsync());

        var disputed = await _hub.GetAsync(record.RecordId);
        Assert.Equal(RecordStatus.InDispute, disputed.Status);
        Assert.True(disputed.Standing.DisclosureEnded);
        Assert.False(disputed.Standing.Publishable);
        var answered = await _hub.Lifecycle("court").AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = filed.Objection.ObjectionId, ExpectedVersion = 2, Outcome = ObjectionState.Dismissed, Answer = "经复核，事实清楚。",
        });
        Assert.Equal(RecordStatus.Active, answered.Record.Status);
        await _hub.ExpireDueAsync(); // (or the background job, woken by the clock)

        var history = await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId });
        Assert.Equal(RecordStatus.Expired, history.Record.Status);
        Assert.Equal(ObjectionState.Dismissed, Assert.Single(history.Objections).State);
        Assert.Equal(
            [RecordChange.Submitted, RecordChange.ObjectionFiled, RecordChange.ObjectionAnswered, RecordChange.Expired],
            history.Versions.Select(v => v.Change));
    }

    [Fact]
    public async Task ExpiredRecord_StillOpenToObjectionCorrectionAndRevocation()
    {
        var record = await _hub.SubmitAsync(Severity.Minor, "2026-10-15");
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2027, 2, 1)));
        await _hub.ExpireDueAsync(); // the background job may have noted it already
        Assert.Equal(RecordStatus.Expired, (await _hub.GetAsync(record.RecordId)).Status);

        var corrected = await _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 2, Content = LifecycleKit.Corrected(record.Content), Reason = "文书更正",
        });
        var revoked = await _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 3, Reason = "判决撤销" });

        Assert.Equal(RecordStatus.Corrected, corrected.Record.Status);
        Assert.True(corrected.Record.Standing.InForce);
        Assert.Equal(RecordStatus.Revoked, revoked.Record.Status);
        Assert.False(revoked.Record.Standing.InForce);
        Assert.Equal(0, await _hub.ExpireDueAsync()); // revoked: nothing more to note
    }

    [Fact]
    public async Task ExpiryJob_ClockPassesMaximum_ExpiresWithoutBeingCalled()
    {
        var record = await _hub.SubmitAsync(Severity.Minor, "2026-10-15");

        // The job ticks hourly on the domain clock.
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2027, 1, 15)));
        _clock.Advance(TimeSpan.FromHours(1));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await _hub.GetAsync(record.RecordId)).Status != RecordStatus.Expired && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(RecordStatus.Expired, (await _hub.GetAsync(record.RecordId)).Status);
        Assert.Equal(2, _hub.Events(record.RecordId).Count);
    }

    [Fact]
    public async Task ApplyForRepair_BeforeMinimumPeriod_RefusedAndNothingChanges_AcceptedAfter()
    {
        var record = await _hub.SubmitAsync(Severity.General, "2026-10-01", "finance"); // repairable from 2027-01-01
        var drc = _hub.Lifecycle("drc");
        var apply = new ApplyForRepairRequest
        {
            RecordId = record.RecordId,
            ExpectedVersion = 1,
            ObligationsFulfilled = true,
            ObligationsEvidence = "已全额履行给付义务",
            CreditCommitment = "本单位承诺依法履约、诚实守信。",
        };

        var early = await Assert.ThrowsAsync<RpcException>(() => drc.ApplyForRepairAsync(apply).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, early.StatusCode);
        Assert.Equal("MINIMUM_PERIOD_NOT_SERVED", TestData.Reason(early));
        Assert.Equal(1, (await _hub.GetAsync(record.RecordId)).Version);
        Assert.Single(_hub.Events(record.RecordId));

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2027, 1, 1), 9));
        var applied = await drc.ApplyForRepairAsync(apply);
        Assert.Equal(RepairState.Pending, applied.Repair.State);
        Assert.Equal(RecordStatus.Active, applied.Record.Status);
        Assert.Equal(2, applied.Record.Version);

        var decided = await _hub.Lifecycle("finance").DecideRepairAsync(new DecideRepairRequest
        {
            RepairId = applied.Repair.RepairId,
            ExpectedVersion = 2,
            Decision = RepairState.Approved,
            Reason = "义务已履行，承诺已作出。",
        });

        Assert.Equal(RecordStatus.Repaired, decided.Record.Status);
        Assert.Equal(RepairState.Approved, decided.Repair.State);
        Assert.Equal("finance", decided.Repair.DecidedBy);
        Assert.Equal(
            [(int)RecordChange.Submitted, (int)RecordChange.RepairApplied, (int)RecordChange.RepairDecided],
            _hub.Events(record.RecordId).Select(e => e.EventType));
    }

    [Fact]
    public async Task ApplyForRepair_MinorRecord_RepairableAtOnceOnceObligationsMet()
    {
        var record = await _hub.SubmitAsync(Severity.Minor, "2026-11-20", "finance");
        var drc = _hub.Lifecycle("drc");
        var apply = new ApplyForRepairRequest { RecordId = record.RecordId, ExpectedVersion = 1, ObligationsFulfilled = false, CreditCommitment = "承诺守信" };

        var unfulfilled = await Assert.ThrowsAsync<RpcException>(() => drc.ApplyForRepairAsync(apply).ResponseAsync);
        apply.ObligationsFulfilled = true;
        apply.CreditCommitment = "";
        var noCommitment = await Assert.ThrowsAsync<RpcException>(() => drc.ApplyForRepairAsync(apply).ResponseAsync);
        apply.CreditCommitment = "承诺守信";
        var applied = await drc.ApplyForRepairAsync(apply);
        var again = await Assert.ThrowsAsync<RpcException>(() => drc.ApplyForRepairAsync(new ApplyForRepairRequest(apply) { ExpectedVersion = 2 }).ResponseAsync);
        var refused = await _hub.Lifecycle("finance").DecideRepairAsync(new DecideRepairRequest
        {
            RepairId = applied.Repair.RepairId,
            ExpectedVersion = 2,
            Decision = RepairState.Refused,
            Reason = "材料不全",
        });

        Assert.Equal("OBLIGATIONS_NOT_FULFILLED", TestData.Reason(unfulfilled));
        Assert.Equal("CREDIT_COMMITMENT_REQUIRED", TestData.Reason(noCommitment));
        Assert.Equal("REPAIR_ALREADY_PENDING", TestData.Reason(again));
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal(RecordStatus.Active, refused.Record.Status);
        Assert.Equal(RepairState.Refused, refused.Repair.State);
        Assert.Equal(3, refused.Record.Version);
    }

    [Fact]
    public async Task AnswerObjection_WithinFiveWorkingDays_NotOverdueAndRecordBackToActive()
    {
        var record = await _hub.SubmitAsync();
        var filed = await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "主体信息有误" });

        // Filed Thursday 2026-11-26: Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 December.
        Assert.Equal("2026-12-03", filed.Objection.AnswerDueDate);
        Assert.Equal(RecordStatus.InDispute, filed.Record.Status);
        Assert.False(filed.Objection.Overdue);

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 3), 17));
        Assert.Empty((await _hub.Lifecycle("drc").ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest())).Objections);
        var answered = await _hub.Lifecycle("court").AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = filed.Objection.ObjectionId,
            ExpectedVersion = 2,
            Outcome = ObjectionState.Dismissed,
            Answer = "经核查，记录无误。",
        });

        Assert.Equal(RecordStatus.Active, answered.Record.Status);
        Assert.Equal(3, answered.Record.Version);
        Assert.Equal(ObjectionState.Dismissed, answered.Objection.State);
        Assert.False(answered.Objection.Overdue);
        Assert.Equal("court", answered.Objection.AnsweredBy);
    }

    [Fact]
    public async Task ListOverdueObjections_PastDeadline_ListedAndFlaggedForEntitledAgenciesOnly()
    {
        var record = await _hub.SubmitAsync();
        var filed = await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "不服" });

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 4), 1));
        var drcList = await _hub.Lifecycle("drc").ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest());
        var courtList = await _hub.Lifecycle("court").ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest());
        var financeList = await _hub.Lifecycle("finance").ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest());

        var overdue = Assert.Single(drcList.Objections);
        Assert.Equal(filed.Objection.ObjectionId, overdue.ObjectionId);
        Assert.True(overdue.Overdue);
        Assert.Single(courtList.Objections);
        Assert.Empty(financeList.Objections);

        // A late answer is still accepted, and the objection leaves the list.
        await _hub.Lifecycle("court").AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = filed.Objection.ObjectionId,
            ExpectedVersion = 2,
            Outcome = ObjectionState.Revoked,
            Answer = "撤销。",
        });
        Assert.Empty((await _hub.Lifecycle("drc").ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest())).Objections);
        Assert.Equal(RecordStatus.Revoked, (await _hub.GetAsync(record.RecordId)).Status);
    }

    [Fact]
    public async Task ListOverdueObjections_Paged_EarliestDeadlineFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var record = await _hub.SubmitAsync();
            ids.Add((await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = $"异议{i}" })).Objection.ObjectionId);
            _clock.Advance(TimeSpan.FromDays(1));
        }

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2027, 1, 4)));
        var drc = _hub.Lifecycle("drc");
        var page1 = await drc.ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest { PageSize = 2 });
        var page2 = await drc.ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest { PageSize = 2, PageToken = page1.NextPageToken });

        Assert.Equal(ids, page1.Objections.Concat(page2.Objections).Select(o => o.ObjectionId));
        Assert.Empty(page2.NextPageToken);
    }

    [Fact]
    public async Task CorrectRecord_BySource_CorrectedWithFullHistoryAndRetrySafe()
    {
        var request = TestData.Submission(decisionDate: "2026-10-15");
        var record = (await _hub.Records("court").SubmitRecordAsync(request)).Record;
        var corrected = LifecycleKit.Corrected(record.Content);
        corrected.Severity = Severity.Serious;

        var response = await _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = record.RecordId,
            ExpectedVersion = 1,
            Content = corrected,
            Reason = "事实认定有误，予以更正。",
        });
        var history = await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId });
        var retry = await _hub.Records("court").SubmitRecordAsync(request);

        Assert.Equal(RecordStatus.Corrected, response.Record.Status);
        Assert.Equal(2, response.Record.Version);
        Assert.Equal(corrected, response.Record.Content);
        Assert.Equal("2029-10-15", response.Record.DisclosurePeriod.MaximumEndDate); // serious now
        Assert.Equal(response.Record, history.Record);
        Assert.Collection(
            history.Versions,
            v1 =>
            {
                Assert.Equal(1, v1.Version);
                Assert.Equal(RecordChange.Submitted, v1.Change);
                Assert.Equal(RecordStatus.Active, v1.Status);
                Assert.Equal(request.Record, v1.Content);
                Assert.Equal(record.ContentSha256, v1.ContentSha256);
            },
            v2 =>
            {
                Assert.Equal(2, v2.Version);
                Assert.Equal(RecordChange.Corrected, v2.Change);
                Assert.Equal(RecordStatus.Corrected, v2.Status);
                Assert.Equal("court", v2.AgencyId);
                Assert.Equal("事实认定有误，予以更正。", v2.Reason);
                Assert.Equal(corrected, v2.Content);
                Assert.Equal(LifecycleKit.Now, v2.ChangedAt.ToDateTimeOffset());
            });
        Assert.True(retry.Duplicate);
        Assert.Equal(record.RecordId, retry.Record.RecordId);
    }

    [Fact]
    public async Task AnswerObjection_Corrected_ContentReplacedInOneVersion()
    {
        var record = await _hub.SubmitAsync();
        var filed = await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "事实有误" });

        var answered = await _hub.Lifecycle("court").AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = filed.Objection.ObjectionId,
            ExpectedVersion = 2,
            Outcome = ObjectionState.Corrected,
            Answer = "异议成立，已更正。",
            CorrectedContent = LifecycleKit.Corrected(record.Content),
        });

        Assert.Equal(RecordStatus.Corrected, answered.Record.Status);
        Assert.Equal("更正后的事实。", answered.Record.Content.Facts);
        Assert.Equal(3, answered.Record.Version);
        Assert.Equal(
            [(int)RecordChange.Submitted, (int)RecordChange.ObjectionFiled, (int)RecordChange.ObjectionAnswered],
            _hub.Events(record.RecordId).Select(e => e.EventType));
    }

    [Fact]
    public async Task RevokeRecord_BySource_NoLongerActiveAndNoLongerChanges()
    {
        var record = await _hub.SubmitAsync();
        var code = record.Content.Subject.GovernmentBody.CreditCode;

        var revoked = await _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Reason = "原判决已被撤销。" });
        var active = await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest
        {
            Subject = new SubjectKey { CreditCode = code },
            Statuses = { RecordStatus.Active, RecordStatus.InDispute, RecordStatus.Corrected },
        });
        var objection = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 2, Grounds = "x" }).ResponseAsync);
        var again = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 2, Reason = "again" }).ResponseAsync);

        Assert.Equal(RecordStatus.Revoked, revoked.Record.Status);
        Assert.Empty(active.Records);
        Assert.Equal(StatusCode.FailedPrecondition, objection.StatusCode);
        Assert.Equal("RECORD_NOT_IN_FORCE", TestData.Reason(objection));
        Assert.Equal("RECORD_NOT_IN_FORCE", TestData.Reason(again));
        Assert.Equal(2, _hub.Events(record.RecordId).Count);
    }

    [Fact]
    public async Task CorrectRecord_WhileObjectionOpen_FailedPrecondition()
    {
        var record = await _hub.SubmitAsync();
        await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "异议" });

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = record.RecordId,
            ExpectedVersion = 2,
            Content = LifecycleKit.Corrected(record.Content),
            Reason = "更正",
        }).ResponseAsync);
        var second = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 2, Grounds = "再次异议" }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal("OBJECTION_OPEN", TestData.Reason(e));
        Assert.Equal("OBJECTION_ALREADY_OPEN", TestData.Reason(second));
    }

    [Fact]
    public async Task AnyChange_StaleExpectedVersion_AbortedAndNothingChanges()
    {
        var record = await _hub.SubmitAsync(Severity.Minor, "2026-10-15");
        await _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Content = LifecycleKit.Corrected(record.Content), Reason = "更正" });
        var eventsBefore = _hub.CountEvents();
        var before = await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId });

        var calls = new Func<Task>[]
        {
            () => _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "异议" }).ResponseAsync,
            () => _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Content = LifecycleKit.Corrected(record.Content, "又一次"), Reason = "更正" }).ResponseAsync,
            () => _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Reason = "撤销" }).ResponseAsync,
            () => _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest { RecordId = record.RecordId, ExpectedVersion = 3, ObligationsFulfilled = true, CreditCommitment = "承诺" }).ResponseAsync,
        };
        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.Aborted, e.StatusCode);
            Assert.Equal("VERSION_MISMATCH", TestData.Reason(e));
        }

        Assert.Equal(eventsBefore, _hub.CountEvents());
        Assert.Equal(before, await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId }));
    }

    [Fact]
    public async Task AnswerAndDecide_StaleExpectedVersion_Aborted()
    {
        var record = await _hub.SubmitAsync(Severity.Minor, "2026-10-15", "finance");
        var applied = await _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest { RecordId = record.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺" });

        var decide = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("finance").DecideRepairAsync(new DecideRepairRequest
        {
            RepairId = applied.Repair.RepairId,
            ExpectedVersion = 1,
            Decision = RepairState.Approved,
            Reason = "同意",
        }).ResponseAsync);

        Assert.Equal(StatusCode.Aborted, decide.StatusCode);
        Assert.Equal(RecordStatus.Active, (await _hub.GetAsync(record.RecordId)).Status);
    }

    [Fact]
    public async Task CorrectRecord_ConcurrentAgainstSameVersion_ExactlyOneWins()
    {
        var record = await _hub.SubmitAsync();
        var court = _hub.Lifecycle("court");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                await court.CorrectRecordAsync(new CorrectRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Content = LifecycleKit.Corrected(record.Content, $"更正{i}"), Reason = "更正" });
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }));

        Assert.Single(attempts, s => s == StatusCode.OK);
        Assert.All(attempts.Where(s => s != StatusCode.OK), s => Assert.Equal(StatusCode.Aborted, s));
        Assert.Equal(2, (await _hub.GetAsync(record.RecordId)).Version);
        Assert.Equal(2, _hub.Events(record.RecordId).Count);
    }

    public static TheoryData<string, string, StatusCode, string> WrongAgency => new()
    {
        // operation, agency, status, reason
        { "file-objection", "court", StatusCode.PermissionDenied, "NOT_SUBJECT_REPRESENTATIVE" },
        { "file-objection", "organization", StatusCode.PermissionDenied, "NOT_SUBJECT_REPRESENTATIVE" },
        { "file-objection", "finance", StatusCode.PermissionDenied, "NOT_SUBJECT_REPRESENTATIVE" },
        { "apply-repair", "court", StatusCode.PermissionDenied, "NOT_SUBJECT_REPRESENTATIVE" },
        { "apply-repair", "hrss", StatusCode.PermissionDenied, "NOT_SUBJECT_REPRESENTATIVE" },
        { "correct", "drc", StatusCode.PermissionDenied, "NOT_SOURCE_AGENCY" },
        { "correct", "organization", StatusCode.PermissionDenied, "NOT_SOURCE_AGENCY" },
        { "correct", "procuratorate", StatusCode.NotFound, "RECORD_NOT_FOUND" },
        { "revoke", "drc", StatusCode.PermissionDenied, "NOT_SOURCE_AGENCY" },
        { "revoke", "hrss", StatusCode.PermissionDenied, "NOT_SOURCE_AGENCY" },
        { "revoke", "finance", StatusCode.NotFound, "RECORD_NOT_FOUND" },
        { "answer-objection", "drc", StatusCode.PermissionDenied, "NOT_SOURCE_AGENCY" },
        { "answer-objection", "supervision", StatusCode.NotFound, "OBJECTION_NOT_FOUND" },
        { "decide-repair", "drc", StatusCode.PermissionDenied, "NOT_SOURCE_AGENCY" },
        { "decide-repair", "organization", StatusCode.PermissionDenied, "NOT_SOURCE_AGENCY" },
        { "decide-repair", "commerce", StatusCode.NotFound, "REPAIR_NOT_FOUND" },
        { "history", "finance", StatusCode.NotFound, "RECORD_NOT_FOUND" },
    };

    [Theory]
    [MemberData(nameof(WrongAgency))]
    public async Task AnyOperation_WrongAgency_RefusedAndNothingChanges(string operation, string agency, StatusCode status, string reason)
    {
        // A court record with an open objection (version 2) and a finance record with a pending repair (version 2).
        var disputed = await _hub.SubmitAsync(Severity.Minor, "2026-10-15");
        var objection = await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = disputed.RecordId, ExpectedVersion = 1, Grounds = "异议" });
        var repairable = await _hub.SubmitAsync(Severity.Minor, "2026-10-15", "finance");
        var repair = await _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest { RecordId = repairable.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺" });
        var plain = await _hub.SubmitAsync(Severity.Minor, "2026-10-15");
        var eventsBefore = _hub.CountEvents();
        var client = _hub.Lifecycle(agency);

        Func<Task> call = operation switch
        {
            "file-objection" => () => client.FileObjectionAsync(new FileObjectionRequest { RecordId = plain.RecordId, ExpectedVersion = 1, Grounds = "异议" }).ResponseAsync,
            "apply-repair" => () => client.ApplyForRepairAsync(new ApplyForRepairRequest { RecordId = plain.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺" }).ResponseAsync,
            "correct" => () => client.CorrectRecordAsync(new CorrectRecordRequest { RecordId = plain.RecordId, ExpectedVersion = 1, Content = LifecycleKit.Corrected(plain.Content), Reason = "更正" }).ResponseAsync,
            "revoke" => () => client.RevokeRecordAsync(new RevokeRecordRequest { RecordId = plain.RecordId, ExpectedVersion = 1, Reason = "撤销" }).ResponseAsync,
            "answer-objection" => () => client.AnswerObjectionAsync(new AnswerObjectionRequest { ObjectionId = objection.Objection.ObjectionId, ExpectedVersion = 2, Outcome = ObjectionState.Dismissed, Answer = "驳回" }).ResponseAsync,
            "decide-repair" => () => client.DecideRepairAsync(new DecideRepairRequest { RepairId = repair.Repair.RepairId, ExpectedVersion = 2, Decision = RepairState.Approved, Reason = "同意" }).ResponseAsync,
            "history" => () => client.GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = plain.RecordId }).ResponseAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        var e = await Assert.ThrowsAsync<RpcException>(call);

        Assert.Equal(status, e.StatusCode);
        Assert.Equal(reason, TestData.Reason(e));
        Assert.Equal(eventsBefore, _hub.CountEvents());
        Assert.Equal(RecordStatus.InDispute, (await _hub.GetAsync(disputed.RecordId)).Status);
        Assert.Equal(2, (await _hub.GetAsync(repairable.RecordId)).Version);
        Assert.Equal(1, (await _hub.GetAsync(plain.RecordId)).Version);
    }

    [Fact]
    public async Task CorrectRecord_ContentOutsideCompetence_PermissionDenied()
    {
        var record = await _hub.SubmitAsync();
        var corrected = LifecycleKit.Corrected(record.Content);
        corrected.Category = Category.DisciplinarySanction;

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = record.RecordId,
            ExpectedVersion = 1,
            Content = corrected,
            Reason = "更正",
        }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("CATEGORY_NOT_IN_COMPETENCE", TestData.Reason(e));
        Assert.Single(_hub.Events(record.RecordId));
    }

    [Fact]
    public async Task EveryChange_WritesExactlyOneEventInGlobalOrder()
    {
        // Finance's administrative penalties: credit repair reaches them.
        var a = await _hub.SubmitAsync(Severity.Minor, "2026-10-15", "finance");
        var b = await _hub.SubmitAsync(Severity.General, "2026-10-15", "finance");
        var drc = _hub.Lifecycle("drc");
        var court = _hub.Lifecycle("finance");
        var objection = await drc.FileObjectionAsync(new FileObjectionRequest { RecordId = a.RecordId, ExpectedVersion = 1, Grounds = "异议" });
        await court.CorrectRecordAsync(new CorrectRecordRequest { RecordId = b.RecordId, ExpectedVersion = 1, Content = LifecycleKit.Corrected(b.Content), Reason = "更正" });
        await court.AnswerObjectionAsync(new AnswerObjectionRequest { ObjectionId = objection.Objection.ObjectionId, ExpectedVersion = 2, Outcome = ObjectionState.Dismissed, Answer = "驳回" });
        var repair = await drc.ApplyForRepairAsync(new ApplyForRepairRequest { RecordId = a.RecordId, ExpectedVersion = 3, ObligationsFulfilled = true, CreditCommitment = "承诺" });
        await court.DecideRepairAsync(new DecideRepairRequest { RepairId = repair.Repair.RepairId, ExpectedVersion = 4, Decision = RepairState.Refused, Reason = "不同意" });
        await court.RevokeRecordAsync(new RevokeRecordRequest { RecordId = b.RecordId, ExpectedVersion = 2, Reason = "撤销" });
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2027, 1, 15)));
        await _hub.ExpireDueAsync();

        var events = _hub.Query(db => db.RecordEvents.OrderBy(e => e.Sequence).ToList());
        var versions = _hub.Query(db => db.RecordVersions.ToList());

        Assert.Equal(
            [
                (a.RecordId, 1L, RecordChange.Submitted),
                (b.RecordId, 1L, RecordChange.Submitted),
                (a.RecordId, 2L, RecordChange.ObjectionFiled),
                (b.RecordId, 2L, RecordChange.Corrected),
                (a.RecordId, 3L, RecordChange.ObjectionAnswered),
                (a.RecordId, 4L, RecordChange.RepairApplied),
                (a.RecordId, 5L, RecordChange.RepairDecided),
                (b.RecordId, 3L, RecordChange.Revoked),
                (a.RecordId, 6L, RecordChange.Expired),
            ],
            events.Select(e => (e.RecordId.ToString(), e.Version, (RecordChange)e.EventType)));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
        Assert.Equal(
            versions.Select(v => (v.RecordId, v.Version, v.Change, v.Status)).Order(),
            events.Select(e => (e.RecordId, e.Version, e.EventType, e.Status)).Order());
    }
}
