using System.Diagnostics;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Audit;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Feed;

/// <summary>
/// The joint-punishment feed: a stream per subscriber that reads the numbered events after its
/// cursor, keeps those the agency may see and asked for, and waits for the next announcement (or
/// the poll) when it has caught up. Each stream reads at its own pace, so a slow one holds up no other; streams that
/// read the same events at the same moment (those at the head, after a publication) share one read (<see cref="FeedReads"/>).
/// </summary>
public sealed class FeedGrpcService(
    IServiceScopeFactory scopes, IServiceProvider requestServices, CallContext call, FeedSignal signal, FeedReads reads, FeedBacklog backlog, FeedStreams streams, AuditWriter audit, PersonalDataProtector protector,
    IOptions<FeedOptions> options, TimeProvider time, Telemetry.HubMetrics metrics, IHostApplicationLifetime lifetime, ILogger<FeedGrpcService> logger)
    : FeedService.FeedServiceBase
{
    /// <summary>HTTP/2 ENHANCE_YOUR_CALM: the reset a gRPC client reports as RESOURCE_EXHAUSTED.</summary>
    private const int EnhanceYourCalm = 0xB;

    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context)
    {
        var agency = call.Agency;
        var filter = FeedFilter.From(request);
        var heartbeat = request.HeartbeatSeconds == 0 ? options.Value.DefaultHeartbeat : TimeSpan.FromSeconds(request.HeartbeatSeconds);
        var (cursor, head) = await StartAsync(agency, request, context.CancellationToken);

        // A stopping instance ends its streams at once (status OK) rather than holding its shutdown until they are
        // aborted: subscribers resume after their last sequence on another instance.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        metrics.FeedSubscribers(agency.Id, +1);
        try
        {
            using var position = streams.Open(agency.Id, request.Subscription, cursor);
            await StreamAsync(responseStream, context, agency, filter, heartbeat, cursor, head, position, stopping.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            metrics.FeedSubscribers(agency.Id, -1);
        }
    }

    /// <summary>Reads after the cursor, writes what matches, waits for the next announcement; until the client goes or the instance stops.</summary>
    private async Task StreamAsync(
        IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context, Agency agency, FeedFilter filter, TimeSpan heartbeat,
        long cursor, long head, FeedStreams.Stream position, CancellationToken ct)
    {
        var o = options.Value;
        var written = new WrittenPosition();
        await WriteAsync(responseStream, await HeartbeatAsync(head, cursor, ct), context, agency, written);
        var silence = Stopwatch.StartNew();
        while (!ct.IsCancellationRequested)
        {
            var wake = signal.Next;
            var readStarted = Stopwatch.GetTimestamp();
            var (events, records, entries) = await reads.ReadAsync(cursor, o.BatchSize, wake, ct);
            var received = filter.ReceivedOnly && events.Count > 0 ? await ReceivedAsync(agency, events, ct) : null;
            var delivered = new List<FeedEvent>();
            // Read for each batch, not once per call: a stream runs for days, and standing follows the date.
            var today = ChinaCalendar.Today(time);
            try
            {
                foreach (var e in events)
                {
                    var message = entries.TryGetValue(e.RecordId, out var entry)
                        ? FeedMapping.ToEvent(agency, e, entry, filter, protector, today)
                        : received is null || (received.TryGetValue(e.RecordId, out var first) && Domain.Feed.ChangeReach.IsPastRecipient(first, e.Version))
                            ? FeedMapping.ToEvent(agency, e, records.GetValueOrDefault(e.RecordId), filter, protector, today)
                            : null;
                    if (message is not null)
                    {
                        await WriteAsync(responseStream, new SubscribeResponse { Event = message }, context, agency, written);
                        metrics.FeedDelivered(DateTimeOffset.UtcNow - e.OccurredAt);
                        delivered.Add(message);
                    }

                    cursor = e.FeedPosition!.Value;
                }
            }
            catch (DomainException) when (delivered.Count > 0)
            {
                // Cut as too slow: what was written before the cut is still audited as delivered to the transport.
                await AuditDeliveryAsync(context, delivered);
                throw;
            }

            if (delivered.Count > 0)
            {
                await AuditDeliveryAsync(context, delivered);
                silence.Restart();
            }

            position.Evaluated(cursor, caughtUp: events.Count < o.BatchSize, readStarted);

            if (events.Count == o.BatchSize)
            {
                continue; // catching up
            }

            if (silence.Elapsed >= heartbeat)
            {
                await WriteAsync(responseStream, await HeartbeatAsync(events.Count > 0 ? cursor : null, cursor, ct), context, agency, written);
                silence.Restart();
            }

            var untilHeartbeat = heartbeat - silence.Elapsed;
            await FeedSignal.WaitAsync(wake, untilHeartbeat < o.PollInterval ? untilHeartbeat : o.PollInterval, ct);
        }
    }

    public override async Task<AcknowledgeEventsResponse> AcknowledgeEvents(AcknowledgeEventsRequest request, ServerCallContext context)
    {
        var agency = call.Agency;
        // The call's own scope: the acknowledgement commits with the call's audit entry.
        var store = requestServices.GetRequiredService<FeedStore>();
        EnsureReached(request.Sequence, await store.HeadAsync(context.CancellationToken));
        var acknowledged = await store.AcknowledgeAsync(agency.Id, request.Subscription, request.Sequence, call.Now, options.Value.MaxSubscriptionsPerAgency, context.CancellationToken)
            ?? throw SubscriptionLimitReached();
        return new AcknowledgeEventsResponse { AcknowledgedSequence = acknowledged };
    }

    public override async Task<ListSubscriptionsResponse> ListSubscriptions(ListSubscriptionsRequest request, ServerCallContext context)
    {
        var rows = await requestServices.GetRequiredService<FeedStore>().SubscriptionsAsync(call.Agency.Id, context.CancellationToken);
        return new ListSubscriptionsResponse { Subscriptions = { rows.Select(FeedMapping.ToProto) }, Limit = options.Value.MaxSubscriptionsPerAgency };
    }

    public override async Task<DeleteSubscriptionResponse> DeleteSubscription(DeleteSubscriptionRequest request, ServerCallContext context)
    {
        // The call's own scope: the deletion commits with the call's audit entry.
        var row = await requestServices.GetRequiredService<FeedStore>().DeleteSubscriptionAsync(call.Agency.Id, request.Subscription, context.CancellationToken)
            ?? throw new DomainException(ErrorKind.NotFound, ErrorReason.SubscriptionNotFound, $"Agency '{call.Agency.Id}' has no subscription '{request.Subscription}'.");
        return new DeleteSubscriptionResponse { Subscription = FeedMapping.ToProto(row) };
    }

    private DomainException SubscriptionLimitReached() => new(
        ErrorKind.ResourceExhausted,
        ErrorReason.SubscriptionLimitReached,
        $"Agency '{call.Agency.Id}' already holds {options.Value.MaxSubscriptionsPerAgency} named subscriptions, the most the hub allows; delete one it no longer uses.");

    /// <summary>Where the stream starts (the sequence it resumes after) and the feed's head now.</summary>
    private async Task<(long Cursor, long Head)> StartAsync(Agency agency, SubscribeRequest request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<FeedStore>();
        var head = await store.HeadAsync(ct);
        var named = request.Subscription.Length > 0 ? await store.FindSubscriptionAsync(agency.Id, request.Subscription, ct) : null;
        if (named is not null && request.StartCase == SubscribeRequest.StartOneofCase.None)
        {
            return (named.AcknowledgedSequence, head);
        }

        var start = request.StartCase == SubscribeRequest.StartOneofCase.AfterSequence ? request.AfterSequence : head;
        EnsureReached(start, head);
        if (request.Subscription.Length > 0 && named is null)
        {
            _ = await store.AcknowledgeAsync(agency.Id, request.Subscription, start, time.GetUtcNow(), options.Value.MaxSubscriptionsPerAgency, ct)
                ?? throw SubscriptionLimitReached();
        }

        return (start, head);
    }

    /// <summary>What the agency received of the batch's records (their first versions): a received_only stream keeps the changes after them.</summary>
    private async Task<IReadOnlyDictionary<Guid, long>> ReceivedAsync(Agency agency, IReadOnlyList<RecordEventEntity> events, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReachStore>().FirstReceivedAsync(agency.Id, events.Select(e => e.RecordId).Distinct().ToList(), ct);
    }

    /// <summary>
    /// A heartbeat: the feed's head (<paramref name="head"/> when just read, else asked), how far this stream was
    /// evaluated, and what waits to be numbered, measured now: a stream is current only up to the head.
    /// </summary>
    private async Task<SubscribeResponse> HeartbeatAsync(long? head, long cursor, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<FeedStore>();
        var latest = head ?? await store.HeadAsync(ct);
        var (pending, oldestAge) = await backlog.MeasureAsync(store, ct);
        return FeedMapping.Heartbeat(Math.Max(latest, cursor), cursor, pending, oldestAge);
    }

    /// <summary>
    /// Writes one message, but waits for the client at most Hub:Feed:SlowSubscriberTimeout: a client that
    /// stops reading gets its stream reset (RESOURCE_EXHAUSTED) rather than holding the hub's buffers. What the hub
    /// knows is only how far it wrote to the transport (<paramref name="written"/>): the client may have received less
    /// (messages wait in buffers), so it resumes after the last sequence it received, never after the hub's figure.
    /// </summary>
    private async Task WriteAsync(IServerStreamWriter<SubscribeResponse> stream, SubscribeResponse message, ServerCallContext context, Agency agency, WrittenPosition written)
    {
        var write = stream.WriteAsync(message);
        if (!write.IsCompleted)
        {
            var timeout = options.Value.SlowSubscriberTimeout;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            if (await Task.WhenAny(write, Task.Delay(timeout, stop.Token)) != write)
            {
                _ = write.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                Log.FeedSubscriberTooSlow(logger, agency.Id, timeout, written.Sequence);
                // HTTP/2 sends the reset ahead of the data the client has not read (trailers could not pass it): gRPC
                // clients see RESOURCE_EXHAUSTED without details.
                call.Http!.Features.Get<IHttpResetFeature>()?.Reset(EnhanceYourCalm);
                throw new DomainException(
                    ErrorKind.ResourceExhausted,
                    ErrorReason.FeedSubscriberTooSlow,
                    $"The client took no message for {timeout.TotalSeconds:0.#} s; subscribe again after the last sequence it received (nothing is lost).");
            }

            await stop.CancelAsync();
        }

        await write;
        written.Sequence = message.Event?.Sequence ?? message.Heartbeat?.ResumeAfterSequence ?? written.Sequence;
    }

    /// <summary>How far a stream was written to the transport: the last event's sequence, or a heartbeat's resume point.</summary>
    private sealed class WrittenPosition
    {
        public long Sequence { get; set; }
    }

    /// <summary>Every delivered batch is an audit entry of its own: which agency received which records, as it happens.</summary>
    private async Task AuditDeliveryAsync(ServerCallContext context, List<FeedEvent> delivered)
    {
        var facts = new AuditFacts(protector.SubjectKey);
        delivered.ForEach(facts.ObserveAnswer);
        foreach (var e in delivered)
        {
            // The event itself tells its version, with or without content (a repaired record's comes without). A blacklist
            // entry is named too, but is no record: the recipient ledger (change reach) keeps records only.
            facts.AddRecordIds([Guid.Parse(e.RecordId)]);
            if (e.BlacklistEntry is null)
            {
                facts.Deliver(Guid.Parse(e.RecordId), e.RecordVersion);
            }
        }

        facts.StatePurpose($"feed delivery of sequences {delivered[0].Sequence}–{delivered[^1].Sequence}");
        await audit.CommitAsync(audit.Entry(call, call.Method!.Path, facts, StatusCode.OK, null), []);
    }

    private static void EnsureReached(long sequence, long head)
    {
        if (sequence > head)
        {
            throw new DomainException(
                ErrorKind.OutOfRange, ErrorReason.FeedSequenceNotReached, $"The feed's head is sequence {head}; sequence {sequence} has not been reached.");
        }
    }
}
