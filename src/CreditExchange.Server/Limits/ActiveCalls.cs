using System.Collections.Concurrent;

namespace CreditExchange.Server.Limits;

/// <summary>The open calls of each agency on this instance, so that a suspension can close them at once.</summary>
public sealed class ActiveCalls
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<HttpContext, byte>> _byAgency = new(StringComparer.Ordinal);

    public IDisposable Track(string agencyId, HttpContext call)
    {
        var calls = _byAgency.GetOrAdd(agencyId, _ => new ConcurrentDictionary<HttpContext, byte>());
        calls[call] = 0;
        return new Registration(calls, call);
    }

    public int Count(string agencyId) => _byAgency.TryGetValue(agencyId, out var calls) ? calls.Count : 0;

    /// <summary>Aborts every open call of the agency (the client sees its stream reset); answers how many.</summary>
    public int AbortAll(string agencyId)
    {
        if (!_byAgency.TryGetValue(agencyId, out var calls))
        {
            return 0;
        }

        var aborted = 0;
        foreach (var call in calls.Keys)
        {
            if (calls.TryRemove(call, out _))
            {
                call.Abort();
                aborted++;
            }
        }

        return aborted;
    }

    private sealed class Registration(ConcurrentDictionary<HttpContext, byte> calls, HttpContext call) : IDisposable
    {
        public void Dispose() => calls.TryRemove(call, out _);
    }
}
