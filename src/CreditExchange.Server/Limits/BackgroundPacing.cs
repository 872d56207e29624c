using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Limits;

/// <summary>
/// The pace of the hub's own work in batches (the expiry sweep, at start-up and each day): it runs at low priority.
/// After a batch that took a time t, it goes on at once when no unary call runs or waits (<see cref="CallGate.Busy"/>);
/// while calls do, it waits until they are done, at most t × (100 / share − 1)
/// (<see cref="LimitOptions.BackgroundShare"/>), so that it still ends under constant load while taking at most that
/// share of the time from the calls. Real time (the processors'), not the domain clock: a test's frozen clock must not
/// stop a sweep.
/// </summary>
public sealed class BackgroundPacing(CallGate gate, IOptions<LimitOptions> options)
{
    /// <summary>How often a waiting batch looks whether the calls are done.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest wait after a batch that took <paramref name="batch"/>, at <paramref name="share"/> percent.</summary>
    public static TimeSpan LongestWait(TimeSpan batch, int share) =>
        share >= 100 ? TimeSpan.Zero : batch * (100.0 / share - 1);

    /// <summary>Waits after a batch that took <paramref name="batch"/>: not at all when the hub has no call, else while it has, at most the longest wait.</summary>
    public async Task AfterBatchAsync(TimeSpan batch, CancellationToken ct)
    {
        var longest = LongestWait(batch, options.Value.BackgroundShare);
        var waiting = Stopwatch.StartNew();
        while (gate.Busy && waiting.Elapsed < longest)
        {
            var left = longest - waiting.Elapsed;
            await Task.Delay(left < Poll ? left : Poll, TimeProvider.System, ct);
        }
    }
}
