namespace CreditExchange.Server.Feed;

/// <summary>
/// Wakes this instance's feed streams when new events have been numbered: by the local publisher,
/// or by a notification from another instance's. A stream takes <see cref="Next"/> before it reads,
/// so a signal that arrives while it reads is not lost. Keeps the highest head announced, for the streams' lag.
/// </summary>
public sealed class FeedSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head;

    /// <summary>Completes at the next signal.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>The highest feed position announced to this instance (0 before the first announcement).</summary>
    public long Head => Volatile.Read(ref _head);

    /// <summary>Wakes the streams; <paramref name="head"/>, when known, is the feed's new head.</summary>
    public void Notify(long? head = null)
    {
        if (head is { } h)
        {
            Raise(h);
        }

        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Raises the known head (a stream that read further than any announcement also knows it).</summary>
    public void Raise(long head)
    {
        var known = Volatile.Read(ref _head);
        while (head > known)
        {
            var seen = Interlocked.CompareExchange(ref _head, head, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }

    /// <summary>Waits for <paramref name="next"/> (taken earlier from <see cref="Next"/>) at most <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(Task next, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await next.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // The poll: look anyway.
        }
    }
}
