using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Publication.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Lifecycle;

namespace CreditExchange.Tests.Feed;

/// <summary>The feed and the public list on the embedded default (SQLite, one instance).</summary>
public sealed class FeedSqliteSmokeTests : IAsyncLifetime
{
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(postgresConnectionString: null);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private static readonly string Recent = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Feed_ConcurrentWritersOnSqlite_GapFreeAndResumableByName()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Recent));
            }
        })));
        var revoked = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Recent))).Record;
        await _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = revoked.RecordId, ExpectedVersion = 1, Reason = "撤销" });

        List<FeedEvent> events;
        using (var call = _hub.Feed("drc").Subscribe(new SubscribeRequest { Subscription = "mirror", AfterSequence = 0 }))
        {
            events = await call.ReadEventsAsync(42);
        }

        await _hub.Feed("drc").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "mirror", Sequence = 40 });
        using var resumed = _hub.Feed("drc").Subscribe(new SubscribeRequest { Subscription = "mirror" });
        var rest = await resumed.ReadEventsAsync(2);

        Assert.Equal(Enumerable.Range(1, 42).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal([41L, 42L], rest.Select(e => e.Sequence));
        Assert.Equal(PunishmentAction.Lift, rest[^1].Action);
        var list = await new PublicationService.PublicationServiceClient(_hub.AgencyChannel("drc")).ListPublicationsAsync(new ListPublicationsRequest { PageSize = 500 });
        Assert.Equal(40, list.Publications.Count);
        Assert.DoesNotContain(revoked.RecordId, list.Publications.Select(p => p.RecordId));
    }

    [Fact]
    public async Task Heartbeat_EventsWaitingToBeNumbered_CountedAndAgedOnSqlite()
    {
        // A publisher that ticks only every 10 s: the submission waits to be numbered while the stream starts.
        await using var hub = await HubHost.StartAsync(null, new Dictionary<string, string?> { ["Hub:Feed:PublishInterval"] = "00:00:10" });
        await hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Recent));
        using var call = hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0, HeartbeatSeconds = 1 });

        var (heartbeat, _) = await call.ReadHeartbeatAsync();

        Assert.Equal((0L, 1L), (heartbeat.LatestSequence, heartbeat.PendingEvents));
        Assert.NotNull(heartbeat.OldestPendingAge);
        var numbered = (await call.ReadEventsAsync(1, seconds: 60)).Single();
        Assert.Equal(1, numbered.Sequence);
    }

    [Fact]
    public async Task ChangeReach_LedgerFollowerAndStatisticsOnSqlite()
    {
        var record = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Recent))).Record;
        await _hub.Records("organization").GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId });
        await _hub.Records("organization").GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId }); // nothing new to the ledger
        await _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Reason = "撤销" });

        using var follower = _hub.Feed("organization").Subscribe(new SubscribeRequest { AfterSequence = 0, ReceivedOnly = true });
        var revoked = Assert.Single(await follower.ReadEventsAsync(1));
        Assert.Equal((record.RecordId, 2L, PunishmentAction.Lift), (revoked.RecordId, revoked.RecordVersion, revoked.Action));

        var audit = new Contracts.Audit.V1.AuditService.AuditServiceClient(_hub.AgencyChannel("drc"));
        await Eventually.HoldsAsync(async () => (await audit.GetChangeReachAsync(new Contracts.Audit.V1.GetChangeReachRequest { RecordId = record.RecordId, Version = 2 }))
            .Recipients.SingleOrDefault() is { AgencyId: "organization", FirstVersion: 1, LatestVersion: 2, Delivered: true }, seconds: 60);
        await _hub.Feed("organization").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "changes", Sequence = revoked.Sequence });
        var reach = await audit.GetChangeReachAsync(new Contracts.Audit.V1.GetChangeReachRequest { RecordId = record.RecordId, Version = 2 });
        Assert.True(Assert.Single(reach.Recipients).Acknowledged);

        // Today's change is within its limit: no warning, whatever the provider.
        Assert.Empty((await audit.GetChangeReachStatisticsAsync(new Contracts.Audit.V1.GetChangeReachStatisticsRequest())).Warnings);
    }
}
