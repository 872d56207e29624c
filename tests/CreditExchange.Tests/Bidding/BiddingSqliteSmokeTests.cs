using CreditExchange.Contracts.Bidding.V1;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Tests.Feed;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CreditExchange.Tests.Bidding.BiddingTestData;
using Change = CreditExchange.Contracts.Lifecycle.V1.RecordChange;

namespace CreditExchange.Tests.Bidding;

/// <summary>The bidding blacklist on the embedded default (SQLite): listed, published, retried, exited on its day, on the feed.</summary>
public sealed class BiddingSqliteSmokeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // Thursday 2026-11-26, Beijing
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(postgresConnectionString: null, time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Blacklist_OnSqlite_ListsPublishesAndLiftsOnTheExitDay()
    {
        var client = new BiddingBlacklistService.BiddingBlacklistServiceClient(_hub.AgencyChannel("housing"));
        var request = new SubmitEntryRequest { SourceEntryId = "zj-sqlite", Entry = Entry(exitDate: "2026-11-26") };
        var entry = (await client.SubmitEntryAsync(request)).Entry;
        Assert.True((await client.SubmitEntryAsync(request)).Duplicate);
        var drc = new BiddingBlacklistService.BiddingBlacklistServiceClient(_hub.AgencyChannel("drc"));
        Assert.Equal("张*国", Assert.Single((await drc.ListPublishedEntriesAsync(new ListPublishedEntriesRequest())).Entries).LegalRepresentativeMasked);

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 11, 27), 1));
        await _hub.Services.GetRequiredService<ExpirySweeper>().OtherListsAsync();
        Assert.Empty((await drc.ListPublishedEntriesAsync(new ListPublishedEntriesRequest())).Entries);

        await _hub.PublishAsync();
        using var call = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        Assert.Equal(
            [(entry.EntryId, Change.Submitted, PunishmentAction.Impose), (entry.EntryId, Change.EffectEnded, PunishmentAction.Lift)],
            (await call.ReadEventsAsync(2)).Select(e => (e.RecordId, e.Change, e.Action)).ToList());
    }
}
