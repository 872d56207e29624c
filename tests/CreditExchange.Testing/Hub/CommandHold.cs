namespace CreditExchange.Tests.Hub;

/// <summary>
/// Holds, while closed, the database commands a test's interceptor passes to <see cref="PassAsync"/> until it opens
/// again: a call that keeps its turn, or a group commit that keeps others queued behind it.
/// </summary>
public sealed class CommandHold
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _open = Opened();
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _holding;

    /// <summary>Commands held now.</summary>
    public int Held => Volatile.Read(ref _holding);

    /// <summary>Holds the commands that arrive from now on.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets the held commands, and all later ones, go.</summary>
    public void Open()
    {
        lock (_lock)
        {
            _open.TrySetResult();
        }
    }

    /// <summary>Completes once a command is held since the last <see cref="Close"/>.</summary>
    public Task HeldAsync()
    {
        lock (_lock)
        {
            return _held.Task;
        }
    }

    /// <summary>Returns at once while open; while closed, once opened.</summary>
    public async Task PassAsync()
    {
        Task open;
        lock (_lock)
        {
            open = _open.Task;
            if (!open.IsCompleted)
            {
                _held.TrySetResult();
            }
        }

        if (open.IsCompleted)
        {
            return;
        }

        Interlocked.Increment(ref _holding);
        try
        {
            await open;
        }
        finally
        {
            Interlocked.Decrement(ref _holding);
        }
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
