using System.Diagnostics;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Appraisal;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Tests.Feed;

/// <summary>The joint-punishment feed over real Kestrel, real mTLS and real PostgreSQL.</summary>
[Collection("postgres")]
public sealed class FeedServiceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private string _database = null!;
    private HubHost _hub = null!;

    public async Task InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        _hub = await HubHost.StartAsync(_database);
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Subscribe_ManyConcurrentWriters_EveryEventOnceGapFreeInOrder()
    {
        using var call = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        const int Writers = 8, PerWriter = 40;

        // Eight writers submit and change records in parallel, on their own channels: no writer waits for another's commit.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var agency = w % 2 == 0 ? "court" : "supervision";
            var records = _hub.Records(agency);
            for (var i = 0; i < PerWriter; i++)
            {
                var request = Submission(agency == "court" ? Category.JudicialJudgment : Category.DisciplinarySanction);
                var record = (await records.SubmitRecordAsync(request)).Record;
                if (i % 4 == 0)
                {
                    await _hub.Lifecycle(agency).RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Reason = "撤销" });
                }
            }
        })));
        var expected = _hub.Query(db => db.RecordEvents.AsNoTracking().Select(e => new { e.RecordId, e.Version }).ToList());

        var events = await call.ReadEventsAsync(expected.Count);

        Assert.Equal(Writers * PerWriter * 5 / 4, expected.Count);
        Assert.Equal(Enumerable.Range(1, expected.Count).Select(i => (long)i), events.Select(e => e.Sequence)); // strictly increasing, gap-free
        Assert.Equal(
            expected.Select(e => (e.RecordId.ToString(), e.Version)).Order(),
            events.Select(e => (e.RecordId, e.RecordVersion)).Order()); // each exactly once
        // A record's own changes arrive in the order they were made.
        Assert.All(events.GroupBy(e => e.RecordId), g => Assert.Equal(g.Select(e => e.RecordVersion).Order(), g.Select(e => e.RecordVersion)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Subscribe_TransactionHeldOpenInAnotherDatabase_EveryEventDeliveredWhileItStaysOpen(bool prepared)
    {
        // A session in another database of the same cluster holds a transaction with an id (or prepares one): nothing
        // the hub writes depends on it, and the feed must not wait for it.
        var other = new Npgsql.NpgsqlConnectionStringBuilder(_database) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var holder = new Npgsql.NpgsqlConnection(other);
        await holder.OpenAsync();
        var gid = "hold-" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(holder, "BEGIN");
        await ExecuteAsync(holder, "SELECT pg_current_xact_id()");
        if (prepared)
        {
            await ExecuteAsync(holder, $"PREPARE TRANSACTION '{gid}'");
        }

        try
        {
            using var call = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0 });
            const int Writers = 8, PerWriter = 10;
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var agency = w % 2 == 0 ? "court" : "supervision";
                var records = _hub.Records(agency);
                for (var i = 0; i < PerWriter; i++)
                {
                    var record = (await records.SubmitRecordAsync(Submission(agency == "court" ? Category.JudicialJudgment : Category.DisciplinarySanction))).Record;
                    if (i % 2 == 0)
                    {
                        await _hub.Lifecycle(agency).RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Reason = "撤销" });
                    }
                }
            })));
            var expected = _hub.Query(db => db.RecordEvents.AsNoTracking().Select(e => new { e.RecordId, e.Version }).ToList());

            // Read while the foreign transaction is still open.
            var events = await call.ReadEventsAsync(expected.Count);

            Assert.Equal(Writers * PerWriter * 3 / 2, expected.Count);
            Assert.Equal(Enumerable.Range(1, expected.Count).Select(i => (long)i), events.Select(e => e.Sequence));
            Assert.Equal(expected.Select(e => (e.RecordId.ToString(), e.Version)).Order(), events.Select(e => (e.RecordId, e.RecordVersion)).Order());
            Assert.All(events.GroupBy(e => e.RecordId), g => Assert.Equal(g.Select(e => e.RecordVersion).Order(), g.Select(e => e.RecordVersion)));
            Assert.True(await StillOpenAsync(other, prepared, gid), "the foreign transaction ended before the events were read");
        }
        finally
        {
            if (prepared)
            {
                await ExecuteAsync(holder, $"ROLLBACK PREPARED '{gid}'");
            }
            else
            {
                await ExecuteAsync(holder, "ROLLBACK");
            }
        }
    }

    [Fact]
    public async Task Heartbeat_WhileNumberingIsHeldBack_SaysHowManyEventsWaitAndSinceWhen()
    {
        // Another session holds the publishers' lock (as a stuck instance would): nothing is numbered meanwhile.
        await using var holder = new Npgsql.NpgsqlConnection(_database);
        await holder.OpenAsync();
        await ExecuteAsync(holder, "SELECT pg_advisory_lock(73964811474242)"); // FeedStore's publisher lock, 0x434546505542
        for (var i = 0; i < 3; i++)
        {
            await _hub.Records("court").SubmitRecordAsync(Submission());
        }

        using var call = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0, HeartbeatSeconds = 1 });
        Assert.True(await call.ResponseStream.MoveNext());
        var held = call.ResponseStream.Current.Heartbeat;

        Assert.Equal((0L, 0L, 3L), (held.LatestSequence, held.ResumeAfterSequence, held.PendingEvents));
        Assert.NotNull(held.OldestPendingAge);

        await ExecuteAsync(holder, "SELECT pg_advisory_unlock(73964811474242)");
        var events = await call.ReadEventsAsync(3);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Sequence));
        var (after, _) = await call.ReadHeartbeatAsync();
        Assert.Equal((3L, 0L), (after.LatestSequence, after.PendingEvents));
        Assert.Null(after.OldestPendingAge);
    }

    [Fact]
    public async Task HeldBack_AForeignSessionHoldsThePublishersLock_WarningNamesItsPidThenCaughtUp()
    {
        var logs = new Operations.CapturingLoggerProvider();
        var database = await postgres.CreateDatabaseAsync();
        await using var hub = await HubHost.StartAsync(
            database,
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information", ["Hub:Feed:HeldBackWarning"] = "00:00:01" },
            services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        using var call = hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0, Subscription = "watched", HeartbeatSeconds = 1 });
        await call.ReadHeartbeatAsync();

        await using var holder = new Npgsql.NpgsqlConnection(database);
        await holder.OpenAsync();
        await using (var pid = new Npgsql.NpgsqlCommand("SELECT pg_backend_pid()", holder))
        {
            var holderPid = (int)(await pid.ExecuteScalarAsync())!;
            await ExecuteAsync(holder, "SELECT pg_advisory_lock(73964811474242)"); // FeedStore's publisher lock, as a stuck instance holds it
            await hub.Records("court").SubmitRecordAsync(Submission());
            await hub.Records("court").SubmitRecordAsync(Submission());

            await Eventually.HoldsAsync(() => logs.Lines.Any(l => l.Contains("Feed numbering is held back", StringComparison.Ordinal)), seconds: 30);
            var warning = logs.Lines.First(l => l.Contains("Feed numbering is held back", StringComparison.Ordinal));
            Assert.Contains("2 committed events wait", warning, StringComparison.Ordinal);
            Assert.Contains($"pid {holderPid} (holds the feed publishers' lock; database ", warning, StringComparison.Ordinal);
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(new Uri(hub.ManagementAddress!, "/metrics"));
            // Other hubs of this test process export the same instruments: the value is read from this hub's backlog.
            Assert.Contains("creditexchange_feed_pending", metrics, StringComparison.Ordinal);
            Assert.Equal(2, hub.Services.GetRequiredService<Server.Feed.FeedBacklog>().Count);
            // The per-stream series (what /metrics exports of this hub's streams when it runs alone in its process).
            var stream = Assert.Single(hub.Services.GetRequiredService<Server.Feed.FeedStreams>().OpenStreams, s => s.Name == "watched");
            Assert.Equal(("drc", 0L, 0d), (stream.Agency, stream.Cursor, stream.LagSeconds(0)));
        }

        await ExecuteAsync(holder, "SELECT pg_advisory_unlock(73964811474242)");
        Assert.Equal([1L, 2L], (await call.ReadEventsAsync(2)).Select(e => e.Sequence));
        await Eventually.HoldsAsync(() => logs.Lines.Any(l => l.Contains("Feed numbering caught up after being held back", StringComparison.Ordinal)), seconds: 30);
        Assert.Single(logs.Lines, l => l.Contains("Feed numbering is held back", StringComparison.Ordinal)); // once a minute, not every second
    }

    [Fact]
    public void StreamLag_ZeroAtTheHeadAndGrowingWhileBehind()
    {
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var signal = new Server.Feed.FeedSignal();
        var streams = new Server.Feed.FeedStreams(signal, meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        using var stream = streams.Open("drc", null, cursor: 5);
        var opened = Stopwatch.GetTimestamp();
        signal.Notify(head: 5);
        Assert.Equal(0, stream.LagSeconds(signal.Head));

        signal.Notify(head: 9);
        Thread.Sleep(20);
        Assert.InRange(stream.LagSeconds(signal.Head), 0.015, 60);
        Assert.Equal("call-1", stream.Name);

        stream.Evaluated(9, caughtUp: true, Stopwatch.GetTimestamp());
        Assert.Equal((0d, 9L), (stream.LagSeconds(signal.Head), stream.Cursor));
        stream.Evaluated(12, caughtUp: false, opened); // read further than any announcement: the head follows
        Assert.Equal(12, signal.Head);
    }

    [Fact]
    public async Task NamedSubscriptions_BeyondTheLimit_RefusedThenListedAndOneDeletedToMakeRoom()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Hub:Feed:MaxSubscriptionsPerAgency"] = "3" });
        var feed = hub.Feed("court");
        foreach (var name in new[] { "a", "b", "c" })
        {
            await feed.AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = name, Sequence = 0 });
        }

        var acknowledged = await Assert.ThrowsAsync<RpcException>(() => feed.AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "d", Sequence = 0 }).ResponseAsync);
        using var subscribed = feed.Subscribe(new SubscribeRequest { Subscription = "e" });
        var subscribing = await Assert.ThrowsAsync<RpcException>(() => subscribed.ResponseStream.MoveNext());
        await feed.AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "a", Sequence = 0 }); // an existing one still moves
        await hub.Feed("drc").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "a", Sequence = 0 }); // another agency counts its own

        Assert.Equal((StatusCode.ResourceExhausted, "SUBSCRIPTION_LIMIT_REACHED"), (acknowledged.StatusCode, TestData.Reason(acknowledged)));
        Assert.Equal((StatusCode.ResourceExhausted, "SUBSCRIPTION_LIMIT_REACHED"), (subscribing.StatusCode, TestData.Reason(subscribing)));
        var listed = await feed.ListSubscriptionsAsync(new ListSubscriptionsRequest());
        Assert.Equal(["a", "b", "c"], listed.Subscriptions.Select(s => s.Name));
        Assert.Equal(3, listed.Limit);

        var deleted = await feed.DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = "b" });
        var again = await Assert.ThrowsAsync<RpcException>(() => feed.DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = "b" }).ResponseAsync);
        await feed.AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "d", Sequence = 0 });

        Assert.Equal("b", deleted.Subscription.Name);
        Assert.Equal((StatusCode.NotFound, "SUBSCRIPTION_NOT_FOUND"), (again.StatusCode, TestData.Reason(again)));
        Assert.Equal(["a", "c", "d"], (await feed.ListSubscriptionsAsync(new ListSubscriptionsRequest())).Subscriptions.Select(s => s.Name));
    }

    private static async Task ExecuteAsync(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<bool> StillOpenAsync(string connectionString, bool prepared, string gid)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            prepared
                ? $"SELECT count(*) FROM pg_prepared_xacts WHERE gid = '{gid}'"
                : "SELECT count(*) FROM pg_stat_activity WHERE datname = 'postgres' AND state = 'idle in transaction' AND backend_xid IS NOT NULL",
            connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    [Fact]
    public async Task Subscribe_ResumeAfterDisconnect_NothingLostNothingRepeated()
    {
        var first = await SubmitAsync(5);
        List<FeedEvent> before;
        using (var call = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0 }))
        {
            before = await call.ReadEventsAsync(3);
        }

        var later = await SubmitAsync(4);
        using var resumed = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = before[^1].Sequence });
        var after = await resumed.ReadEventsAsync(6);

        Assert.Equal(first.Concat(later), before.Concat(after).Select(e => e.RecordId));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), before.Concat(after).Select(e => e.Sequence));
    }

    [Fact]
    public async Task NamedSubscription_SurvivesHubRestart_ResumesAfterItsAcknowledgement()
    {
        var ids = await SubmitAsync(4);
        using (var call = _hub.Feed("organization").Subscribe(new SubscribeRequest { Subscription = "appraisal-sync", AfterSequence = 0 }))
        {
            var events = await call.ReadEventsAsync(4);
            var ack = await _hub.Feed("organization").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "appraisal-sync", Sequence = events[1].Sequence });
            Assert.Equal(2, ack.AcknowledgedSequence);
            var back = await _hub.Feed("organization").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "appraisal-sync", Sequence = 1 });
            Assert.Equal(2, back.AcknowledgedSequence); // never moves back
        }

        await _hub.DisposeAsync();
        _hub = await HubHost.StartAsync(_database);
        using var restarted = _hub.Feed("organization").Subscribe(new SubscribeRequest { Subscription = "appraisal-sync" });
        var resumed = await restarted.ReadEventsAsync(2);

        Assert.Equal(ids[2..], resumed.Select(e => e.RecordId));
        Assert.Equal([3L, 4L], resumed.Select(e => e.Sequence));
        // Another agency's subscription of the same name is its own.
        var other = await _hub.Feed("drc").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "appraisal-sync", Sequence = 0 });
        Assert.Equal(0, other.AcknowledgedSequence);
    }

    [Fact]
    public async Task TwoInstances_SubmitThroughOne_ArrivesOnTheOtherByNotification()
    {
        // B polls every 10 s and numbers events only every 10 s: A numbers the event, and only A's NOTIFY
        // can bring it to B's stream quickly.
        await using var a = await HubHost.StartAsync(_database, new Dictionary<string, string?> { ["Hub:Feed:PollInterval"] = "00:00:10" });
        await using var b = await HubHost.StartAsync(_database, new Dictionary<string, string?> { ["Hub:Feed:PollInterval"] = "00:00:10", ["Hub:Feed:PublishInterval"] = "00:00:10" });
        using var call = b.Feed("drc").Subscribe(new SubscribeRequest { FromNow = true, HeartbeatSeconds = 300 });
        await call.ReadHeartbeatAsync(); // subscribed

        var watch = Stopwatch.StartNew();
        var submitted = (await a.Records("court").SubmitRecordAsync(Submission())).Record;
        var arrived = (await call.ReadEventsAsync(1, seconds: 8)).Single();

        Assert.Equal(submitted.RecordId, arrived.RecordId);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Subscribe_Filters_CategoryChangeDomainRegion()
    {
        var judgment = Submission(Category.JudicialJudgment);
        judgment.Record.Subject.DivisionCode = "150203";
        var sanction = Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject());
        var breach = Submission(Category.BreachOfCommitment, RecordDomain.Ppp);
        var j = (await _hub.Records("court").SubmitRecordAsync(judgment)).Record;
        var s = (await _hub.Records("supervision").SubmitRecordAsync(sanction)).Record;
        var p = (await _hub.Records("finance").SubmitRecordAsync(breach)).Record;
        await _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = j.RecordId, ExpectedVersion = 1, Reason = "撤销" });

        async Task<List<string>> Seen(SubscribeRequest request)
        {
            request.AfterSequence = 0;
            request.HeartbeatSeconds = 1;
            using var call = _hub.Feed("drc").Subscribe(request);
            var (heartbeat, events) = await call.ReadHeartbeatAsync();
            while (heartbeat.ResumeAfterSequence < 4)
            {
                var next = await call.ReadHeartbeatAsync();
                heartbeat = next.Heartbeat;
                events.AddRange(next.Events);
            }

            return events.Select(e => $"{e.RecordId}:{e.Change}").ToList();
        }

        Assert.Equal([$"{s.RecordId}:{RecordChange.Submitted}"], await Seen(new SubscribeRequest { Categories = { Category.DisciplinarySanction } }));
        Assert.Equal([$"{j.RecordId}:{RecordChange.Revoked}"], await Seen(new SubscribeRequest { Changes = { RecordChange.Revoked } }));
        Assert.Equal([$"{p.RecordId}:{RecordChange.Submitted}"], await Seen(new SubscribeRequest { Domains = { RecordDomain.Ppp } }));
        Assert.Equal([$"{j.RecordId}:{RecordChange.Submitted}", $"{j.RecordId}:{RecordChange.Revoked}"], await Seen(new SubscribeRequest { DivisionCode = "150200" }));
    }

    [Fact]
    public async Task Subscribe_AgencyWithoutQueryRights_OnlyEventsOfItsOwnRecords()
    {
        var court = (await _hub.Records("court").SubmitRecordAsync(Submission())).Record;
        await _hub.Records("supervision").SubmitRecordAsync(Submission(Category.DisciplinarySanction));
        var court2 = (await _hub.Records("court").SubmitRecordAsync(Submission())).Record;

        using var call = _hub.Feed("court").Subscribe(new SubscribeRequest { AfterSequence = 0, HeartbeatSeconds = 1 });
        var (heartbeat, events) = await call.ReadHeartbeatAsync();
        while (heartbeat.ResumeAfterSequence < 3)
        {
            var next = await call.ReadHeartbeatAsync();
            heartbeat = next.Heartbeat;
            events.AddRange(next.Events);
        }

        Assert.Equal([court.RecordId, court2.RecordId], events.Select(e => e.RecordId));
        Assert.Equal([1L, 3L], events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Events_SayWhatToDo_ImposeUpdateLiftAndWithholdRepairedContent()
    {
        var subject = AppraisalTestData.Body();
        var revoked = await AppraisalTestData.SubmitAsync(_hub, AppraisalTestData.Record(subject, Category.JudicialJudgment, Severity.General, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-200)));
        // A breach of a credit commitment (finance's): credit repair reaches it, not a court's judgment.
        var repaired = await AppraisalTestData.SubmitAsync(_hub, AppraisalTestData.Record(subject, Category.BreachOfCommitment, Severity.General, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-200)));
        await AppraisalTestData.DriveToAsync(_hub, revoked, RecordStatus.Corrected);
        await AppraisalTestData.DriveToAsync(_hub, revoked, RecordStatus.InDispute);
        var history = await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = revoked });
        await _hub.Lifecycle("court").AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = history.Objections[0].ObjectionId, ExpectedVersion = history.Record.Version, Outcome = ObjectionState.Revoked, Answer = "撤销",
        });
        await AppraisalTestData.DriveToAsync(_hub, repaired, RecordStatus.Repaired);

        using var drc = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        using var finance = _hub.Feed("finance").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        var events = await drc.ReadEventsAsync(7);
        var sources = await finance.ReadEventsAsync(3);

        Assert.Equal(
            [
                (revoked, RecordChange.Submitted, PunishmentAction.Impose),
                (repaired, RecordChange.Submitted, PunishmentAction.Impose),
                (revoked, RecordChange.Corrected, PunishmentAction.Update),
                (revoked, RecordChange.ObjectionFiled, PunishmentAction.None),
                (revoked, RecordChange.ObjectionAnswered, PunishmentAction.Lift),
                (repaired, RecordChange.RepairApplied, PunishmentAction.None),
                (repaired, RecordChange.RepairDecided, PunishmentAction.Lift),
            ],
            events.Select(e => (e.RecordId, e.Change, e.Action)));
        // Sharing of the repaired record stopped: the regional platform learns what to lift, not the content.
        Assert.All(events.Where(e => e.RecordId == repaired), e => Assert.Null(e.Record));
        Assert.All(events.Where(e => e.RecordId == revoked), e => Assert.Equal(RecordStatus.Revoked, e.Record.Status));
        Assert.All(sources, e => Assert.Equal((repaired, RecordStatus.Repaired), (e.RecordId, e.Record.Status))); // the source keeps it
        Assert.Equal(events.Where(e => e.RecordId == repaired).Select(e => e.Sequence), sources.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Subscribe_SlowSubscriber_CutOffWithItsResumePointWhileAnotherKeepsReceiving()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Hub:Feed:SlowSubscriberTimeout"] = "00:00:01" });
        var big = Submission();
        big.Record.Facts = new string('事', 7_000);
        using var slow = hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        using var fast = hub.Feed("organization").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        Assert.True(await slow.ResponseStream.MoveNext()); // the first heartbeat; then the slow client stops reading
        var reading = fast.ReadEventsAsync(300, seconds: 120); // the other one reads as events come
        var records = hub.Records("court");
        for (var i = 0; i < 300; i++)
        {
            var item = big.Clone();
            item.SourceRecordId = TestData.NewSourceId("big");
            await records.SubmitRecordAsync(item);
        }

        var fastEvents = await reading;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var received = new List<FeedEvent>();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await slow.ResponseStream.MoveNext())
            {
                if (slow.ResponseStream.Current.Event is { } ev)
                {
                    received.Add(ev);
                }
            }
        });

        Assert.Equal(300, fastEvents.Count);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.True(received.Count < 300, "the slow subscriber was cut off before the end");
        // Resuming after the last event received misses nothing.
        using var again = hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = received.Count == 0 ? 0 : received[^1].Sequence });
        var rest = await again.ReadEventsAsync(300 - received.Count, seconds: 60);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), received.Concat(rest).Select(x => x.Sequence));
        var audited = hub.Query(db => db.AuditEntries.Count(a => a.Method.EndsWith("/Subscribe") && a.Reason == "FEED_SUBSCRIBER_TOO_SLOW"));
        Assert.Equal(1, audited);
    }

    [Fact]
    public async Task Subscribe_FilteredSlowSubscriberCut_LogNamesTheLastSequenceWrittenNotTheLastEvaluated()
    {
        var logs = new Operations.CapturingLoggerProvider();
        await using var hub = await HubHost.StartAsync(
            await postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?> { ["Hub:Feed:SlowSubscriberTimeout"] = "00:00:01" },
            services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        var big = Submission();
        big.Record.Facts = new string('事', 7_000);
        // The slow subscriber asks for court's judgments only; between two of them come records it does not ask for.
        using var slow = hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0, Categories = { Category.JudicialJudgment } });
        Assert.True(await slow.ResponseStream.MoveNext()); // the first heartbeat; then the slow client stops reading
        for (var i = 0; i < 150; i++)
        {
            var item = big.Clone();
            item.SourceRecordId = TestData.NewSourceId("big");
            await hub.Records("court").SubmitRecordAsync(item);
            await hub.Records("supervision").SubmitRecordAsync(Submission(Category.DisciplinarySanction));
        }

        await Eventually.HoldsAsync(() => logs.Lines.Any(l => l.Contains("written up to sequence", StringComparison.Ordinal)), seconds: 120);

        // The judgments numbered so far (the later ones may still wait): what the stream could have carried.
        var judgments = hub.Query(db => db.RecordEvents.Where(e => e.FeedPosition != null && db.Records.Any(r => r.Id == e.RecordId && r.Category == (int)Category.JudicialJudgment))
            .Select(e => e.FeedPosition!.Value).ToList());
        var line = logs.Lines.First(l => l.Contains("written up to sequence", StringComparison.Ordinal));
        var written = long.Parse(System.Text.RegularExpressions.Regex.Match(line, @"written up to sequence (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // A sequence the stream really carried (a judgment's), never the position of a record it skipped past.
        Assert.Contains(written, judgments.Append(0));
    }

    [Fact]
    public async Task Subscribe_LongerThanMaxCallDuration_KeepsStreaming_AndBatchesAuditedAsDelivered()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Hub:Limits:MaxCallDuration"] = "00:00:02" });
        using var call = hub.Feed("drc").Subscribe(new SubscribeRequest { FromNow = true, HeartbeatSeconds = 1 });
        await call.ReadHeartbeatAsync();
        var first = (await hub.Records("court").SubmitRecordAsync(Submission())).Record;
        Assert.Equal(first.RecordId, (await call.ReadEventsAsync(1)).Single().RecordId);

        await Task.Delay(TimeSpan.FromSeconds(3)); // past MaxCallDuration
        var second = (await hub.Records("court").SubmitRecordAsync(Submission())).Record;

        Assert.Equal(second.RecordId, (await call.ReadEventsAsync(1)).Single().RecordId);
        // Each delivery was audited while the stream still runs (the audit entry is written right after the batch is sent).
        List<string> deliveries = [];
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(10) && !deliveries.Contains(second.RecordId); await Task.Delay(50))
        {
            deliveries = hub.Query(db => db.AuditEntries.AsNoTracking().Where(a => a.AgencyId == "drc" && a.Method.EndsWith("/Subscribe")).Select(a => a.RecordIds).ToList());
        }

        Assert.Contains(first.RecordId, deliveries);
        Assert.Contains(second.RecordId, deliveries);
    }

    [Fact]
    public async Task Subscribe_Heartbeats_CarryHeadAndResumePointPastFilteredEvents()
    {
        await SubmitAsync(3);
        await _hub.PublishAsync();
        using var call = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0, HeartbeatSeconds = 1, Categories = { Category.ProcuratorialOutcome } });

        var (first, _) = await call.ReadHeartbeatAsync();
        var (second, events) = await call.ReadHeartbeatAsync();

        Assert.Equal((3L, 0L), (first.LatestSequence, first.ResumeAfterSequence));
        Assert.Equal((3L, 3L), (second.LatestSequence, second.ResumeAfterSequence));
        Assert.Empty(events);
    }

    [Fact]
    public async Task Subscribe_InstanceStops_StreamEndsAtOnceWithOk()
    {
        var instance = await HubHost.StartAsync(_database);
        // A channel the instance does not own (it disposes its own before stopping).
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(instance.Address, new Grpc.Net.Client.GrpcChannelOptions
        {
            HttpHandler = new HubClient.BearerHandler(() => instance.TokenAsync("drc")) { InnerHandler = HubClient.Handler(TestCertificates.Agency("drc")) },
        });
        using var call = new FeedService.FeedServiceClient(channel).Subscribe(new SubscribeRequest { FromNow = true, HeartbeatSeconds = 300 });
        await call.ReadHeartbeatAsync();

        var stopping = instance.DisposeAsync().AsTask();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20)); // the shutdown timeout is 30 s
        var more = await call.ResponseStream.MoveNext(bound.Token);
        await stopping;

        Assert.False(more);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Subscribe_BadStartOrName_RefusedWithReasons()
    {
        await SubmitAsync(1);
        await _hub.PublishAsync();

        var beyond = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 99 });
            await call.ResponseStream.MoveNext();
        });
        var ackBeyond = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Feed("drc").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "s", Sequence = 99 }).ResponseAsync);
        var badName = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Feed("drc").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "bad name!", Sequence = 0 }).ResponseAsync);
        var noScope = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = new FeedService.FeedServiceClient(_hub.Channel(TestCertificates.Agency("court"), () => _hub.TokenAsync("court", "records.read"))).Subscribe(new SubscribeRequest());
            await call.ResponseStream.MoveNext();
        });

        Assert.Equal((StatusCode.OutOfRange, "FEED_SEQUENCE_NOT_REACHED"), (beyond.StatusCode, TestData.Reason(beyond)));
        Assert.Equal((StatusCode.OutOfRange, "FEED_SEQUENCE_NOT_REACHED"), (ackBeyond.StatusCode, TestData.Reason(ackBeyond)));
        Assert.Equal(StatusCode.InvalidArgument, badName.StatusCode);
        Assert.Contains("subscription", TestData.ViolatedFields(badName));
        Assert.Equal((StatusCode.PermissionDenied, "SCOPE_MISSING"), (noScope.StatusCode, TestData.Reason(noScope)));
    }

    /// <summary>Submits <paramref name="count"/> court records one after another; their ids in order.</summary>
    /// <summary>
    /// A submission decided a month ago, so that no record is already past its disclosure period: the start-up
    /// expiry sweep, racing the first submissions, then adds no EXPIRED event to the ones a test counts.
    /// </summary>
    private static SubmitRecordRequest Submission(Category category = Category.JudicialJudgment, RecordDomain domain = RecordDomain.Other, Subject? subject = null) =>
        TestData.Submission(category, domain, subject, DateTime.UtcNow.AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    private async Task<List<string>> SubmitAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await _hub.Records("court").SubmitRecordAsync(Submission())).Record.RecordId);
        }

        return ids;
    }
}
