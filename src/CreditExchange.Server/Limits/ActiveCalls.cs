using System.Collections.Concurrent;

namespace CreditExchange.Server.Limits;

/// <summary>
/// The open calls of each agency on this instance, so that a suspension can close them at once:
/// first by cancelling the call's <see cref="ActiveCall.Suspended"/> token (a stream the handler is
/// reading or writing then ends with UNAUTHENTICATED, reason AGENCY_SUSPENDED), then, for a call
/// still running after <see cref="AbortGrace"/>, by resetting its HTTP/2 stream.
/// </summary>
public sealed class ActiveCalls
{
    public static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(300);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<ActiveCall, byte>> _byAgency = new(StringComparer.Ordinal);

    public ActiveCall Track(string agencyId, HttpContext http)
    {
        var calls = _byAgency.GetOrAdd(agencyId, _ => new ConcurrentDictionary<ActiveCall, byte>());
        var call = new ActiveCall(http, calls);
        calls[call] = 0;
        return call;
    }

    public int Count(string agencyId) => _byAgency.TryGetValue(agencyId, out var calls) ? calls.Count : 0;

    /// <summary>Closes every open call of the agency; answers how many.</summary>
    public int CloseAll(string agencyId)
    {
        if (!_byAgency.TryGetValue(agencyId, out var calls))
        {
            return 0;
        }

        var closed = 0;
        foreach (var call in calls.Keys)
        {
            if (calls.TryRemove(call, out _))
            {
                call.Close();
                closed++;
            }
        }

        return closed;
    }
}

/// <summary>One open call of an agency; disposed when the call ends.</summary>
public sealed class ActiveCall : IDisposable
{
    private readonly HttpContext _http;
    private readonly ConcurrentDictionary<ActiveCall, byte> _owner;
    private readonly CancellationTokenSource _suspended = new();
    private readonly Lock _gate = new();
    private bool _ended;

    internal ActiveCall(HttpContext http, ConcurrentDictionary<ActiveCall, byte> owner)
    {
        _http = http;
        _owner = owner;
        Suspended = _suspended.Token;
    }

    /// <summary>Cancelled when the agency is suspended.</summary>
    public CancellationToken Suspended { get; }

    internal void Close()
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _suspended.Cancel();
        }

        _ = AbortIfStillRunningAsync();
    }

    private async Task AbortIfStillRunningAsync()
    {
        await Task.Delay(ActiveCalls.AbortGrace, TimeProvider.System);
        lock (_gate)
        {
            // Never after the call ended: Kestrel reuses HttpContext objects for later requests.
            if (!_ended)
            {
                _http.Abort();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _ended = true;
            _suspended.Dispose();
        }

        _owner.TryRemove(this, out _);
    }
}
