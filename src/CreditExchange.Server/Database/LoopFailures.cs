namespace CreditExchange.Server.Database;

/// <summary>
/// What a background loop (feed publisher and listener, audit sealer, expiry sweep, storage probe, registry poll)
/// says of its failures. An outage of the database is said once when it begins, then once a minute with how many
/// attempts failed, and once when it ends, without a stack trace: during a 12 s outage a loop that ticks every 50 ms
/// logs a handful of lines, not hundreds of traces. Any other failure is a fault and is logged in full each time.
/// One per loop; not thread-safe (a loop runs one iteration at a time).
/// </summary>
public sealed class LoopFailures(ILogger logger, string loop, TimeProvider? clock = null)
{
    /// <summary>How often a continuing outage is said again.</summary>
    public static readonly TimeSpan RepeatEvery = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private DateTimeOffset? _since;
    private DateTimeOffset _said;
    private int _failures;

    /// <summary>The loop's iteration failed with <paramref name="e"/>.</summary>
    public void Failed(Exception e)
    {
        if (!StorageFailures.IsTransient(e))
        {
            Log.LoopFailed(logger, loop, e);
            return;
        }

        var now = _clock.GetUtcNow();
        _failures++;
        if (_since is null)
        {
            _since = _said = now;
            Log.LoopOutageBegan(logger, loop, Describe(e));
        }
        else if (now - _said >= RepeatEvery)
        {
            _said = now;
            Log.LoopOutageContinues(logger, loop, now - _since.Value, _failures);
        }
    }

    /// <summary>The loop's iteration succeeded: an outage, if one was going on, has ended.</summary>
    public void Succeeded()
    {
        if (_since is { } since)
        {
            Log.LoopOutageEnded(logger, loop, _clock.GetUtcNow() - since, _failures);
            _since = null;
            _failures = 0;
        }
    }

    /// <summary>The outage's kind in one line: the innermost database error's type and message.</summary>
    private static string Describe(Exception e)
    {
        var innermost = StorageFailures.Chain(e).Last();
        return $"{innermost.GetType().Name}: {innermost.Message}";
    }
}
