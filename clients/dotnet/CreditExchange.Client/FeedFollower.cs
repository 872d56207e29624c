using System.Runtime.ExceptionServices;
using CreditExchange.Contracts.Errors.V1;
using CreditExchange.Contracts.Feed.V1;
using Grpc.Core;

namespace CreditExchange.Client;

/// <summary>
/// Follows the joint-punishment feed (FeedService.Subscribe) for as long as it runs, handing each event
/// to your handler once, in feed order:
/// <list type="bullet">
/// <item>When the stream ends or fails transiently (UNAVAILABLE, a dropped connection, DEADLINE_EXCEEDED,
/// RESOURCE_EXHAUSTED such as FEED_SUBSCRIBER_TOO_SLOW, a stream that went silent) it reconnects with
/// exponential backoff and jitter (a RetryInfo delay wins) and resumes after the last event the handler
/// completed, or further when a heartbeat said the stream had evaluated further (filtered streams).</item>
/// <item>Every stream starts with a valid token: tokens live minutes, the stream days.</item>
/// <item>With a named subscription it acknowledges what the handler completed (every
/// <see cref="FeedFollowerOptions.AcknowledgeEvery"/> events, every <see cref="FeedFollowerOptions.AcknowledgeInterval"/>,
/// on heartbeats and when it stops), so a restarted system continues after its acknowledged sequence.
/// Delivery is at least once across restarts, and never skips; within one follower no event reaches
/// the handler twice.</item>
/// <item>Refusals that a retry cannot cure (bad request, scope, certificate, suspended agency, a start
/// beyond the feed's head) and handler exceptions end <see cref="RunAsync(Func{FeedEvent, CancellationToken, Task}, CancellationToken)"/>
/// with that exception; the failed event is not acknowledged.</item>
/// </list>
/// </summary>
public sealed class FeedFollower
{
    private readonly FeedService.FeedServiceClient _feed;
    private readonly SubscribeRequest _request;
    private readonly FeedFollowerOptions _options;
    private readonly TokenSource? _tokens;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private long? _position;
    private long? _acknowledged;
    private long _lastHandled;
    private int _pendingAcknowledgements;
    private long _lastAcknowledgedAt;
    private int _reconnects;
    private int _duplicatesDropped;
    private int _running;
    private bool _streamDelivered;

    /// <param name="feed">The feed client (for example <see cref="CreditExchangeClient.Feed"/>, or one injected).</param>
    /// <param name="request">The first stream's request: filters, heartbeat interval, subscription name and start. Later streams resume where this follower got to.</param>
    /// <param name="options">Acknowledgement, backoff and stall settings; defaults when null.</param>
    /// <param name="tokens">The token source behind the client's credentials: a valid token is fetched before each stream, so token refusals surface as such.</param>
    /// <param name="time">The clock of backoff and acknowledgement intervals; the system clock by default.</param>
    public FeedFollower(FeedService.FeedServiceClient feed, SubscribeRequest request, FeedFollowerOptions? options = null, TokenSource? tokens = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(request);
        _options = options ?? new FeedFollowerOptions();
        _options.Validate();
        _feed = feed;
        _request = request.Clone();
        _tokens = tokens;
        _time = time ?? TimeProvider.System;
        _position = request.StartCase == SubscribeRequest.StartOneofCase.AfterSequence ? request.AfterSequence : null;
        _lastAcknowledgedAt = _time.GetTimestamp();
    }

    /// <summary>The sequence the next stream resumes after (null until the hub told where the first stream started).</summary>
    public long? Position
    {
        get
        {
            lock (_gate)
            {
                return _position;
            }
        }
    }

    /// <summary>The sequence of the last event the handler completed (0 before the first).</summary>
    public long LastHandledSequence => Interlocked.Read(ref _lastHandled);

    /// <summary>The named subscription's acknowledged sequence, as the hub last answered (null before the first acknowledgement).</summary>
    public long? AcknowledgedSequence
    {
        get
        {
            lock (_gate)
            {
                return _acknowledged;
            }
        }
    }

    /// <summary>How many times the follower has opened a new stream after the first.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Events dropped because the handler had already completed them (a hub resuming from an older acknowledgement).</summary>
    public int DuplicatesDropped => Volatile.Read(ref _duplicatesDropped);

    private bool Named => _request.Subscription.Length > 0;

    /// <inheritdoc cref="RunAsync(Func{FeedEvent, CancellationToken, Task}, CancellationToken)"/>
    public Task RunAsync(Func<FeedEvent, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return RunAsync((e, _) => handler(e), cancellationToken);
    }

    /// <summary>
    /// Follows the feed until <paramref name="cancellationToken"/> is cancelled (then returns, after
    /// acknowledging what the handler completed), a refusal no retry can cure, or an exception of the
    /// handler (both thrown). Switch on <see cref="FeedEvent.Action"/> to impose, update or lift punishments.
    /// </summary>
    public async Task RunAsync(Func<FeedEvent, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("This follower is already running.");
        }

        try
        {
            var attempt = 0;
            Exception? previous = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                Exception? error = null;
                try
                {
                    await FollowOneStreamAsync(handler, cancellationToken).ConfigureAwait(false);
                }
                catch (HandlerFailedException e) when (cancellationToken.IsCancellationRequested && e.InnerException is OperationCanceledException)
                {
                    return;
                }
                catch (HandlerFailedException e)
                {
                    ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
                }
                catch (Exception e) when (cancellationToken.IsCancellationRequested && IsCancellation(e))
                {
                    return;
                }
                catch (Exception e) when (IsTransient(e, previous))
                {
                    error = e;
                }

                attempt = _streamDelivered ? 1 : attempt + 1;
                previous = error;
                var delay = Backoff(attempt, error);
                _options.OnReconnect?.Invoke(new FeedReconnect(error, attempt, delay, Position));
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Interlocked.Increment(ref _reconnects);
            }
        }
        finally
        {
            await FlushAsync().ConfigureAwait(false);
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// Acknowledges the named subscription up to <see cref="Position"/> now (what the handler completed);
    /// answers the subscription's acknowledged sequence. Needed only with <see cref="FeedFollowerOptions.AutoAcknowledge"/> off.
    /// </summary>
    public async Task<long?> AcknowledgeAsync(CancellationToken cancellationToken = default)
    {
        if (!Named)
        {
            throw new InvalidOperationException("Only a named subscription (SubscribeRequest.subscription) is acknowledged.");
        }

        if (Position is { } position)
        {
            await AcknowledgeCoreAsync(position, cancellationToken).ConfigureAwait(false);
        }

        return AcknowledgedSequence;
    }

    private async Task FollowOneStreamAsync(Func<FeedEvent, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        _streamDelivered = false;
        if (_tokens is not null)
        {
            await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        }

        var request = _request.Clone();
        if (Position is { } position)
        {
            request.AfterSequence = position;
        }

        var stall = StallTimeout();
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = _feed.Subscribe(request, new CallOptions(cancellationToken: stream.Token));
        while (true)
        {
            stream.CancelAfter(stall);
            bool more;
            try
            {
                more = await call.ResponseStream.MoveNext(stream.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (stream.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new FeedStalledException($"The feed sent nothing for {stall.TotalSeconds:0.#} s.", e);
            }

            stream.CancelAfter(Timeout.InfiniteTimeSpan);
            if (!more)
            {
                return; // the hub ended the stream: resume
            }

            _streamDelivered = true;
            var message = call.ResponseStream.Current;
            if (message.Event is { } feedEvent)
            {
                await DeliverAsync(feedEvent, handler, cancellationToken).ConfigureAwait(false);
            }
            else if (message.Heartbeat is { } heartbeat)
            {
                Advance(heartbeat.ResumeAfterSequence);
                await AcknowledgeIfDueAsync(heartbeat: true, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DeliverAsync(FeedEvent feedEvent, Func<FeedEvent, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        if (feedEvent.Sequence <= LastHandledSequence)
        {
            Interlocked.Increment(ref _duplicatesDropped);
            return;
        }

        try
        {
            await handler(feedEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new HandlerFailedException(e);
        }

        Interlocked.Exchange(ref _lastHandled, feedEvent.Sequence);
        Advance(feedEvent.Sequence);
        Interlocked.Increment(ref _pendingAcknowledgements);
        await AcknowledgeIfDueAsync(heartbeat: false, cancellationToken).ConfigureAwait(false);
    }

    private void Advance(long sequence)
    {
        lock (_gate)
        {
            if (_position is not { } current || sequence > current)
            {
                _position = sequence;
            }
        }
    }

    private async Task AcknowledgeIfDueAsync(bool heartbeat, CancellationToken cancellationToken)
    {
        if (!Named || !_options.AutoAcknowledge || Position is not { } position || position <= (AcknowledgedSequence ?? -1))
        {
            return;
        }

        var due = heartbeat
            || Volatile.Read(ref _pendingAcknowledgements) >= _options.AcknowledgeEvery
            || _time.GetElapsedTime(Interlocked.Read(ref _lastAcknowledgedAt)) >= _options.AcknowledgeInterval;
        if (!due)
        {
            return;
        }

        try
        {
            await AcknowledgeCoreAsync(position, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTransient(e, null))
        {
            // Acknowledging is idempotent and never moves back: the next trigger sends the newer position.
            Interlocked.Exchange(ref _lastAcknowledgedAt, _time.GetTimestamp());
        }
    }

    private async Task AcknowledgeCoreAsync(long position, CancellationToken cancellationToken)
    {
        var answer = await _feed.AcknowledgeEventsAsync(
            new AcknowledgeEventsRequest { Subscription = _request.Subscription, Sequence = position },
            deadline: DateTime.UtcNow.AddSeconds(10),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_acknowledged is not { } held || answer.AcknowledgedSequence > held)
            {
                _acknowledged = answer.AcknowledgedSequence;
            }
        }

        Interlocked.Exchange(ref _pendingAcknowledgements, 0);
        Interlocked.Exchange(ref _lastAcknowledgedAt, _time.GetTimestamp());
    }

    /// <summary>On the way out: acknowledge what the handler completed (best effort; delivery is at least once anyway).</summary>
    private async Task FlushAsync()
    {
        if (!Named || !_options.AutoAcknowledge || Position is not { } position || position <= (AcknowledgedSequence ?? -1))
        {
            return;
        }

        try
        {
            await AcknowledgeCoreAsync(position, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RpcException)
        {
        }
        catch (HttpRequestException)
        {
        }
        catch (TokenRequestException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    private TimeSpan StallTimeout()
    {
        if (_options.StallTimeout is { } configured)
        {
            return configured;
        }

        var heartbeat = _request.HeartbeatSeconds > 0 ? _request.HeartbeatSeconds : 15;
        return TimeSpan.FromSeconds(Math.Max(5, 3 * heartbeat));
    }

    private TimeSpan Backoff(int attempt, Exception? error)
    {
        var ceiling = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        var delay = TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
        return error is CreditExchangeException { RetryDelay: { } asked } && asked > delay ? asked : delay;
    }

    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || e is RpcException { StatusCode: StatusCode.Cancelled } || e.InnerException is OperationCanceledException;

    /// <summary>Whether a reconnect may cure the failure. Refusals of the request, the scope, the certificate or the agency cannot.</summary>
    private bool IsTransient(Exception e, Exception? previous)
    {
        switch (e)
        {
            case TokenRequestException token:
                return token.Error.StartsWith("http_5", StringComparison.Ordinal);
            case RpcException { Status.DebugException: TokenRequestException token }:
                return token.Error.StartsWith("http_5", StringComparison.Ordinal);
            case RpcException rpc:
                switch (rpc.StatusCode)
                {
                    case StatusCode.InvalidArgument or StatusCode.OutOfRange or StatusCode.PermissionDenied or StatusCode.FailedPrecondition
                        or StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.Unimplemented:
                        return false;
                    case StatusCode.Unauthenticated:
                        // An expired or unreadable token: once, with a fresh one. Anything else (certificate, suspension) is not cured by waiting.
                        var tokenInvalid = CreditExchangeException.From(rpc).Reason == ErrorReason.TokenInvalid;
                        if (tokenInvalid)
                        {
                            _tokens?.Invalidate();
                        }

                        return tokenInvalid && !(previous is RpcException p && CreditExchangeException.From(p).Reason == ErrorReason.TokenInvalid);
                    default:
                        return true; // UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, a connection reset (CANCELLED, INTERNAL), …
                }

            case FeedStalledException or HttpRequestException or IOException or OperationCanceledException:
                return true;
            default:
                return false;
        }
    }

    /// <summary>Carries the handler's exception past the transient-failure filter.</summary>
    private sealed class HandlerFailedException(Exception inner) : Exception(inner.Message, inner);
}
