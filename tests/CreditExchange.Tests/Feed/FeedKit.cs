using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Server.Feed;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Tests.Feed;

/// <summary>Subscribing and reading the feed in tests.</summary>
public static class FeedKit
{
    public static FeedService.FeedServiceClient Feed(this HubHost hub, string agencyId) => new(hub.AgencyChannel(agencyId));

    /// <summary>Numbers what has committed, as the background publisher does every 50 ms, so a test need not wait for it.</summary>
    /// <summary>
    /// Numbers every committed event now: publishes, and when the background publisher held the publishers' lock at
    /// that moment (the call then numbers nothing), waits until it has numbered them (fails after 30 s).
    /// </summary>
    public static async Task PublishAsync(this HubHost hub)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        await hub.Services.GetRequiredService<FeedPublisher>().PublishAllAsync(CancellationToken.None);
        while (hub.Query(db => db.RecordEvents.Any(e => e.FeedPosition == null)))
        {
            Assert.True(DateTime.UtcNow < deadline, "Committed events were not numbered within 30 s.");
            await Task.Delay(20);
            await hub.Services.GetRequiredService<FeedPublisher>().PublishAllAsync(CancellationToken.None);
        }
    }

    /// <summary>The events of a stream, until <paramref name="count"/> have arrived (fails after <paramref name="seconds"/>).</summary>
    public static async Task<List<FeedEvent>> ReadEventsAsync(this AsyncServerStreamingCall<SubscribeResponse> call, int count, int seconds = 30)
    {
        var events = new List<FeedEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (events.Count < count)
        {
            Assert.True(await call.ResponseStream.MoveNext(timeout.Token), $"the stream ended after {events.Count} of {count} events");
            if (call.ResponseStream.Current.Event is { } e)
            {
                events.Add(e);
            }
        }

        return events;
    }

    /// <summary>The next heartbeat of a stream (events before it are returned too).</summary>
    public static async Task<(Heartbeat Heartbeat, List<FeedEvent> Events)> ReadHeartbeatAsync(this AsyncServerStreamingCall<SubscribeResponse> call, int seconds = 30)
    {
        var events = new List<FeedEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "the stream ended before a heartbeat");
            var current = call.ResponseStream.Current;
            if (current.Heartbeat is { } heartbeat)
            {
                return (heartbeat, events);
            }

            events.Add(current.Event);
        }
    }
}
