namespace CreditExchange.Server.Feed;

/// <summary>
/// Wakes this instance's feed streams when new events have been numbered: by the local publisher,
/// or by a notification from another instance's. A stream takes <see cref="Next"/> before it reads,
/// so a signal that arrives while it reads is not lost.
/// </summary>
public sealed class FeedSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next signal.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

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
