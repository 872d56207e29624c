using System.Diagnostics;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Records;
using CreditExchange.Tests.Hub;
using Microsoft.Extensions.DependencyInjection;
using CreditExchange.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using static CreditExchange.Tests.Appraisal.AppraisalTestData;
using RecordStatus = CreditExchange.Contracts.Records.V1.RecordStatus;

namespace CreditExchange.Tests.Appraisal;

/// <summary>Appraisal checks over real Kestrel, real mTLS and real PostgreSQL.</summary>
[Collection("postgres")]
public sealed class AppraisalServiceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly DateOnly Today = ChinaCalendar.Today(TimeProvider.System);

    private readonly List<string> _files = [];
    private HubHost _hub = null!;
    private string _database = null!;

    public async Task InitializeAsync() => _hub = await StartAsync(StandardRules());

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _files.ForEach(File.Delete);
    }

    [Fact]
    public async Task CheckCandidate_NoRecord_Priority()
    {
        var response = await Check(TestData.NewCreditCode());

        Assert.Equal(Decision.Priority, response.Result.Decision);
        Assert.Empty(response.Result.DecidingRecords);
        Assert.False(response.Result.ObjectionPending);
        Assert.Equal("test-1", response.Rules.RuleSetVersion);
        Assert.Equal(Iso(Today), response.Rules.CheckDate);
        Assert.Equal(Iso(Today.AddMonths(-36)), response.Rules.LookBackStartDate);
    }

    [Fact]
    public async Task CheckCandidate_OnlyRecordsThatDoNotDisqualify_Eligible()
    {
        var subject = Body();
        await SubmitAsync(_hub, Record(subject, Category.JudicialJudgment, Severity.Minor, Today.AddDays(-20)));
        await SubmitAsync(_hub, Record(subject, Category.BreachOfCommitment, Severity.General, Today.AddDays(-10)));

        var response = await Check(subject.GovernmentBody.CreditCode);

        Assert.Equal(Decision.Eligible, response.Result.Decision);
        Assert.Empty(response.Result.DecidingRecords);
    }

    [Fact]
    public async Task CheckCandidate_DisqualifyingRecords_IneligibleWithDecidingRecords()
    {
        var person = TestData.CivilServantSubject();
        var sanction = await SubmitAsync(_hub, Record(person, Category.DisciplinarySanction, Severity.Minor, Today.AddDays(-100)));
        var judgment = await SubmitAsync(_hub, Record(person, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-5)));
        await SubmitAsync(_hub, Record(person, Category.JudicialJudgment, Severity.Minor, Today.AddDays(-1)));
        await SubmitAsync(_hub, Record(person, Category.JudicialJudgment, Severity.Serious, Today.AddMonths(-37))); // outside the window

        // A lowercase check character is the same subject.
        var response = await Check(residentId: person.CivilServant.ResidentId.ToLowerInvariant());

        Assert.Equal(Decision.Ineligible, response.Result.Decision);
        Assert.Equal([judgment, sanction], response.Result.DecidingRecords.Select(r => r.RecordId));
        var first = response.Result.DecidingRecords[0];
        Assert.Equal(("court", Category.JudicialJudgment, Severity.Serious, Iso(Today.AddDays(-5)), RecordStatus.Active), (first.AgencyId, first.Category, first.Severity, first.DecisionDate, first.Status));
        Assert.Equal(person.CivilServant.ResidentId.ToUpperInvariant(), response.Result.Subject.ResidentId);
        Assert.False(response.Result.ObjectionPending);
    }

    [Fact]
    public async Task CheckCandidate_RecordOutsideLookBackWindow_Priority()
    {
        var subject = Body();
        await SubmitAsync(_hub, Record(subject, Category.JudicialJudgment, Severity.Serious, Today.AddMonths(-36).AddDays(-1)));

        var response = await Check(subject.GovernmentBody.CreditCode);

        Assert.Equal(Decision.Priority, response.Result.Decision);
    }

    [Theory]
    [InlineData(RecordStatus.Revoked, Decision.Priority)]     // treated as never made
    [InlineData(RecordStatus.Corrected, Decision.Ineligible)] // the record at its new version
    [InlineData(RecordStatus.Repaired, Decision.Priority)]    // repair stops its use
    [InlineData(RecordStatus.InDispute, Decision.Ineligible)]
    [InlineData(RecordStatus.Active, Decision.Ineligible)]
    public async Task CheckCandidate_LifecycleState_Honoured(RecordStatus status, Decision expected)
    {
        var subject = Body();
        // A serious breach of a credit commitment (which credit repair reaches), repairable once its year is served.
        var id = await SubmitAsync(_hub, Record(subject, Category.BreachOfCommitment, Severity.Serious, Today.AddDays(-400)));
        Assert.Equal(status, (await DriveToAsync(_hub, id, status)).Status);

        var response = await Check(subject.GovernmentBody.CreditCode);

        Assert.Equal(expected, response.Result.Decision);
    }

    [Fact]
    public async Task CheckCandidate_ObjectionPendingOnDecidingRecord_Reported()
    {
        var disputed = Body();
        var id = await SubmitAsync(_hub, Record(disputed, Category.JudicialJudgment, Severity.General, Today.AddDays(-30)));
        await SubmitAsync(_hub, Record(disputed, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-60)));
        await DriveToAsync(_hub, id, RecordStatus.InDispute);
        var undisputed = Body();
        await SubmitAsync(_hub, Record(undisputed, Category.JudicialJudgment, Severity.General, Today.AddDays(-30)));

        var pending = await Check(disputed.GovernmentBody.CreditCode);
        var none = await Check(undisputed.GovernmentBody.CreditCode);

        Assert.Equal(Decision.Ineligible, pending.Result.Decision);
        Assert.True(pending.Result.ObjectionPending);
        Assert.Equal(RecordStatus.InDispute, pending.Result.DecidingRecords.Single(r => r.RecordId == id).Status);
        Assert.Equal(2, pending.Result.DecidingRecords.Count);
        Assert.False(none.Result.ObjectionPending);
    }

    [Fact]
    public async Task CheckCandidate_MoreDecidingRecordsThanListed_NewestListedAllCounted_OnlyListedRecordedAndReceived()
    {
        // A subject with more disqualifying records than an answer lists (a county body accumulates thousands, issue 24).
        var listed = CreditExchange.Domain.Appraisal.AppraisalDecider.MaxListedDecidingRecords;
        var subject = Body();
        var records = Enumerable.Range(0, listed + 5)
            .Select(i => Record(subject, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-1 - i)))
            .ToList();
        var ids = await SubmitAllAsync(_hub, records);
        var newestFirst = records.Select(r => ids[r.SourceRecordId]).ToList();
        await DriveToAsync(_hub, newestFirst[^1], RecordStatus.InDispute); // an objection on the oldest, which no answer lists
        var organization = new AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("organization"));

        var response = await Check(subject.GovernmentBody.CreditCode, client: organization);

        Assert.Equal(20, listed); // as the contract says
        Assert.Equal(Decision.Ineligible, response.Result.Decision);
        Assert.Equal(newestFirst.Take(listed), response.Result.DecidingRecords.Select(r => r.RecordId));
        Assert.Equal(listed + 5, response.Result.DecidingRecordCount);
        Assert.True(response.Result.ObjectionPending);

        // The check's audit row names the listed records, and the agency received those and no other.
        var checkId = Guid.Parse(response.CheckId);
        var candidate = await WithDbAsync(_hub, db => db.AppraisalCandidates.SingleAsync(c => c.CheckId == checkId));
        Assert.Equal(string.Join(',', newestFirst.Take(listed)), candidate.DecidingRecordIds);
        var received = await WithDbAsync(_hub, db => db.RecordDeliveries.Where(d => d.AgencyId == "organization").Select(d => d.RecordId).ToListAsync());
        Assert.Equal(newestFirst.Take(listed).Order(), received.Select(id => id.ToString()).Order());

        // So a change reaches it for a listed record, not for an unlisted one (GetChangeReach).
        var court = new Contracts.Lifecycle.V1.LifecycleService.LifecycleServiceClient(_hub.AgencyChannel("court"));
        foreach (var id in new[] { newestFirst[0], newestFirst[listed] })
        {
            await court.RevokeRecordAsync(new Contracts.Lifecycle.V1.RevokeRecordRequest { RecordId = id, ExpectedVersion = 1, Reason = "原决定已撤销" });
        }

        await CreditExchange.Tests.Feed.FeedKit.PublishAsync(_hub);
        var audit = new Contracts.Audit.V1.AuditService.AuditServiceClient(_hub.AgencyChannel("drc"));
        var listedReach = await audit.GetChangeReachAsync(new Contracts.Audit.V1.GetChangeReachRequest { RecordId = newestFirst[0], Version = 2 });
        var unlistedReach = await audit.GetChangeReachAsync(new Contracts.Audit.V1.GetChangeReachRequest { RecordId = newestFirst[listed], Version = 2 });
        Assert.Equal("organization", Assert.Single(listedReach.Recipients).AgencyId);
        Assert.Empty(unlistedReach.Recipients);
    }

    [Fact]
    public async Task CheckCandidates_ListsMoreRecordsThanAnEntryNames_EntryBounded_EveryListedRecordReceivedAndReached()
    {
        // 501 candidates of 20 listed records each: 10,020 records received, more than an audit entry names (10,000).
        var listed = CreditExchange.Domain.Appraisal.AppraisalDecider.MaxListedDecidingRecords;
        var subjects = Enumerable.Range(0, 501).Select(_ => Body()).ToList();
        var records = subjects
            .SelectMany(subject => Enumerable.Range(0, listed).Select(i => Record(subject, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-1 - i))))
            .ToList();
        var ids = await SubmitAllAsync(_hub, records);
        var organization = new AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("organization"));

        var response = await organization.CheckCandidatesAsync(new CheckCandidatesRequest { Purpose = Purpose(AppraisalType.Honors), Subjects = { subjects.Select(KeyOf) } });

        Assert.All(response.Results, r => Assert.Equal(listed, r.DecidingRecords.Count));
        var received = await WithDbAsync(_hub, db => db.RecordDeliveries.CountAsync(d => d.AgencyId == "organization"));
        Assert.Equal(records.Count, received);

        // The check's entry names as many as an entry holds (the candidates' subjects first, then the records in the
        // answer's order); the candidates keep every listed record.
        var audit = new Contracts.Audit.V1.AuditService.AuditServiceClient(_hub.AgencyChannel("drc"));
        var entry = (await audit.ListAuditEntriesAsync(new Contracts.Audit.V1.ListAuditEntriesRequest { AgencyId = "organization" })).Entries
            .Single(e => e.Method.EndsWith("/CheckCandidates", StringComparison.Ordinal));
        Assert.Equal(10_000, entry.RecordIds.Count + entry.SubjectHashes.Count);
        var inAnswerOrder = response.Results.SelectMany(r => r.DecidingRecords).Select(r => r.RecordId).ToList();
        Assert.Equal(inAnswerOrder.Take(entry.RecordIds.Count).Order(StringComparer.Ordinal), entry.RecordIds);
        var candidates = await WithDbAsync(_hub, db => db.AppraisalCandidates.Where(c => c.CheckId == Guid.Parse(response.CheckId)).Select(c => c.DecidingRecordIds).ToListAsync());
        Assert.Equal(records.Count, candidates.Sum(c => c.Split(',').Length));

        // A change to the last record listed, which the entry does not name, still reaches the agency.
        var last = inAnswerOrder[^1];
        Assert.DoesNotContain(last, entry.RecordIds);
        var court = new Contracts.Lifecycle.V1.LifecycleService.LifecycleServiceClient(_hub.AgencyChannel("court"));
        await court.RevokeRecordAsync(new Contracts.Lifecycle.V1.RevokeRecordRequest { RecordId = last, ExpectedVersion = 1, Reason = "原决定已撤销" });
        await CreditExchange.Tests.Feed.FeedKit.PublishAsync(_hub);
        var reach = await audit.GetChangeReachAsync(new Contracts.Audit.V1.GetChangeReachRequest { RecordId = last, Version = 2 });
        Assert.Equal("organization", Assert.Single(reach.Recipients).AgencyId);
        Assert.Contains(last, ids.Values);
    }

    [Fact]
    public async Task CheckCandidate_AppraisalTypes_DecidedByTheirOwnRule()
    {
        var subject = Body();
        await SubmitAsync(_hub, Record(subject, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-30)));

        var honors = await Check(subject.GovernmentBody.CreditCode, type: AppraisalType.Honors);
        var promotion = await Check(subject.GovernmentBody.CreditCode, type: AppraisalType.Promotion);

        Assert.Equal(Decision.Ineligible, honors.Result.Decision);
        Assert.Equal(Decision.Eligible, promotion.Result.Decision); // promotion is disqualified by sanctions only
    }

    [Fact]
    public async Task CheckCandidate_TwoRuleVersions_TheOneInForceApplies()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var today = ChinaCalendar.Today(time);
        var later = today.AddDays(30);
        await _hub.DisposeAsync();
        _hub = await StartAsync(
            $$"""{"ruleSets": [{{RuleSet("2000-strict", "2000-01-01", "General")}}, {{RuleSet("next-lenient", Iso(later), "Serious")}}]}""",
            time);
        var subject = Body();
        await SubmitAsync(_hub, Record(subject, Category.JudicialJudgment, Severity.General, today.AddDays(-10)));

        var before = await Check(subject.GovernmentBody.CreditCode, client: FreshTokenClient());
        time.Advance(TimeSpan.FromDays(30));
        var after = await Check(subject.GovernmentBody.CreditCode, client: FreshTokenClient());

        Assert.Equal(("2000-strict", "2000-01-01", Decision.Ineligible), (before.Rules.RuleSetVersion, before.Rules.EffectiveDate, before.Result.Decision));
        Assert.Equal(("next-lenient", Iso(later), Decision.Eligible), (after.Rules.RuleSetVersion, after.Rules.EffectiveDate, after.Result.Decision));
        var versions = await WithDbAsync(_hub, db => db.AppraisalChecks.OrderBy(c => c.CheckedAt).Select(c => c.RuleSetVersion).ToListAsync());
        Assert.Equal(["2000-strict", "next-lenient"], versions);
    }

    [Fact]
    public async Task CheckCandidate_NoRuleSetInForceYet_FailedPrecondition()
    {
        await _hub.DisposeAsync();
        _hub = await StartAsync(StandardRules(effectiveFrom: Iso(Today.AddYears(1))));

        var e = await Assert.ThrowsAsync<RpcException>(() => Check(TestData.NewCreditCode()));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal("NO_RULE_SET_IN_FORCE", TestData.Reason(e));
    }

    [Fact]
    public async Task CheckCandidates_GeneratedData_BatchAnswersEqualSingleAnswers()
    {
        var random = new Random(20261126);
        var subjects = Enumerable.Range(0, 40)
            .Select(i => i % 2 == 0 ? Body(random.Next(2) == 0 ? "150102" : "152201") : TestData.CivilServantSubject())
            .ToList();
        Category[] categories = [Category.JudicialJudgment, Category.DisciplinarySanction, Category.AccountabilityAction, Category.BreachOfCommitment, Category.ProcuratorialOutcome];
        var records = new List<SubmitRecordRequest>();
        foreach (var subject in subjects)
        {
            for (var n = random.Next(4); n > 0; n--)
            {
                var decided = Today.AddDays(-random.Next(0, 365 * 4));
                records.Add(Record(subject, categories[random.Next(categories.Length)], (Severity)random.Next(1, 4), decided));
            }
        }

        var ids = await SubmitAllAsync(_hub, records);
        RecordStatus[] statuses = [RecordStatus.InDispute, RecordStatus.Revoked, RecordStatus.Repaired, RecordStatus.Corrected];
        foreach (var request in records.Where(_ => random.Next(4) == 0))
        {
            var status = statuses[random.Next(statuses.Length)];
            var minimumMonths = request.Record.Severity switch { Severity.Minor => 0, Severity.General => 3, _ => 12 };
            if (status == RecordStatus.Repaired && DateOnly.Parse(request.Record.DecisionDate, System.Globalization.CultureInfo.InvariantCulture) > Today.AddMonths(-minimumMonths))
            {
                status = RecordStatus.Corrected; // not repairable yet
            }

            if (status == RecordStatus.Repaired && request.Record.Category is not (Category.AdministrativePenalty or Category.BreachOfCommitment))
            {
                status = RecordStatus.Revoked; // credit repair does not reach it
            }

            await DriveToAsync(_hub, ids[request.SourceRecordId], status);
        }

        // Duplicates and subjects never recorded belong in the list too.
        var keys = subjects.Select(KeyOf).Concat([KeyOf(subjects[3]), new SubjectKey { CreditCode = TestData.NewCreditCode() }]).ToList();
        var decisions = new HashSet<Decision>();
        foreach (var type in new[] { AppraisalType.Honors, AppraisalType.Promotion })
        {
            var batch = await Client().CheckCandidatesAsync(new CheckCandidatesRequest { Purpose = Purpose(type), Subjects = { keys } });

            Assert.Equal(keys.Count, batch.Results.Count);
            for (var i = 0; i < keys.Count; i++)
            {
                var single = await Client().CheckCandidateAsync(new CheckCandidateRequest { Purpose = Purpose(type), Subject = keys[i] });
                var expected = single.Result.Clone();
                expected.Index = i;
                Assert.Equal(expected, batch.Results[i]);
                decisions.Add(single.Result.Decision);
            }

            Assert.Equal(
                (batch.IneligibleCount, batch.EligibleCount, batch.PriorityCount),
                (batch.Results.Count(r => r.Decision == Decision.Ineligible), batch.Results.Count(r => r.Decision == Decision.Eligible), batch.Results.Count(r => r.Decision == Decision.Priority)));
        }

        // The generated data exercises every kind of answer, or the comparison proves little.
        Assert.Equal(3, decisions.Count);

        // Records past their disclosure period are expired from publication by the dates already; the
        // sweep only notes it. No answer changes when it runs.
        var before = await Client().CheckCandidatesAsync(new CheckCandidatesRequest { Purpose = Purpose(AppraisalType.Honors), Subjects = { keys } });
        Assert.True(await _hub.Services.GetRequiredService<CreditExchange.Server.Lifecycle.ExpirySweeper>().ExpireDueAsync() > 0);
        var after = await Client().CheckCandidatesAsync(new CheckCandidatesRequest { Purpose = Purpose(AppraisalType.Honors), Subjects = { keys } });
        Assert.Equal(before.Results.Select(Summary), after.Results.Select(Summary));
    }

    /// <summary>A candidate's answer without the deciding records' states (EXPIRED is noted by the sweep).</summary>
    private static string Summary(CandidateResult r) =>
        $"{r.Index}:{r.Decision}:{r.ObjectionPending}:{string.Join(",", r.DecidingRecords.Select(d => d.RecordId))}";

    [Fact]
    public async Task CheckCandidates_TenThousand_AcceptedWithinDefaultMessageSizeAndAudited()
    {
        var disqualified = Body();
        await SubmitAsync(_hub, Record(disqualified, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-3)));
        var request = new CheckCandidatesRequest { Purpose = Purpose(AppraisalType.IntegrityRating, "内政评〔2026〕1号") };
        request.Subjects.Add(KeyOf(disqualified));
        request.Subjects.AddRange(Enumerable.Range(1, 9_999).Select(_ => new SubjectKey { CreditCode = TestData.NewCreditCode() }));

        var response = await Client().CheckCandidatesAsync(request);

        Assert.True(request.CalculateSize() < 4 * 1024 * 1024, $"request is {request.CalculateSize()} bytes");
        Assert.Equal(10_000, response.Results.Count);
        Assert.Equal((1, 0, 9_999), (response.IneligibleCount, response.EligibleCount, response.PriorityCount));
        Assert.Equal(Decision.Ineligible, response.Results[0].Decision);
        Assert.Equal(Enumerable.Range(0, 10_000), response.Results.Select(r => r.Index));
        var checkId = Guid.Parse(response.CheckId);
        var check = await WithDbAsync(_hub, db => db.AppraisalChecks.SingleAsync(c => c.Id == checkId));
        var candidates = await WithDbAsync(_hub, db => db.AppraisalCandidates.CountAsync(c => c.CheckId == checkId));
        Assert.Equal(("drc", "内政评〔2026〕1号", (int)AppraisalType.IntegrityRating, "test-1", 10_000, 1), (check.AgencyId, Open(check.CaseReference), check.AppraisalType, check.RuleSetVersion, check.CandidateCount, check.IneligibleCount));
        Assert.Equal(10_000, candidates);
        var first = await WithDbAsync(_hub, db => db.AppraisalCandidates.SingleAsync(c => c.CheckId == checkId && c.Index == 0));
        var last = await WithDbAsync(_hub, db => db.AppraisalCandidates.SingleAsync(c => c.CheckId == checkId && c.Index == 9_999));
        Assert.Equal(((int)Decision.Ineligible, response.Results[0].DecidingRecords.Single().RecordId), (first.Decision, first.DecidingRecordIds));
        Assert.Equal(((int)Decision.Priority, "", request.Subjects[9_999].CreditCode), (last.Decision, last.DecidingRecordIds, last.SubjectKey));
    }

    [Fact]
    public async Task CheckCandidates_ThreeThousandCandidates_ReadWithOneQueryPerThousand()
    {
        var subjects = Enumerable.Range(0, 3).Select(_ => Body()).ToList();
        await SubmitAllAsync(_hub, subjects.Select(s => Record(s, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-3))));
        var request = new CheckCandidatesRequest { Purpose = Purpose(AppraisalType.Honors) };
        request.Subjects.AddRange(Enumerable.Range(0, 3_000).Select(i => i % 1000 == 0 ? KeyOf(subjects[i / 1000]) : new SubjectKey { CreditCode = TestData.NewCreditCode() }));
        using var counter = new RecordQueryCounter(_database);

        var response = await Client().CheckCandidatesAsync(request);

        Assert.Equal(3, response.IneligibleCount);
        Assert.Equal(3_000 / Storage.AppraisalStore.KeysPerQuery, counter.Count);
    }

    [Fact]
    public async Task CheckCandidates_SubjectAtEitherSideOfASlice_DecidedAlikeWhereverItStands()
    {
        // A check reads and decides its candidates a slice (KeysPerQuery) at a time: the last of one slice, the first of
        // the next and the same subject again in a later slice are each decided from all of its records.
        var subject = Body();
        await SubmitAllAsync(_hub, [Record(subject, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-3)), Record(subject, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-5))]);
        var slice = Storage.AppraisalStore.KeysPerQuery;
        int[] positions = [slice - 1, slice, 2 * slice + 7];
        var request = new CheckCandidatesRequest { Purpose = Purpose(AppraisalType.Honors) };
        request.Subjects.AddRange(Enumerable.Range(0, 2 * slice + 10).Select(i => positions.Contains(i) ? KeyOf(subject) : new SubjectKey { CreditCode = TestData.NewCreditCode() }));

        var response = await Client().CheckCandidatesAsync(request);

        Assert.Equal(positions, response.Results.Where(r => r.Decision == Decision.Ineligible).Select(r => r.Index));
        Assert.All(positions, i => Assert.Equal(2, response.Results[i].DecidingRecordCount));
        Assert.Equal(positions.Length, response.IneligibleCount);
    }

    [Fact]
    public async Task CheckCandidates_TenThousandAndOne_InvalidArgumentAndNothingRecorded()
    {
        var request = new CheckCandidatesRequest { Purpose = Purpose(AppraisalType.Honors) };
        request.Subjects.AddRange(Enumerable.Range(0, 10_001).Select(_ => new SubjectKey { CreditCode = TestData.NewCreditCode() }));

        var e = await Assert.ThrowsAsync<RpcException>(() => Client().CheckCandidatesAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("subjects", TestData.ViolatedFields(e));
        Assert.Equal(0, await WithDbAsync(_hub, db => db.AppraisalChecks.CountAsync()));
    }

    [Fact]
    public async Task CheckCandidates_EmptyListOrBadKeys_InvalidArgumentNamingEachBadSubject()
    {
        var empty = new CheckCandidatesRequest { Purpose = Purpose(AppraisalType.Honors) };
        var bad = new CheckCandidatesRequest
        {
            Purpose = Purpose(AppraisalType.Honors),
            Subjects =
            {
                new SubjectKey { CreditCode = TestData.NewCreditCode() },
                new SubjectKey { CreditCode = "91110108551385082F" },   // wrong check character
                new SubjectKey { ResidentId = "36042619910102009X" },   // wrong check character
                new SubjectKey { ResidentId = "12345" },                // wrong shape
                new SubjectKey(),                                       // no key
            },
        };

        var e1 = await Assert.ThrowsAsync<RpcException>(() => Client().CheckCandidatesAsync(empty).ResponseAsync);
        var e2 = await Assert.ThrowsAsync<RpcException>(() => Client().CheckCandidatesAsync(bad).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e1.StatusCode);
        Assert.Contains("subjects", TestData.ViolatedFields(e1));
        Assert.Equal(StatusCode.InvalidArgument, e2.StatusCode);
        Assert.Equal(["subjects[1].credit_code", "subjects[2].resident_id", "subjects[3].resident_id", "subjects[4].key"], TestData.ViolatedFields(e2).Distinct().Order());
    }

    [Fact]
    public async Task CheckCandidates_ManyBadKeys_ViolationListCapped()
    {
        var request = new CheckCandidatesRequest { Purpose = Purpose(AppraisalType.Honors) };
        request.Subjects.AddRange(Enumerable.Range(0, 5_000).Select(_ => new SubjectKey { CreditCode = "91110108551385082F" }));

        var e = await Assert.ThrowsAsync<RpcException>(() => Client().CheckCandidatesAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(100, TestData.ViolatedFields(e).Count);
    }

    [Theory]
    [InlineData(false, "x", AppraisalType.Honors, "purpose")]
    [InlineData(true, "", AppraisalType.Honors, "purpose.case_reference")]
    [InlineData(true, "bad\nref", AppraisalType.Honors, "purpose.case_reference")]
    [InlineData(true, "x", AppraisalType.Unspecified, "purpose.appraisal_type")]
    [InlineData(true, "x", (AppraisalType)42, "purpose.appraisal_type")]
    public async Task Check_MissingOrIncompletePurpose_InvalidArgument(bool withPurpose, string caseReference, AppraisalType type, string field)
    {
        var single = new CheckCandidateRequest { Subject = new SubjectKey { CreditCode = TestData.NewCreditCode() } };
        var batch = new CheckCandidatesRequest { Subjects = { single.Subject } };
        if (withPurpose)
        {
            single.Purpose = new Purpose { AppraisalType = type, CaseReference = caseReference };
            batch.Purpose = single.Purpose;
        }

        var e1 = await Assert.ThrowsAsync<RpcException>(() => Client().CheckCandidateAsync(single).ResponseAsync);
        var e2 = await Assert.ThrowsAsync<RpcException>(() => Client().CheckCandidatesAsync(batch).ResponseAsync);

        foreach (var e in new[] { e1, e2 })
        {
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Equal("INVALID_REQUEST", TestData.Reason(e));
            Assert.Contains(field, TestData.ViolatedFields(e));
        }

        Assert.Equal(0, await WithDbAsync(_hub, db => db.AppraisalChecks.CountAsync()));
    }

    [Theory]
    [InlineData("court")]
    [InlineData("supervision")]
    [InlineData("finance")]
    public async Task Check_AgencyWithoutAppraisalScope_PermissionDenied(string agency)
    {
        var client = new AppraisalService.AppraisalServiceClient(_hub.AgencyChannel(agency));

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            client.CheckCandidateAsync(new CheckCandidateRequest { Purpose = Purpose(AppraisalType.Honors), Subject = new SubjectKey { CreditCode = TestData.NewCreditCode() } }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("SCOPE_MISSING", TestData.Reason(e));
        Assert.Equal(0, await WithDbAsync(_hub, db => db.AppraisalChecks.CountAsync()));
    }

    [Theory]
    [InlineData("organization")]
    [InlineData("hrss")]
    [InlineData("drc")]
    public async Task Check_AppraisingAgencies_AllowedAndRecordedForAudit(string agency)
    {
        var client = new AppraisalService.AppraisalServiceClient(_hub.AgencyChannel(agency));
        var person = TestData.CivilServantSubject();

        var response = await client.CheckCandidateAsync(new CheckCandidateRequest { Purpose = Purpose(AppraisalType.AnnualExcellence, "考核-2026-07"), Subject = KeyOf(person) });

        var checkId = Guid.Parse(response.CheckId);
        var check = await WithDbAsync(_hub, db => db.AppraisalChecks.Include(c => c.Candidates).SingleAsync(c => c.Id == checkId));
        Assert.Equal((agency, "考核-2026-07", (int)AppraisalType.AnnualExcellence), (check.AgencyId, Open(check.CaseReference), check.AppraisalType));
        Assert.Equal(response.CheckedAt.ToDateTimeOffset(), check.CheckedAt);
        var candidate = Assert.Single(check.Candidates);
        // The audit row names the civil servant by the keyed hash records are stored under, never in clear.
        var stored = CreditExchange.Server.Privacy.RecordSubjects.StoredKey(
            _hub.Services.GetRequiredService<CreditExchange.Server.Privacy.PersonalDataProtector>(), KeyOf(person));
        Assert.Equal((stored, (int)Decision.Priority), (candidate.SubjectKey, candidate.Decision));
        Assert.DoesNotContain(person.CivilServant.ResidentId, candidate.SubjectKey, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<HubHost> StartAsync(string rulesJson, TimeProvider? time = null)
    {
        var file = WriteRules(rulesJson);
        _files.Add(file);
        var connectionString = await postgres.CreateDatabaseAsync();
        _database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        return await HubHost.StartAsync(connectionString, new Dictionary<string, string?> { ["Hub:Appraisal:RulesFile"] = file }, time);
    }

    private AppraisalService.AppraisalServiceClient Client() => new(_hub.AgencyChannel("drc"));

    /// <summary>A case reference as the check stored it: free text, sealed at rest.</summary>
    private string Open(string stored) =>
        _hub.Services.GetRequiredService<CreditExchange.Server.Privacy.PersonalDataProtector>().OpenText(stored);

    /// <summary>A client that asks for a new token on every call, for tests that move the clock past token lifetimes.</summary>
    private AppraisalService.AppraisalServiceClient FreshTokenClient() =>
        new(_hub.Channel(TestCertificates.Agency("drc"), () => _hub.TokenAsync("drc")));

    private async Task<CheckCandidateResponse> Check(
        string? creditCode = null, string? residentId = null, AppraisalType type = AppraisalType.Honors, AppraisalService.AppraisalServiceClient? client = null)
    {
        var subject = creditCode is not null ? new SubjectKey { CreditCode = creditCode } : new SubjectKey { ResidentId = residentId };
        return await (client ?? Client()).CheckCandidateAsync(new CheckCandidateRequest { Purpose = Purpose(type), Subject = subject });
    }

    private static Purpose Purpose(AppraisalType type, string caseReference = "内组评〔2026〕7号") => new() { AppraisalType = type, CaseReference = caseReference };

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Counts the SQL commands that read the records table of one database while it is alive.</summary>
    private sealed class RecordQueryCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _database;
        private readonly List<IDisposable> _subscriptions = [];
        private int _count;

        public RecordQueryCounter(string database)
        {
            _database = database;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public int Count => Volatile.Read(ref _count);

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuted.Name
                && value.Value is CommandExecutedEventData data
                && data.Command.Connection?.Database == _database
                && data.Command.CommandText.Contains("FROM records", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
