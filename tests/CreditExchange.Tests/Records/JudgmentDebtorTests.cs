using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Records;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using static CreditExchange.Tests.Records.LawRecordsTestData;
using DishonestConduct = CreditExchange.Contracts.Records.V1.DishonestConduct;
using ListingRemovalGround = CreditExchange.Contracts.Records.V1.ListingRemovalGround;
using RecordStatus = CreditExchange.Contracts.Records.V1.RecordStatus;

namespace CreditExchange.Tests.Records;

/// <summary>
/// Courts' listings of dishonest judgment debtors (失信被执行人, 法释〔2017〕7号): every field kept, the
/// listing period by the court's rule (not the disclosure policy), removal by the court through the
/// lifecycle with its history and event.
/// </summary>
[Collection("postgres")]
public sealed class JudgmentDebtorTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // Thursday 2026-11-26, Beijing
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task SubmitRecord_JudgmentDebtor_RoundTripsEveryFieldWithItsListingPeriod()
    {
        var request = JudgmentDebtor("2025-03-01", extensionYears: 1);

        var submitted = (await _hub.Records("court").SubmitRecordAsync(request)).Record;
        var read = (await _hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = submitted.RecordId })).Record;
        var history = await _hub.Lifecycle("court").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = submitted.RecordId });

        Assert.Equal(request.Record, read.Content);
        Assert.Equal(request.Record, history.Versions.Single().Content);
        // 法释〔2017〕7号 art. 2: two years for obstruction, extended by one: the last day is 2028-02-29.
        Assert.Equal(new JudgmentDebtorListing { ListingEndDate = "2028-02-29" }, read.Listing);
        Assert.Equal(("2028-02-29", false, true, true), (read.Standing.EffectEndDate, read.Standing.EffectIndefinite, read.Standing.InForce, read.Standing.Publishable));
        Assert.Equal(
            new DisclosurePeriod { PolicyVersion = JudgmentDebtorRules.RuleVersion, PublishedByDefault = true, MinimumEndDate = "2025-03-01", MaximumEndDate = "2028-03-01" },
            read.DisclosurePeriod);
    }

    [Fact]
    public async Task SubmitRecord_JudgmentDebtorForRefusalAlone_ListedUntilTheCourtRemovesIt()
    {
        // A minor record would be published for at most three months under the NDRC policy; a listing for
        // refusing to perform despite the ability to has no fixed period (art. 2) and stays published.
        var request = JudgmentDebtor("2023-01-10", extensionYears: 0, conducts: [DishonestConduct.RefusalDespiteAbility]);
        request.Record.Severity = Severity.Minor;

        var record = (await _hub.Records("court").SubmitRecordAsync(request)).Record;

        Assert.Equal(new JudgmentDebtorListing { ListingIndefinite = true }, record.Listing);
        Assert.Equal(("", true, true, true), (record.Standing.EffectEndDate, record.Standing.EffectIndefinite, record.Standing.InForce, record.Standing.Publishable));
        Assert.Equal(("9999-12-31", true), (record.DisclosurePeriod.MaximumEndDate, record.DisclosurePeriod.PublishedByDefault));
    }

    [Fact]
    public async Task RemoveJudgmentDebtorListing_ByTheCourt_EndsEffectAndPublicationWithHistoryAndEvent()
    {
        var debtor = TestData.GovernmentSubject();
        var record = (await _hub.Records("court").SubmitRecordAsync(JudgmentDebtor("2025-03-01", subject: debtor))).Record;

        var removed = (await _hub.Lifecycle("court").RemoveJudgmentDebtorListingAsync(new RemoveJudgmentDebtorListingRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, Ground = ListingRemovalGround.EarlyRemoval, Reason = "被执行人已全部履行，(2025)内01执88号之二决定提前删除。",
        })).Record;

        Assert.Equal((RecordStatus.Expired, 2L), (removed.Status, removed.Version));
        Assert.Equal(new JudgmentDebtorListing { ListingEndDate = "2028-02-29", RemovalDate = "2026-11-26", RemovalGround = ListingRemovalGround.EarlyRemoval }, removed.Listing);
        Assert.Equal(("2026-11-25", false, false), (removed.Standing.EffectEndDate, removed.Standing.InForce, removed.Standing.Publishable));
        var history = await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId });
        Assert.Equal([RecordChange.Submitted, RecordChange.JudgmentDebtorRemoved], history.Versions.Select(v => v.Change));
        Assert.Equal(("court", "被执行人已全部履行，(2025)内01执88号之二决定提前删除。"), (history.Versions[^1].AgencyId, history.Versions[^1].Reason));
        Assert.Equal([(int)RecordChange.Submitted, (int)RecordChange.JudgmentDebtorRemoved], _hub.Events(record.RecordId).Select(e => e.EventType));
        // The departments that restricted the debtor learn from the feed to lift the restrictions (法释〔2017〕7号 art. 10).
        using (var feed = new CreditExchange.Contracts.Feed.V1.FeedService.FeedServiceClient(_hub.AgencyChannel("drc"))
            .Subscribe(new CreditExchange.Contracts.Feed.V1.SubscribeRequest { AfterSequence = 0 }))
        {
            var events = (await Feed.FeedKit.ReadEventsAsync(feed, _hub.Query(db => db.RecordEvents.Count()))).Where(e => e.RecordId == record.RecordId).ToList();
            Assert.Equal(
                [CreditExchange.Contracts.Feed.V1.PunishmentAction.Impose, CreditExchange.Contracts.Feed.V1.PunishmentAction.Lift],
                events.Select(e => e.Action));
        }

        var file = (await new CreditFileService.CreditFileServiceClient(_hub.AgencyChannel("drc"))
            .GetCreditFileAsync(new GetCreditFileRequest { Subject = new SubjectKey { CreditCode = debtor.GovernmentBody.CreditCode } })).CreditFile;
        Assert.Equal((1, 0), (file.Entries.Count, file.InForceCount));

        // A later correction keeps the removal: the listing does not come back.
        var content = removed.Content.Clone();
        content.Facts = "更正：以隐匿财产方式规避执行。";
        var corrected = (await _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest { RecordId = record.RecordId, ExpectedVersion = 2, Content = content, Reason = "事实表述更正" })).Record;
        Assert.Equal(("2026-11-26", false, false), (corrected.Listing.RemovalDate, corrected.Standing.InForce, corrected.Standing.Publishable));

        var again = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("court").RemoveJudgmentDebtorListingAsync(new RemoveJudgmentDebtorListingRequest
        {
            RecordId = record.RecordId, ExpectedVersion = corrected.Version, Ground = ListingRemovalGround.EarlyRemoval, Reason = "重复",
        }).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "LISTING_ALREADY_REMOVED"), (again.StatusCode, TestData.Reason(again)));
    }

    [Theory]
    [InlineData(true, ListingRemovalGround.Performed)]             // art. 10 (一)–(七): not for a listing with a fixed period
    [InlineData(true, ListingRemovalGround.ListingPeriodEnded)]    // its period has not ended
    [InlineData(false, ListingRemovalGround.EarlyRemoval)]         // no fixed period to end early
    [InlineData(false, ListingRemovalGround.ListingPeriodEnded)]
    public async Task RemoveJudgmentDebtorListing_GroundNotFittingTheListing_FailedPreconditionNothingChanged(bool fixedPeriod, ListingRemovalGround ground)
    {
        var request = JudgmentDebtor("2025-03-01", extensionYears: 0, conducts: fixedPeriod ? [DishonestConduct.SettlementBreach] : [DishonestConduct.RefusalDespiteAbility]);
        var record = (await _hub.Records("court").SubmitRecordAsync(request)).Record;

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("court").RemoveJudgmentDebtorListingAsync(new RemoveJudgmentDebtorListingRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, Ground = ground, Reason = "删除",
        }).ResponseAsync);

        Assert.Equal((StatusCode.FailedPrecondition, "REMOVAL_GROUND_NOT_APPLICABLE"), (e.StatusCode, TestData.Reason(e)));
        Assert.Equal((1L, true), ((await _hub.GetAsync(record.RecordId)).Version, (await _hub.GetAsync(record.RecordId)).Standing.InForce));
    }

    [Fact]
    public async Task RemoveJudgmentDebtorListing_WithoutFixedPeriodOnPerformance_Removed()
    {
        var request = JudgmentDebtor("2025-03-01", extensionYears: 0, conducts: [DishonestConduct.RefusalDespiteAbility]);
        var record = (await _hub.Records("court").SubmitRecordAsync(request)).Record;

        var removed = (await _hub.Lifecycle("court").RemoveJudgmentDebtorListingAsync(new RemoveJudgmentDebtorListingRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, Ground = ListingRemovalGround.Performed, Reason = "已履行完毕",
        })).Record;

        Assert.Equal(new JudgmentDebtorListing { ListingIndefinite = true, RemovalDate = "2026-11-26", RemovalGround = ListingRemovalGround.Performed }, removed.Listing);
        Assert.Equal(("2026-11-25", false, false, "2026-11-26"), (removed.Standing.EffectEndDate, removed.Standing.InForce, removed.Standing.Publishable, removed.DisclosurePeriod.MaximumEndDate));
    }

    [Fact]
    public async Task RemoveJudgmentDebtorListing_WrongCallerOrRecord_RefusedNothingChanged()
    {
        var listing = (await _hub.Records("court").SubmitRecordAsync(JudgmentDebtor("2025-03-01"))).Record;
        var plain = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record;
        var events = _hub.CountEvents();

        var notSource = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("drc").RemoveJudgmentDebtorListingAsync(new RemoveJudgmentDebtorListingRequest
        {
            RecordId = listing.RecordId, ExpectedVersion = 1, Ground = ListingRemovalGround.EarlyRemoval, Reason = "x",
        }).ResponseAsync);
        var notListing = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("court").RemoveJudgmentDebtorListingAsync(new RemoveJudgmentDebtorListingRequest
        {
            RecordId = plain.RecordId, ExpectedVersion = 1, Ground = ListingRemovalGround.EarlyRemoval, Reason = "x",
        }).ResponseAsync);
        var repair = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest
        {
            RecordId = listing.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺守信",
        }).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, "NOT_SOURCE_AGENCY"), (notSource.StatusCode, TestData.Reason(notSource)));
        Assert.Equal((StatusCode.FailedPrecondition, "NOT_A_JUDGMENT_DEBTOR_LISTING"), (notListing.StatusCode, TestData.Reason(notListing)));
        Assert.Equal((StatusCode.FailedPrecondition, "LISTING_NOT_REPAIRABLE"), (repair.StatusCode, TestData.Reason(repair)));
        Assert.Equal(events, _hub.CountEvents());
    }

    [Fact]
    public async Task JudgmentDebtor_AfterItsListingPeriod_NotInForceSweptAndRemovableAsEnded()
    {
        // Listed 2024-06-01 for two years: the last day was 2026-05-31.
        var record = (await _hub.Records("court").SubmitRecordAsync(JudgmentDebtor("2024-06-01", extensionYears: 0))).Record;
        Assert.Equal(("2026-05-31", false, false, true), (record.Listing.ListingEndDate, record.Standing.InForce, record.Standing.Publishable, record.Standing.DisclosureEnded));

        Assert.Equal(1, await _hub.ExpireDueAsync());
        var removed = (await _hub.Lifecycle("court").RemoveJudgmentDebtorListingAsync(new RemoveJudgmentDebtorListingRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 2, Ground = ListingRemovalGround.ListingPeriodEnded, Reason = "纳入期限届满",
        })).Record;

        Assert.Equal((RecordStatus.Expired, "2026-05-31", "2026-11-26"), (removed.Status, removed.Standing.EffectEndDate, removed.Listing.RemovalDate));
        Assert.Equal(
            [RecordChange.Submitted, RecordChange.Expired, RecordChange.JudgmentDebtorRemoved],
            (await _hub.Lifecycle("court").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId })).Versions.Select(v => v.Change));
    }
}
