extern alias sdk;

using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Bidding.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Evaluation.V1;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Statistics.V1;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Tests.Feed;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CreditExchange.Tests.Bidding.BiddingTestData;
using Change = CreditExchange.Contracts.Lifecycle.V1.RecordChange;
using SdkClient = sdk::CreditExchange.Client;

namespace CreditExchange.Tests.Bidding;

/// <summary>
/// The bidding blacklist (内政发〔2017〕123号 三(三)) through the public RPCs on real PostgreSQL: listing by the competent
/// department only, the joint-punishment feed (IMPOSE, and LIFT on the exit day or a removal), the masked publication
/// with tendering agencies' profiles, objections, idempotent retries, hostile input, and no government-only rule.
/// </summary>
[Collection("postgres")]
public sealed class BiddingBlacklistTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // Thursday 2026-11-26, Beijing
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private BiddingBlacklistService.BiddingBlacklistServiceClient Client(string agency) => new(_hub.AgencyChannel(agency));

    [Fact]
    public async Task SupervisionDepartments_ListBidderAndTenderingAgency_FeedImposesAndPublicationMasks()
    {
        var bidder = (await Client("housing").SubmitEntryAsync(new SubmitEntryRequest { SourceEntryId = "zj-2026-12", Entry = Entry() })).Entry;
        var agency = (await Client("trading-center").SubmitEntryAsync(new SubmitEntryRequest
        {
            SourceEntryId = "jy-2026-3",
            Entry = Entry(AgencyCode, MarketRole.TenderingAgency, BiddingDomain.TradingVenue, legalRepresentative: "李明"),
        })).Entry;
        await Client("housing").PublishTenderingAgencyAsync(new PublishTenderingAgencyRequest { Profile = Profile() });
        Assert.Equal((EntryState.InForce, 1L, "housing"), (bidder.State, bidder.Version, bidder.DecidingAgencyId));
        Assert.Equal("张建国", bidder.Content.Subject.LegalRepresentative); // the deciding department sees it in clear

        // Every department receives the list's events (court has no query rights and listed nothing).
        await _hub.PublishAsync();
        using var call = _hub.Feed("court").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        var events = await call.ReadEventsAsync(2);
        Assert.Equal(
            [(bidder.EntryId, Change.Submitted, PunishmentAction.Impose, "housing"), (agency.EntryId, Change.Submitted, PunishmentAction.Impose, "trading-center")],
            events.Select(e => (e.RecordId, e.Change, e.Action, e.SourceAgencyId)).ToList());
        Assert.All(events, e => Assert.Null(e.Record));
        Assert.Equal(AgencyCode, events[1].BlacklistEntry.Content.Subject.CreditCode);
        // Other departments get the natural person masked; the market subject is named by its code.
        Assert.Equal(("张*国", BidderCode), (events[0].BlacklistEntry.Content.Subject.LegalRepresentative, events[0].BlacklistEntry.Content.Subject.CreditCode));
        Assert.DoesNotContain("张建国", events[0].BlacklistEntry.ToString(), StringComparison.Ordinal);
        // A category filter (records only) excludes them; a bidding domain filter keeps them.
        using var byDomain = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0, Domains = { RecordDomain.Bidding }, Changes = { Change.Submitted } });
        Assert.Equal("张建国", (await byDomain.ReadEventsAsync(2))[0].BlacklistEntry.Content.Subject.LegalRepresentative); // query rights: in full

        var published = (await Client("drc").ListPublishedEntriesAsync(new ListPublishedEntriesRequest())).Entries;
        Assert.Equal(2, published.Count);
        var publishedBidder = published.Single(p => p.EntryId == bidder.EntryId);
        Assert.Equal(("张*国", BidderCode, "内建罚〔2026〕12号", "2027-11-19"), (publishedBidder.LegalRepresentativeMasked, publishedBidder.CreditCode, publishedBidder.DecisionNumber, publishedBidder.ExitDate));
        Assert.DoesNotContain("张建国", publishedBidder.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("13800138000", publishedBidder.Ground, StringComparison.Ordinal);
        Assert.Null(publishedBidder.TenderingAgency);
        var publishedAgency = published.Single(p => p.EntryId == agency.EntryId);
        Assert.Equal(("李*", "工程招标代理机构（已在全国公共资源交易平台登记）", "housing"),
            (publishedAgency.LegalRepresentativeMasked, publishedAgency.TenderingAgency.Profile.Qualification, publishedAgency.TenderingAgency.PublishedBy));

        var file = await Client("drc").GetTenderingAgencyAsync(new GetTenderingAgencyRequest { CreditCode = AgencyCode });
        Assert.Equal(("2025年度信用评价等级：B", agency.EntryId), (file.Profile.Profile.CreditInformation, Assert.Single(file.Entries).EntryId));
        var paged = await Client("drc").ListPublishedEntriesAsync(new ListPublishedEntriesRequest { PageSize = 1 });
        Assert.NotEmpty(paged.NextPageToken);
        var second = await Client("drc").ListPublishedEntriesAsync(new ListPublishedEntriesRequest { PageSize = 1, PageToken = paged.NextPageToken });
        Assert.Equal(published.Select(p => p.EntryId).Order(), paged.Entries.Concat(second.Entries).Select(p => p.EntryId).Order());

        // The change is audited with the entry named, in the same unit of work.
        Assert.True(_hub.Query(db => db.AuditEntries.Any(a => a.Method.EndsWith("/SubmitEntry") && a.RecordIds.Contains(bidder.EntryId))));
    }

    [Fact]
    public async Task Finance_CannotListABidderInADomainItDoesNotSupervise()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => Client("finance").SubmitEntryAsync(new SubmitEntryRequest { SourceEntryId = "cz-1", Entry = Entry() }).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "BIDDING_DOMAIN_NOT_SUPERVISED"), (refused.StatusCode, TestData.Reason(refused)));
        var notSupervisor = await Assert.ThrowsAsync<RpcException>(() => Client("court").SubmitEntryAsync(new SubmitEntryRequest { SourceEntryId = "fy-1", Entry = Entry() }).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "NOT_BIDDING_SUPERVISOR"), (notSupervisor.StatusCode, TestData.Reason(notSupervisor)));
        Assert.Equal(0, _hub.Query(db => db.BlacklistEntries.Count()));

        // In its own domain, government procurement, finance lists (a public institution bids too).
        var own = await Client("finance").SubmitEntryAsync(new SubmitEntryRequest { SourceEntryId = "cz-2", Entry = Entry(PublicInstitutionCode, domain: BiddingDomain.GovernmentProcurement) });
        Assert.Equal(EntryState.InForce, own.Entry.State);
        // Nor may it remove another department's entry.
        var housing = (await Client("housing").SubmitEntryAsync(new SubmitEntryRequest { SourceEntryId = "zj-1", Entry = Entry() })).Entry;
        var removal = await Assert.ThrowsAsync<RpcException>(() => Client("finance").RemoveEntryAsync(new RemoveEntryRequest { EntryId = housing.EntryId, ExpectedVersion = 1, Reason = "越权。" }).ResponseAsync);
        Assert.Equal("BLACKLIST_ENTRY_NOT_FOUND", TestData.Reason(removal));
    }

    [Fact]
    public async Task Exit_OnItsDay_LiftsOnTheFeedAndLeavesThePublication_RemovalAndObjectionsToo()
    {
        var ending = (await Client("housing").SubmitEntryAsync(new SubmitEntryRequest { SourceEntryId = "zj-end", Entry = Entry(exitDate: "2026-11-30") })).Entry;
        var removed = (await Client("water-resources").SubmitEntryAsync(new SubmitEntryRequest
        {
            SourceEntryId = "sl-1", Entry = Entry(OtherBidderCode, domain: BiddingDomain.WaterConservancy),
        })).Entry;
        var objected = (await Client("natural-resources").SubmitEntryAsync(new SubmitEntryRequest
        {
            SourceEntryId = "zr-1", Entry = Entry(domain: BiddingDomain.LandAndMineral),
        })).Entry;
        var sweeper = _hub.Services.GetRequiredService<ExpirySweeper>();

        // The last day on the list: still in force, still published.
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 11, 30), 23));
        Assert.Equal(0, await sweeper.OtherListsAsync());
        Assert.Contains(ending.EntryId, await PublishedIdsAsync());

        // Early removal by the deciding department: LIFT.
        var gone = (await Client("water-resources").RemoveEntryAsync(new RemoveEntryRequest { EntryId = removed.EntryId, ExpectedVersion = 1, Reason = "处理决定被行政复议撤销。" })).Entry;
        Assert.Equal((EntryState.Removed, 2L), (gone.State, gone.Version));
        var again = await Assert.ThrowsAsync<RpcException>(() => Client("water-resources").RemoveEntryAsync(new RemoveEntryRequest { EntryId = removed.EntryId, ExpectedVersion = 2, Reason = "再次。" }).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "BLACKLIST_ENTRY_NOT_IN_FORCE"), (again.StatusCode, TestData.Reason(again)));

        // An objection on the subject's behalf (drc); dismissed: the entry stands; a second one upheld: removed, LIFT.
        var filed = (await Client("drc").FileEntryObjectionAsync(new FileEntryObjectionRequest { EntryId = objected.EntryId, ExpectedVersion = 1, Grounds = "不存在串通投标行为。" })).Entry;
        Assert.True(filed.ObjectionOpen);
        var twice = await Assert.ThrowsAsync<RpcException>(() => Client("drc").FileEntryObjectionAsync(new FileEntryObjectionRequest { EntryId = objected.EntryId, ExpectedVersion = 2, Grounds = "再议。" }).ResponseAsync);
        Assert.Equal("BLACKLIST_OBJECTION_STATE", TestData.Reason(twice));
        var notRepresentative = await Assert.ThrowsAsync<RpcException>(() => Client("court").FileEntryObjectionAsync(new FileEntryObjectionRequest { EntryId = objected.EntryId, ExpectedVersion = 2, Grounds = "异议。" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, notRepresentative.StatusCode);
        var dismissed = (await Client("natural-resources").AnswerEntryObjectionAsync(new AnswerEntryObjectionRequest { EntryId = objected.EntryId, ExpectedVersion = 2, Upheld = false, Answer = "证据确凿，维持。" })).Entry;
        Assert.Equal((EntryState.InForce, false), (dismissed.State, dismissed.ObjectionOpen));
        await Client("drc").FileEntryObjectionAsync(new FileEntryObjectionRequest { EntryId = objected.EntryId, ExpectedVersion = 3, Grounds = "新证据。" });
        var upheld = (await Client("natural-resources").AnswerEntryObjectionAsync(new AnswerEntryObjectionRequest { EntryId = objected.EntryId, ExpectedVersion = 4, Upheld = true, Answer = "异议成立，移出。" })).Entry;
        Assert.Equal(EntryState.Removed, upheld.State);

        // The first day off the list: the sweep records the exit once, the feed lifts it, the publication drops it.
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 1), 0).AddMinutes(10));
        // (The hub's background sweep may have recorded it first, at the clock's move.)
        Assert.InRange(await sweeper.OtherListsAsync(), 0, 1);
        Assert.Equal(0, await sweeper.OtherListsAsync());
        Assert.Empty(await PublishedIdsAsync());
        var exited = (await Client("housing").GetEntryAsync(new GetEntryRequest { EntryId = ending.EntryId })).Entry;
        Assert.Equal((EntryState.Exited, 2L), (exited.State, exited.Version));

        await _hub.PublishAsync();
        using var call = _hub.Feed("court").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        var events = await call.ReadEventsAsync(9);
        Assert.Equal(
            [
                (ending.EntryId, Change.Submitted, PunishmentAction.Impose),
                (removed.EntryId, Change.Submitted, PunishmentAction.Impose),
                (objected.EntryId, Change.Submitted, PunishmentAction.Impose),
                (removed.EntryId, Change.Revoked, PunishmentAction.Lift),
                (objected.EntryId, Change.ObjectionFiled, PunishmentAction.None),
                (objected.EntryId, Change.ObjectionAnswered, PunishmentAction.None),
                (objected.EntryId, Change.ObjectionFiled, PunishmentAction.None),
                (objected.EntryId, Change.Revoked, PunishmentAction.Lift),
                (ending.EntryId, Change.EffectEnded, PunishmentAction.Lift),
            ],
            events.Select(e => (e.RecordId, e.Change, e.Action)).ToList());
    }

    [Fact]
    public async Task GovernmentOnlyRules_NeverTouchABlacklistEntry()
    {
        var entry = (await Client("housing").SubmitEntryAsync(new SubmitEntryRequest { SourceEntryId = "zj-gov", Entry = Entry(exitDate: "2026-11-27") })).Entry;

        // Appraisal (CheckCandidate) and credit files know government bodies and civil servants only: an enterprise's code is
        // refused as no government body's, and nothing of the entry is answered.
        var key = new SubjectKey { CreditCode = BidderCode };
        await AssertNotTouchedAsync(() => new AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("drc")).CheckCandidateAsync(new CheckCandidateRequest
        {
            Purpose = new Purpose { AppraisalType = AppraisalType.Honors, CaseReference = "内组评〔2026〕7号" }, Subject = key,
        }).ResponseAsync, entry.EntryId);
        await AssertNotTouchedAsync(() => new CreditFileService.CreditFileServiceClient(_hub.AgencyChannel("drc")).GetCreditFileAsync(new GetCreditFileRequest { Subject = key }).ResponseAsync, entry.EntryId);

        // Statistics and the integrity evaluation of governments count records only.
        var statistics = await new StatisticsService.StatisticsServiceClient(_hub.AgencyChannel("drc")).GetRecordStatisticsAsync(new GetRecordStatisticsRequest
        {
            DecisionDateFrom = "2026-01-01", DecisionDateTo = "2026-12-31", GroupBy = { Dimension.Category },
        });
        Assert.Equal(0, statistics.TotalRecordCount);
        var evaluation = (await new EvaluationService.EvaluationServiceClient(_hub.AgencyChannel("drc")).EvaluateIntegrityAsync(new EvaluateIntegrityRequest
        {
            Scope = new EvaluationScope { DivisionCode = "150100" }, Period = "2026",
        })).Evaluation;
        Assert.All(evaluation.Indicators, i => Assert.Equal(0, i.Value));

        // The records' own sweeps (政务处分 periods of effect, disclosure periods) never change it; only its own exit does.
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 11, 28), 1));
        // (The hub's own background sweep may run at the clock's move too: what counts is which changes the entry has.)
        var sweeper = _hub.Services.GetRequiredService<ExpirySweeper>();
        Assert.Equal((0, 0), (await sweeper.RecordEffectEndsAsync(), await sweeper.ExpireDueAsync()));
        await sweeper.OtherListsAsync();
        Assert.Equal(
            [((int)Change.Submitted, "housing"), ((int)Change.EffectEnded, "hub")],
            _hub.Query(db => db.BlacklistEntryVersions.OrderBy(v => v.Version).Select(v => new { v.Change, v.AgencyId }).ToList()).Select(v => (v.Change, v.AgencyId)).ToList());
        Assert.Equal(0, _hub.Query(db => db.Records.Count()));
    }

    [Fact]
    public async Task HostileInput_OnEveryField_IsInvalidArgumentNamingTheField()
    {
        var cases = new (string Field, Action<SubmitEntryRequest> Spoil)[]
        {
            ("source_entry_id", r => r.SourceEntryId = ""),
            ("source_entry_id", r => r.SourceEntryId = "a b\u0000"),
            ("source_entry_id", r => r.SourceEntryId = new string('a', 129)),
            ("entry", r => r.Entry = null),
            ("entry.subject", r => r.Entry.Subject = null),
            ("entry.subject.role", r => r.Entry.Subject.Role = MarketRole.Unspecified),
            ("entry.subject.role", r => r.Entry.Subject.Role = (MarketRole)99),
            ("entry.subject.credit_code", r => r.Entry.Subject.CreditCode = GovernmentBodyCode),
            ("entry.subject.credit_code", r => r.Entry.Subject.CreditCode = "91150102MA0B1C2D45"),
            ("entry.subject.credit_code", r => r.Entry.Subject.CreditCode = "91150102ma0b1c2d44"),
            ("entry.subject.credit_code", r => r.Entry.Subject.CreditCode = "' OR 1=1 --"),
            ("entry.subject.name", r => r.Entry.Subject.Name = ""),
            ("entry.subject.name", r => r.Entry.Subject.Name = new string('名', 201)),
            ("entry.subject.name", r => r.Entry.Subject.Name = "某公司\u0000"),
            ("entry.subject.legal_representative", r => r.Entry.Subject.LegalRepresentative = new string('张', 101)),
            ("entry.subject.legal_representative", r => r.Entry.Subject.LegalRepresentative = "张\u202E三"),
            ("entry.domain", r => r.Entry.Domain = BiddingDomain.Unspecified),
            ("entry.domain", r => r.Entry.Domain = (BiddingDomain)42),
            ("entry.decision_number", r => r.Entry.DecisionNumber = ""),
            ("entry.decision_number", r => r.Entry.DecisionNumber = new string('1', 101)),
            ("entry.ground", r => r.Entry.Ground = ""),
            ("entry.ground", r => r.Entry.Ground = new string('串', 2001)),
            ("entry.ground", r => r.Entry.Ground = " \u3000\t"),
            ("entry.legal_basis", r => r.Entry.LegalBasis = "  "),
            ("entry.subject.legal_representative", r => r.Entry.Subject.LegalRepresentative = " "),
            ("entry.legal_basis", r => r.Entry.LegalBasis = ""),
            ("entry.legal_basis", r => r.Entry.LegalBasis = new string('法', 501)),
            ("entry.entry_date", r => r.Entry.EntryDate = "2026-02-30"),
            ("entry.entry_date", r => r.Entry.EntryDate = "2026-11-27"),
            ("entry.entry_date", r => r.Entry.EntryDate = "yesterday"),
            ("entry.exit_date", r => r.Entry.ExitDate = "2026-11-19"),
            ("entry.exit_date", r => r.Entry.ExitDate = "2031-11-21"),
            ("entry.exit_date", r => r.Entry.ExitDate = "9999-99-99"),
            ("entry.exit_date", r => r.Entry.ExitDate = ""),
        };
        foreach (var (field, spoil) in cases)
        {
            var request = new SubmitEntryRequest { SourceEntryId = "zj-bad", Entry = Entry() };
            spoil(request);
            var e = await RefusedAsync(field, () => Client("housing").SubmitEntryAsync(request).ResponseAsync);
            Assert.True(e.StatusCode == StatusCode.InvalidArgument, $"{field}: {e.StatusCode} {e.Status.Detail}");
            Assert.Contains(field, TestData.ViolatedFields(e));
        }

        var gov = await Assert.ThrowsAsync<RpcException>(() => Client("housing").SubmitEntryAsync(new SubmitEntryRequest { SourceEntryId = "zj-gov", Entry = Entry(GovernmentBodyCode) }).ResponseAsync);
        Assert.Equal("not_market_subject_code", gov.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations.Single().Reason);

        var others = new (string Field, Func<Task> Call)[]
        {
            ("entry_id", () => Client("housing").RemoveEntryAsync(new RemoveEntryRequest { EntryId = "not-a-uuid", ExpectedVersion = 1, Reason = "x" }).ResponseAsync),
            ("expected_version", () => Client("housing").RemoveEntryAsync(new RemoveEntryRequest { EntryId = Guid.NewGuid().ToString(), ExpectedVersion = 0, Reason = "x" }).ResponseAsync),
            ("reason", () => Client("housing").RemoveEntryAsync(new RemoveEntryRequest { EntryId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Reason = "" }).ResponseAsync),
            ("entry_id", () => Client("drc").GetEntryAsync(new GetEntryRequest { EntryId = "../../etc" }).ResponseAsync),
            ("grounds", () => Client("drc").FileEntryObjectionAsync(new FileEntryObjectionRequest { EntryId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Grounds = new string('异', 2001) }).ResponseAsync),
            ("answer", () => Client("housing").AnswerEntryObjectionAsync(new AnswerEntryObjectionRequest { EntryId = Guid.NewGuid().ToString(), ExpectedVersion = 1, Answer = "" }).ResponseAsync),
            ("credit_code", () => Client("drc").ListPublishedEntriesAsync(new ListPublishedEntriesRequest { CreditCode = "91150102MA0B1C2D45" }).ResponseAsync),
            ("page_size", () => Client("drc").ListPublishedEntriesAsync(new ListPublishedEntriesRequest { PageSize = 201 }).ResponseAsync),
            ("domain", () => Client("drc").ListPublishedEntriesAsync(new ListPublishedEntriesRequest { Domain = (BiddingDomain)77 }).ResponseAsync),
            ("profile.credit_code", () => Client("housing").PublishTenderingAgencyAsync(new PublishTenderingAgencyRequest { Profile = Profile(GovernmentBodyCode) }).ResponseAsync),
            ("profile.qualification", () => Client("housing").PublishTenderingAgencyAsync(new PublishTenderingAgencyRequest { Profile = new TenderingAgencyProfile { CreditCode = AgencyCode, Name = "x" } }).ResponseAsync),
            ("credit_code", () => Client("drc").GetTenderingAgencyAsync(new GetTenderingAgencyRequest { CreditCode = "short" }).ResponseAsync),
        };
        foreach (var (field, call) in others)
        {
            var e = await RefusedAsync(field, call);
            Assert.True(e.StatusCode == StatusCode.InvalidArgument, $"{field}: {e.StatusCode} {e.Status.Detail}");
            Assert.Contains(field, TestData.ViolatedFields(e));
        }

        Assert.Equal(0, _hub.Query(db => db.BlacklistEntries.Count()));
    }

    [Fact]
    public async Task RetriedSubmission_DoesNotDuplicate_OtherContentUnderTheSameIdConflicts()
    {
        var request = new SubmitEntryRequest { SourceEntryId = "zj-retry", Entry = Entry() };
        var first = await Client("housing").SubmitEntryAsync(request);
        var retry = await Client("housing").SubmitEntryAsync(request);
        Assert.Equal((false, true, first.Entry.EntryId), (first.Duplicate, retry.Duplicate, retry.Entry.EntryId));
        var changed = request.Clone();
        changed.Entry.Ground = "另一事由。";
        var conflict = await Assert.ThrowsAsync<RpcException>(() => Client("housing").SubmitEntryAsync(changed).ResponseAsync);
        Assert.Equal((StatusCode.AlreadyExists, "SOURCE_ID_CONFLICT"), (conflict.StatusCode, TestData.Reason(conflict)));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Client("housing").SubmitEntryAsync(request).ResponseAsync));
        Assert.Equal((1, 1), (_hub.Query(db => db.BlacklistEntries.Count()), _hub.Query(db => db.RecordEvents.Count())));
    }

    [Fact]
    public async Task SignedSubmission_SignatureKeptWithTheEntrysVersion_ReplayRefused()
    {
        // Signed by the SDK's signer, as every write: the pipeline checks field 15 and spends its nonce.
        var signer = new SdkClient.RequestSigner(TestCertificates.Agency("housing"), "housing", time: _clock);
        var sdkType = typeof(SdkClient.RequestSigner).Assembly.GetType(typeof(SubmitEntryRequest).FullName!)!;
        var sdkRequest = (IMessage)Activator.CreateInstance(sdkType)!;
        sdkRequest.MergeFrom(new SubmitEntryRequest { SourceEntryId = "zj-signed", Entry = Entry() }.ToByteArray());
        var signed = SubmitEntryRequest.Parser.ParseFrom(signer.Sign("/creditexchange.bidding.v1.BiddingBlacklistService/SubmitEntry", sdkRequest).ToByteArray());
        Assert.NotNull(signed.Signature);

        await Client("housing").SubmitEntryAsync(signed);
        Assert.NotNull(_hub.Query(db => db.BlacklistEntryVersions.Single().RequestSignatureId));
        var replay = await Assert.ThrowsAsync<RpcException>(() => Client("housing").SubmitEntryAsync(signed).ResponseAsync);
        Assert.Equal("SIGNATURE_REPLAYED", TestData.Reason(replay));
    }

    private static async Task<RpcException> RefusedAsync(string field, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException e)
        {
            return e;
        }

        Assert.Fail($"{field}: the hostile value was accepted");
        return null!;
    }

    private async Task<List<string>> PublishedIdsAsync() =>
        (await Client("drc").ListPublishedEntriesAsync(new ListPublishedEntriesRequest())).Entries.Select(e => e.EntryId).ToList();

    /// <summary>The call is refused as invalid, or answers nothing of the entry.</summary>
    private static async Task AssertNotTouchedAsync<T>(Func<Task<T>> call, string entryId)
        where T : Google.Protobuf.IMessage
    {
        try
        {
            var answer = await call();
            Assert.DoesNotContain(entryId, answer.ToString(), StringComparison.Ordinal);
        }
        catch (RpcException e)
        {
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }
    }
}
