namespace CreditExchange.Client;

/// <summary>How a <see cref="FeedFollower"/> acknowledges, reconnects and watches its stream.</summary>
public sealed class FeedFollowerOptions
{
    /// <summary>
    /// Whether the follower acknowledges a named subscription itself (AcknowledgeEvents, after the
    /// handler completed the events). Default true. Set false to acknowledge with
    /// <see cref="FeedFollower.AcknowledgeAsync"/> when your own processing is durable.
    /// </summary>
    public bool AutoAcknowledge { get; set; } = true;

    /// <summary>Acknowledge once this many events were handled since the last acknowledgement. Default 100.</summary>
    public int AcknowledgeEvery { get; set; } = 100;

    /// <summary>
    /// ...or once this long has passed since the last acknowledgement (checked after each event);
    /// every heartbeat acknowledges too. Default 5 seconds.
    /// </summary>
    public TimeSpan AcknowledgeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before reconnecting after a failure; doubled per consecutive failure, with jitter. Default 0.5 s.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait before reconnecting (a RetryInfo delay sent by the hub still wins). Default 30 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest wait for the next message (event or heartbeat) before the connection is taken as dead
    /// and replaced. Default: three heartbeat intervals (the request's <c>heartbeat_seconds</c>, 15 s
    /// when unset), at least 5 s. Time spent in the handler does not count.
    /// </summary>
    public TimeSpan? StallTimeout { get; set; }

    /// <summary>Called before each reconnect (for logging): why, the consecutive attempt, the wait, where it resumes.</summary>
    public Action<FeedReconnect>? OnReconnect { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(AcknowledgeEvery, 1, nameof(AcknowledgeEvery));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AcknowledgeInterval, TimeSpan.Zero, nameof(AcknowledgeInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialBackoff, TimeSpan.Zero, nameof(InitialBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, InitialBackoff, nameof(MaxBackoff));
        if (StallTimeout is { } stall)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stall, TimeSpan.Zero, nameof(StallTimeout));
        }
    }
}

/// <summary>
/// A reconnect of a <see cref="FeedFollower"/>: <paramref name="Error"/> is why the stream ended (null
/// when the hub ended it cleanly), <paramref name="Attempt"/> counts consecutive failures (1 after a
/// stream that delivered something), <paramref name="Delay"/> is the wait before the next stream, and
/// <paramref name="ResumeAfter"/> the sequence it resumes after (null: the subscription's acknowledged one).
/// </summary>
public sealed record FeedReconnect(Exception? Error, int Attempt, TimeSpan Delay, long? ResumeAfter);

/// <summary>The stream sent nothing (not even a heartbeat) for longer than the stall timeout; the follower reconnects.</summary>
public sealed class FeedStalledException : Exception
{
    public FeedStalledException()
    {
    }

    public FeedStalledException(string message)
        : base(message)
    {
    }

    public FeedStalledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
