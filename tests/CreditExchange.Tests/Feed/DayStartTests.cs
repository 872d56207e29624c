using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Publication.V1;
using CreditExchange.Contracts.Records.V1;
using ChinaCalendar = CreditExchange.Domain.Records.ChinaCalendar;
using Record = CreditExchange.Contracts.Records.V1.Record;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using CreditExchange.Tests.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Feed;

/// <summary>
/// The day's ends arrive on their day: the end of a period of effect as the feed's LIFT
/// (EFFECT_ENDED), the end of a disclosure period as the public list's WITHDRAWN, both from the
/// sweep soon after Beijing midnight, each once however many hubs sweep. Real PostgreSQL, fake clocks.
/// </summary>
[Collection("postgres")]
public sealed class DayStartTests(PostgresFixture postgres) : IAsyncLifetime
{
    // Thursday 2026-11-26, 10:00 in Beijing.
    private static readonly DateOnly Today = new(2026, 11, 26);

    private readonly FakeTimeProvider _clockA = LifecycleKit.NewClock();
    private readonly FakeTimeProvider _clockB = LifecycleKit.NewClock();
    private string _database = null!;
    private HubHost _a = null!;
    private HubHost _b = null!;

    public async Task InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        _a = await HubHost.StartAsync(_database, time: _clockA);
        _b = await HubHost.StartAsync(_database, time: _clockB);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Midnight_WarningsPeriodAndADisclosurePeriodEnd_OneLiftAndOneWithdrawalAcrossTwoHubsAndARestart()
    {
        // 警告 decided 2026-05-27: six months (公职人员政务处分法 art. 8), last day in force 2026-11-26.
        var warning = await SubmitSanctionAsync(SanctionKind.Warning, "2026-05-27");
        // A general record decided 2025-11-27: published for at most 12 months, publication stops on 2026-11-27.
        var published = (await _a.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: "2025-11-27"))).Record;
        var dismissal = await SubmitSanctionAsync(SanctionKind.Dismissal, "2026-05-27", Severity.Serious); // never ends
        Assert.Equal(("2026-11-26", true), (warning.Standing.EffectEndDate, warning.Standing.InForce));
        Assert.Equal(("2026-11-27", true), (published.DisclosurePeriod.MaximumEndDate, published.Standing.Publishable));

        using var feed = _a.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        Assert.Equal(3, (await feed.ReadEventsAsync(3)).Count);
        var publicationHead = (await Publication().ListPublicationChangesAsync(new ListPublicationChangesRequest { AfterSequence = 0 })).NextAfterSequence;

        // The last second of the warning's last day: nothing is due yet, whichever hub sweeps.
        SetBoth(LifecycleKit.Beijing(Today.AddDays(1)).AddSeconds(-1));
        Assert.Equal(0, await _a.Services.GetRequiredService<ExpirySweeper>().RecordEffectEndsAsync());
        Assert.Equal(0, await _b.Services.GetRequiredService<ExpirySweeper>().ExpireDueAsync());

        // Midnight passes on both hubs' clocks: their background sweeps wake together, nobody calls them.
        SetBoth(LifecycleKit.Beijing(Today.AddDays(1)).AddSeconds(6));
        var lifted = (await feed.ReadEventsAsync(2)).ToDictionary(e => e.RecordId);

        var lift = lifted[warning.RecordId];
        Assert.Equal((RecordChange.EffectEnded, PunishmentAction.Lift, RecordStatus.Active, 2L), (lift.Change, lift.Action, lift.Status, lift.RecordVersion));
        Assert.False(lift.Record.Standing.InForce);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 0, 0, 6, TimeSpan.FromHours(8)), lift.OccurredAt.ToDateTimeOffset());
        var expired = lifted[published.RecordId];
        Assert.Equal((RecordChange.Expired, PunishmentAction.None, RecordStatus.Expired), (expired.Change, expired.Action, expired.Status));
        var changes = await Publication().ListPublicationChangesAsync(new ListPublicationChangesRequest { AfterSequence = publicationHead });
        var withdrawn = Assert.Single(changes.Changes); // the warning's end is not a change of the public list
        Assert.Equal((published.RecordId, PublicationChangeKind.Withdrawn), (withdrawn.RecordId, withdrawn.Kind));
        Assert.Equal("2026-11-27", ChinaCalendar.DateOf(withdrawn.OccurredAt.ToDateTimeOffset()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        // A restart sweeps at start-up, and both hubs sweep again: nothing more is due.
        await _b.DisposeAsync();
        _b = await HubHost.StartAsync(_database, time: _clockB);
        Assert.Equal(0, await _b.Services.GetRequiredService<ExpirySweeper>().RecordEffectEndsAsync());
        Assert.Equal(0, await _a.Services.GetRequiredService<ExpirySweeper>().RecordEffectEndsAsync());
        Assert.Equal(0, await _a.Services.GetRequiredService<ExpirySweeper>().ExpireDueAsync());
        Assert.Equal([(int)RecordChange.Submitted, (int)RecordChange.EffectEnded], _a.Events(warning.RecordId).Select(e => e.EventType));
        Assert.Equal([(int)RecordChange.Submitted, (int)RecordChange.Expired], _a.Events(published.RecordId).Select(e => e.EventType));
        Assert.Equal([(int)RecordChange.Submitted], _a.Events(dismissal.RecordId).Select(e => e.EventType));

        var history = await _a.Lifecycle("supervision").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = warning.RecordId });
        Assert.Equal((RecordChange.EffectEnded, "hub"), (history.Versions[^1].Change, history.Versions[^1].AgencyId));
        Assert.Contains("2026-11-26", history.Versions[^1].Reason);
    }

    [Fact]
    public async Task EffectEnd_CorrectionMovesTheLastDay_TheNewEndIsRecordedInItsTurn()
    {
        var warning = await SubmitSanctionAsync(SanctionKind.Warning, "2026-05-27");
        using var feed = _a.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0, Changes = { RecordChange.EffectEnded } });
        // The background sweeps wake with the clocks; the feed says when one of them has recorded the end.
        SetBoth(LifecycleKit.Beijing(Today.AddDays(1), 10));
        var first = (await feed.ReadEventsAsync(1)).Single();
        Assert.Equal((warning.RecordId, 2L), (first.RecordId, first.RecordVersion));
        Assert.Equal(0, await SweepEffectEndsAsync());

        // The committee corrects the decision: it was a 记过 (12 months, to 2027-05-26), not a 警告.
        var content = warning.Content.Clone();
        content.SanctionKind = SanctionKind.Demerit;
        var corrected = (await _a.Lifecycle("supervision").CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = warning.RecordId, ExpectedVersion = 2, Content = content, Reason = "处分期间更正",
        })).Record;
        Assert.True(corrected.Standing.InForce);
        Assert.Equal(0, await SweepEffectEndsAsync());

        Assert.Equal("2027-05-26", corrected.Standing.EffectEndDate);
        SetBoth(LifecycleKit.Beijing(new DateOnly(2027, 5, 27), 10));
        var second = (await feed.ReadEventsAsync(1)).Single();
        Assert.Equal((warning.RecordId, 4L, PunishmentAction.Lift), (second.RecordId, second.RecordVersion, second.Action));
        Assert.Equal(0, await SweepEffectEndsAsync());
        Assert.Equal(
            [(int)RecordChange.Submitted, (int)RecordChange.EffectEnded, (int)RecordChange.Corrected, (int)RecordChange.EffectEnded],
            _a.Events(warning.RecordId).Select(e => e.EventType).Where(t => t != (int)RecordChange.Expired)); // its publication ends that day too
    }

    [Fact]
    public async Task EffectEnd_RevokedOrRemovedFirst_NoEffectEndAfterTheLift()
    {
        var revoked = await SubmitSanctionAsync(SanctionKind.Warning, "2026-05-27");
        await _a.Lifecycle("supervision").RevokeRecordAsync(new RevokeRecordRequest { RecordId = revoked.RecordId, ExpectedVersion = 1, Reason = "处分决定撤销" });
        // A listing without a fixed period (art. 1 (一) only), removed by the court on a ground of art. 10.
        var listing = await SubmitListingAsync(DishonestConduct.RefusalDespiteAbility);
        await _a.Lifecycle("court").RemoveJudgmentDebtorListingAsync(new RemoveJudgmentDebtorListingRequest
        {
            RecordId = listing.RecordId, ExpectedVersion = 1, Ground = ListingRemovalGround.Performed, Reason = "已全部履行",
        });

        SetBoth(LifecycleKit.Beijing(Today.AddDays(30), 10));

        Assert.Equal(0, await SweepEffectEndsAsync());
        Assert.Equal([(int)RecordChange.Submitted, (int)RecordChange.Revoked], _a.Events(revoked.RecordId).Select(e => e.EventType));
        Assert.Equal([(int)RecordChange.Submitted, (int)RecordChange.JudgmentDebtorRemoved], _a.Events(listing.RecordId).Select(e => e.EventType));
    }

    [Fact]
    public async Task EffectEnd_ListingPeriodRunsOut_LiftOnTheFirstDayAfterIt()
    {
        // Listed 2024-11-27 for two years (art. 2): the last day is 2026-11-26.
        var listing = await SubmitListingAsync(DishonestConduct.EvasionOfEnforcement, "2024-11-27");
        Assert.Equal("2026-11-26", listing.Listing.ListingEndDate);
        Assert.Equal(0, await SweepEffectEndsAsync());

        SetBoth(LifecycleKit.Beijing(Today.AddDays(1)).AddSeconds(6));
        using var feed = _a.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0, Changes = { RecordChange.EffectEnded } });
        var lift = (await feed.ReadEventsAsync(1)).Single();

        Assert.Equal((listing.RecordId, PunishmentAction.Lift), (lift.RecordId, lift.Action));
        var history = await _a.Lifecycle("court").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = listing.RecordId });
        Assert.Contains("法释〔2017〕7号", history.Versions.Single(v => v.Change == RecordChange.EffectEnded).Reason);
    }

    [Theory]
    [InlineData("2026-11-26T10:00:00+08:00", "14:00:05")]        // the next day's start, plus the delay
    [InlineData("2026-11-26T23:59:59+08:00", "00:00:06")]
    [InlineData("2026-11-27T00:00:02+08:00", "00:00:03")]        // before today's delay has passed
    [InlineData("2026-11-27T00:00:05+08:00", "1.00:00:00")]      // just swept: the next day
    public void UntilNextSweep_ADaysStartBeforeTheIntervalWins(string now, string expected)
    {
        var delay = ExpiryService.UntilNextSweep(DateTimeOffset.Parse(now), TimeSpan.FromDays(1), TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.Parse(expected), delay);
        var hourly = TimeSpan.Parse(expected) < TimeSpan.FromHours(1) ? TimeSpan.Parse(expected) : TimeSpan.FromHours(1);
        Assert.Equal(hourly, ExpiryService.UntilNextSweep(DateTimeOffset.Parse(now), TimeSpan.FromHours(1), TimeSpan.FromSeconds(5)));
    }

    private PublicationService.PublicationServiceClient Publication() => new(_a.AgencyChannel("drc"));

    private async Task<int> SweepEffectEndsAsync() =>
        await _a.Services.GetRequiredService<ExpirySweeper>().RecordEffectEndsAsync() + await _b.Services.GetRequiredService<ExpirySweeper>().RecordEffectEndsAsync();

    private void SetBoth(DateTimeOffset instant)
    {
        _clockA.SetUtcNow(instant);
        _clockB.SetUtcNow(instant);
    }

    private async Task<Record> SubmitSanctionAsync(SanctionKind kind, string decided, Severity severity = Severity.General) =>
        (await _a.Records("supervision").SubmitRecordAsync(LawRecordsTestData.Sanction(kind, decided, severity))).Record;

    private async Task<Record> SubmitListingAsync(DishonestConduct conduct, string decided = "2026-06-01") =>
        (await _a.Records("court").SubmitRecordAsync(LawRecordsTestData.JudgmentDebtor(decided, extensionYears: 0, conducts: [conduct]))).Record;
}
