using System.Data.Common;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Tests.Feed;

/// <summary>
/// Streams at the feed's head share the read a publication wakes them for: the database reads the new events once,
/// not once per stream, and every stream still delivers every event.
/// </summary>
[Collection("postgres")]
public sealed class FeedSharedReadTests(PostgresFixture postgres)
{
    private const int Streams = 8;

    [Fact]
    public async Task Subscribe_ManyStreamsAtTheHead_OnePublication_ReadOnceAndDeliveredToEvery()
    {
        var reads = new FeedReadCounter();
        // The poll at its longest, so that what wakes the streams in the test is the publication.
        await using var hub = await HubHost.StartAsync(
            await postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?> { ["Hub:Feed:PollInterval"] = "00:00:10" },
            services: s => s.AddSingleton<IInterceptor>(reads));
        await hub.Records("court").SubmitRecordAsync(TestData.Submission());
        await hub.PublishAsync();

        var calls = Enumerable.Range(0, Streams)
            .Select(_ => hub.Feed("drc").Subscribe(new SubscribeRequest { FromNow = true, HeartbeatSeconds = 300 }))
            .ToList();
        try
        {
            foreach (var call in calls)
            {
                await call.ReadHeartbeatAsync();
            }

            // A first event brings every stream to the same position; the second publication then wakes them all there.
            var first = (await hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record.RecordId;
            var firstEvents = await Task.WhenAll(calls.Select(c => c.ReadEventsAsync(1)));
            var position = firstEvents[0].Single().Sequence;
            Assert.All(firstEvents, e => Assert.Equal((first, position), (e.Single().RecordId, e.Single().Sequence)));

            var second = (await hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record.RecordId;
            var secondEvents = await Task.WhenAll(calls.Select(c => c.ReadEventsAsync(1)));

            Assert.All(secondEvents, e => Assert.Equal(second, e.Single().RecordId));
            var readsAfter = reads.After(position);
            Assert.True(readsAfter >= 1 && readsAfter < Streams, $"{Streams} streams at sequence {position} read after it {readsAfter} times");

            // Operators see it too: the streams that took another's read.
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(new Uri(hub.ManagementAddress!, "/metrics"));
            Assert.Matches("creditexchange_feed_reads_total\\{[^}]*shared=\"true\"[^}]*\\} [1-9]", metrics);
        }
        finally
        {
            calls.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Counts the feed's reads of events after each sequence (the statement that orders events by their feed position).</summary>
    private sealed class FeedReadCounter : DbCommandInterceptor
    {
        private readonly Dictionary<long, int> _after = [];

        public int After(long sequence)
        {
            lock (_after)
            {
                return _after.GetValueOrDefault(sequence);
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("\"FeedPosition\" >", StringComparison.Ordinal)
                && command.CommandText.Contains("ORDER BY", StringComparison.Ordinal)
                && command.CommandText.Contains("LIMIT", StringComparison.Ordinal))
            {
                lock (_after)
                {
                    foreach (DbParameter parameter in command.Parameters)
                    {
                        if (parameter.Value is long after && parameter.ParameterName.Contains("after", StringComparison.OrdinalIgnoreCase))
                        {
                            _after[after] = _after.GetValueOrDefault(after) + 1;
                        }
                    }
                }
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
