extern alias sdk;

using System.Collections.Concurrent;
using System.Diagnostics;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using Client = sdk::CreditExchange.Client;
using SdkFeed = sdk::CreditExchange.Contracts.Feed.V1;

namespace CreditExchange.Tests.ClientSdk;

/// <summary>
/// The C# SDK's feed follower against live hubs (real Kestrel, mTLS, PostgreSQL) that really go away:
/// an instance stopped and started again behind a TCP relay (as behind a load balancer), the hub's
/// slow-subscriber cut-off, a network path that goes silent, and a department system restarting on
/// its named subscription.
/// </summary>
[Collection("postgres")]
public sealed class DotnetFeedFollowerTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FollowFeed_HubStopsAndStartsAgain_ResumesWithFreshTokenNothingLostNothingRepeated()
    {
        var database = await postgres.CreateDatabaseAsync();
        var shortTokens = new Dictionary<string, string?> { ["Hub:Tokens:AccessTokenLifetime"] = "00:00:02" };
        await using var writer = await HubHost.StartAsync(database); // the department systems keep submitting through another instance
        HubHost? followed = await HubHost.StartAsync(database, shortTokens);
        await using var relay = new TcpRelay(followed.Address.Port);
        using var drc = Connect(relay.Address, "drc");
        var handled = new ConcurrentQueue<SdkFeed.FeedEvent>();
        var reconnects = new ConcurrentQueue<Client.FeedReconnect>();
        var follower = drc.FollowFeed(
            new SdkFeed.SubscribeRequest { FromNow = true, HeartbeatSeconds = 1 },
            new Client.FeedFollowerOptions { InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(1), OnReconnect = reconnects.Enqueue });
        using var stop = new CancellationTokenSource();
        var running = follower.RunAsync(e =>
        {
            handled.Enqueue(e);
            return Task.CompletedTask;
        }, stop.Token);
        try
        {
            await WaitUntilAsync(() => follower.Position is not null, running);
            var before = await SubmitAsync(writer, 3);
            await WaitUntilAsync(() => handled.Count == 3, running);

            await followed.DisposeAsync(); // the followed instance stops under the open stream
            followed = null;
            var during = await SubmitAsync(writer, 3);
            await Task.Delay(TimeSpan.FromSeconds(2.5)); // the first token has expired meanwhile
            followed = await HubHost.StartAsync(database, shortTokens);
            relay.TargetPort = followed.Address.Port;
            var after = await SubmitAsync(writer, 2);
            await WaitUntilAsync(() => handled.Count >= 8, running);
            await stop.CancelAsync();
            await running;

            Assert.Equal(before.Concat(during).Concat(after), handled.Select(e => e.RecordId));
            Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), handled.Select(e => e.Sequence)); // gap-free, each once
            Assert.All(handled, e => Assert.Equal(SdkFeed.PunishmentAction.Impose, e.Action));
            Assert.Null(reconnects.First().Error); // the stopping instance ended the stream (status OK), then it was down a while
            Assert.True(follower.Reconnects >= 1);
            Assert.True(drc.Tokens.TokensIssued >= 2, "a reconnect after the token's lifetime fetched a new token");
            Assert.DoesNotContain(reconnects, r => r.Error is RpcException { StatusCode: StatusCode.Unauthenticated }); // never tried a stale token
            Assert.Equal(8, follower.Position);
        }
        finally
        {
            await stop.CancelAsync();
            if (followed is not null)
            {
                await followed.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task FollowFeed_NamedSubscription_NewFollowerResumesAfterAcknowledgedAndRedeliversWhatFailed()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        var first = await SubmitAsync(hub, 5);
        var firstSeen = new List<SdkFeed.FeedEvent>();
        using (var drc = Connect(hub.Address, "drc"))
        using (var stop = new CancellationTokenSource())
        {
            var follower = drc.FollowFeed(
                new SdkFeed.SubscribeRequest { Subscription = "punishments", AfterSequence = 0, HeartbeatSeconds = 1 },
                new Client.FeedFollowerOptions { AcknowledgeEvery = 2 });
            await follower.RunAsync(
                e =>
                {
                    firstSeen.Add(e);
                    if (firstSeen.Count == 5)
                    {
                        stop.Cancel(); // the department's system shuts down after its fifth event
                    }

                    return Task.CompletedTask;
                },
                stop.Token).WaitAsync(Patience);
            Assert.Equal(5, follower.AcknowledgedSequence); // acknowledged on the way out
        }

        var later = await SubmitAsync(hub, 3); // committed while nobody follows

        // The system restarts with no cursor of its own; its handler fails on the second event.
        var secondSeen = new List<SdkFeed.FeedEvent>();
        using var restarted = Connect(hub.Address, "drc");
        var second = restarted.FollowFeed(new SdkFeed.SubscribeRequest { Subscription = "punishments", HeartbeatSeconds = 1 });
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => second.RunAsync(e =>
        {
            secondSeen.Add(e);
            return secondSeen.Count == 2 ? throw new InvalidOperationException("the punishment system is down") : Task.CompletedTask;
        }).WaitAsync(Patience));

        // A third start gets the failed event again (at least once, never skipped) and what followed it.
        var thirdSeen = new List<SdkFeed.FeedEvent>();
        using var again = Connect(hub.Address, "drc");
        var third = again.FollowFeed(new SdkFeed.SubscribeRequest { Subscription = "punishments", HeartbeatSeconds = 1 });
        using (var stop = new CancellationTokenSource())
        {
            await third.RunAsync(
                e =>
                {
                    thirdSeen.Add(e);
                    if (thirdSeen.Count == 2)
                    {
                        stop.Cancel();
                    }

                    return Task.CompletedTask;
                },
                stop.Token).WaitAsync(Patience);
        }

        Assert.Equal(first, firstSeen.Select(e => e.RecordId));
        Assert.Equal("the punishment system is down", failure.Message);
        Assert.Equal(later[..2], secondSeen.Select(e => e.RecordId));
        Assert.Equal(6, second.AcknowledgedSequence); // the event it completed, not the one that failed
        Assert.Equal(later[1..], thirdSeen.Select(e => e.RecordId));
        Assert.Equal([7L, 8L], thirdSeen.Select(e => e.Sequence));
        Assert.Equal(8, third.AcknowledgedSequence);
    }

    [Fact]
    public async Task FollowFeed_SlowHandlerCutOffByHub_ResumesAfterLastHandledEvent()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Hub:Feed:SlowSubscriberTimeout"] = "00:00:01" });
        var big = TestData.Submission();
        big.Record.Facts = new string('事', 7_000); // 300 of these overflow the HTTP/2 windows
        var records = hub.Records("court");
        for (var i = 0; i < 300; i++)
        {
            var item = big.Clone();
            item.SourceRecordId = TestData.NewSourceId("big");
            await records.SubmitRecordAsync(item);
        }

        using var drc = Connect(hub.Address, "drc");
        var handled = new List<long>();
        var reconnects = new ConcurrentQueue<Client.FeedReconnect>();
        var follower = drc.FollowFeed(
            new SdkFeed.SubscribeRequest { AfterSequence = 0 },
            new Client.FeedFollowerOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), OnReconnect = reconnects.Enqueue });
        using var stop = new CancellationTokenSource();

        await follower.RunAsync(
            async e =>
            {
                if (handled.Count == 0)
                {
                    // The handler is busy until the hub has given up on this stream.
                    await WaitUntilAsync(() => hub.Query(db => db.AuditEntries.Any(a => a.Reason == "FEED_SUBSCRIBER_TOO_SLOW")), Task.Delay(Timeout.Infinite));
                }

                handled.Add(e.Sequence);
                if (handled.Count == 300)
                {
                    await stop.CancelAsync();
                }
            },
            stop.Token).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), handled);
        Assert.Contains(reconnects, r => r.Error is RpcException { StatusCode: StatusCode.ResourceExhausted });
        Assert.Equal(0, follower.DuplicatesDropped);
    }

    [Fact]
    public async Task FollowFeed_NetworkPathGoesSilent_ReplacesTheConnectionAndMissesNothing()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        await using var relay = new TcpRelay(hub.Address.Port);
        using var drc = Connect(relay.Address, "drc", o =>
        {
            o.KeepAlivePingDelay = TimeSpan.FromSeconds(1);
            o.KeepAlivePingTimeout = TimeSpan.FromSeconds(1);
        });
        var handled = new ConcurrentQueue<SdkFeed.FeedEvent>();
        var reconnects = new ConcurrentQueue<Client.FeedReconnect>();
        var follower = drc.FollowFeed(
            new SdkFeed.SubscribeRequest { FromNow = true, HeartbeatSeconds = 1 },
            new Client.FeedFollowerOptions { StallTimeout = TimeSpan.FromSeconds(3), InitialBackoff = TimeSpan.FromMilliseconds(100), OnReconnect = reconnects.Enqueue });
        using var stop = new CancellationTokenSource();
        var running = follower.RunAsync(e =>
        {
            handled.Enqueue(e);
            return Task.CompletedTask;
        }, stop.Token);

        await WaitUntilAsync(() => follower.Position is not null, running);
        var before = await SubmitAsync(hub, 1);
        await WaitUntilAsync(() => handled.Count == 1, running);
        relay.FreezeAll(); // no reset, no FIN: the packets just stop
        var after = await SubmitAsync(hub, 2);
        await WaitUntilAsync(() => handled.Count == 3, running);
        await stop.CancelAsync();
        await running;

        Assert.Equal(before.Concat(after), handled.Select(e => e.RecordId));
        Assert.Equal([1L, 2L, 3L], handled.Select(e => e.Sequence));
        Assert.NotEmpty(reconnects);
        Assert.True(relay.Accepted >= 2, "a new connection replaced the silent one");
    }

    [Fact]
    public async Task FollowFeed_FilteredStream_HeartbeatsMovePositionAndAcknowledgementPastSkippedEvents()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        using var drc = Connect(hub.Address, "drc");
        var request = new SdkFeed.SubscribeRequest
        {
            Subscription = "sanctions",
            AfterSequence = 0,
            HeartbeatSeconds = 1,
            Categories = { sdk::CreditExchange.Contracts.Records.V1.Category.DisciplinarySanction },
        };
        var handled = new ConcurrentQueue<SdkFeed.FeedEvent>();
        var follower = drc.FollowFeed(request);
        using var stop = new CancellationTokenSource();
        var running = follower.RunAsync(e =>
        {
            handled.Enqueue(e);
            return Task.CompletedTask;
        }, stop.Token);

        var sanction = await SubmitAsync(hub, 1, Contracts.Records.V1.Category.DisciplinarySanction);
        var judgments = await SubmitAsync(hub, 4); // not for this stream
        await WaitUntilAsync(() => follower.AcknowledgedSequence == 5, running); // a heartbeat cleared them
        await stop.CancelAsync();
        await running;
        var later = await SubmitAsync(hub, 1, Contracts.Records.V1.Category.DisciplinarySanction);
        using var restarted = Connect(hub.Address, "drc");
        var next = restarted.FollowFeed(new SdkFeed.SubscribeRequest { Subscription = "sanctions", HeartbeatSeconds = 1, Categories = { request.Categories } });
        var resumed = new List<SdkFeed.FeedEvent>();
        using var stopNext = new CancellationTokenSource();
        await next.RunAsync(
            e =>
            {
                resumed.Add(e);
                stopNext.Cancel();
                return Task.CompletedTask;
            },
            stopNext.Token).WaitAsync(Patience);

        Assert.Equal(sanction, handled.Select(e => e.RecordId));
        Assert.Equal(1, follower.LastHandledSequence);
        Assert.Equal(5, follower.Position);
        Assert.Equal(4, judgments.Count);
        Assert.Equal(later, resumed.Select(e => e.RecordId));
        Assert.Equal(6, resumed.Single().Sequence);
    }

    [Fact]
    public async Task FollowFeed_StartBeyondHead_FailsWithReasonWithoutRetrying()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        using var drc = Connect(hub.Address, "drc");
        var reconnects = new ConcurrentQueue<Client.FeedReconnect>();
        var follower = drc.FollowFeed(new SdkFeed.SubscribeRequest { AfterSequence = 1_000 }, new Client.FeedFollowerOptions { OnReconnect = reconnects.Enqueue });

        var e = await Assert.ThrowsAsync<Client.CreditExchangeException>(() => follower.RunAsync(_ => Task.CompletedTask).WaitAsync(Patience));

        Assert.Equal(StatusCode.OutOfRange, e.StatusCode);
        Assert.Equal(sdk::CreditExchange.Contracts.Errors.V1.ErrorReason.FeedSequenceNotReached, e.Reason);
        Assert.Empty(reconnects);
    }

    /// <summary>Submits judgments decided yesterday (so that no start-up expiry sweep adds events of its own); answers their ids.</summary>
    private static async Task<List<string>> SubmitAsync(HubHost hub, int count, Contracts.Records.V1.Category category = Contracts.Records.V1.Category.JudicialJudgment)
    {
        var records = hub.Records(category == Contracts.Records.V1.Category.JudicialJudgment ? "court" : "supervision");
        var yesterday = DateTime.UtcNow.AddHours(8).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await records.SubmitRecordAsync(TestData.Submission(category, decisionDate: yesterday))).Record.RecordId);
        }

        return ids;
    }

    /// <summary>Waits for <paramref name="condition"/>; fails after a minute, or at once when <paramref name="running"/> ended.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, Task running)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (running.IsCompleted)
            {
                await running; // its exception, if any
                Assert.Fail("the follower stopped before the condition held");
            }

            Assert.True(watch.Elapsed < Patience, "timed out waiting");
            await Task.Delay(50);
        }
    }

    private static Client.CreditExchangeClient Connect(Uri address, string agency, Action<Client.CreditExchangeClientOptions>? configure = null) =>
        DotnetSdkTests.Connect(address, agency, configure);
}
