namespace CreditExchange.Bench.Hosting;

/// <summary>
/// The hub process a run started, which a scenario may start again: killed (SIGKILL, as in a crash), then started with
/// the same settings, its log in a file of its own (hub.log, hub-2.log, ...).
/// </summary>
public sealed class RunningHub : IAsyncDisposable
{
    private readonly Func<string, bool, Task<HubProcess>> _start;
    private int _starts;

    private RunningHub(Func<string, bool, Task<HubProcess>> start, HubProcess first)
    {
        _start = start;
        Current = first;
        _starts = 1;
    }

    public HubProcess Current { get; private set; }

    /// <summary>Starts the hub with <paramref name="start"/> (given the log file's name and whether to wait until it is SERVING) and waits until it is.</summary>
    public static async Task<RunningHub> StartAsync(Func<string, bool, Task<HubProcess>> start) =>
        new(start, await start("hub.log", true));

    /// <summary>Kills the hub and starts it again; waits until it is SERVING, or, when not <paramref name="untilServing"/>, until it answers at all.</summary>
    public async Task<HubProcess> RestartAsync(bool untilServing)
    {
        await Current.DisposeAsync();
        Current = await _start($"hub-{++_starts}.log", untilServing);
        return Current;
    }

    public ValueTask DisposeAsync() => Current.DisposeAsync();
}
