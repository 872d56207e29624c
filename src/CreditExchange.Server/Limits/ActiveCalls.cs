using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Domain.Errors;
using CreditExchange.Security;
using CreditExchange.Server.Transport;

namespace CreditExchange.Server.Limits;

/// <summary>
/// The open calls on this instance, by agency, so that the hub can close them when their caller loses its right to
/// call: an agency suspended, or a certificate a newly loaded revocation list names. A closed call's
/// <see cref="ActiveCall.Closed"/> token is cancelled (the handler stops, and the pipeline answers UNAUTHENTICATED with
/// <see cref="ActiveCall.Reason"/>); a call still running after <see cref="AbortGrace"/> has its HTTP/2 stream reset.
/// </summary>
public sealed class ActiveCalls
{
    /// <summary>How long a closed call may take to end by itself before its stream is reset.</summary>
    public static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<ActiveCall, byte>> _byAgency = new(StringComparer.Ordinal);
    private readonly ClientCertificatePolicy _certificates;

    public ActiveCalls(TlsMaterial tls, ClientCertificatePolicy certificates)
    {
        _certificates = certificates;
        tls.RevocationListReloaded += () => CloseRefusedCertificates();
    }

    public ActiveCall Track(string agencyId, HttpContext http, X509Certificate2 certificate)
    {
        var calls = _byAgency.GetOrAdd(agencyId, _ => new ConcurrentDictionary<ActiveCall, byte>());
        var call = new ActiveCall(http, certificate, calls);
        calls[call] = 0;
        return call;
    }

    public int Count(string agencyId) => _byAgency.TryGetValue(agencyId, out var calls) ? calls.Count : 0;

    /// <summary>Closes every open call of the agency (it was suspended); answers how many.</summary>
    public int CloseAll(string agencyId) =>
        _byAgency.TryGetValue(agencyId, out var calls) ? Close(calls, _ => true, ErrorReason.AgencySuspended) : 0;

    /// <summary>Closes the open calls whose certificate the current revocation list (or its validity) now refuses; answers how many.</summary>
    public int CloseRefusedCertificates() =>
        _byAgency.Values.Sum(calls => Close(calls, c => !_certificates.Recheck(c.Certificate).IsValid, ErrorReason.CertificateRevoked));

    private static int Close(ConcurrentDictionary<ActiveCall, byte> calls, Func<ActiveCall, bool> which, ErrorReason reason)
    {
        var closed = 0;
        foreach (var call in calls.Keys)
        {
            if (which(call) && calls.TryRemove(call, out _))
            {
                call.Close(reason);
                closed++;
            }
        }

        return closed;
    }
}

/// <summary>One open call; disposed when the call ends.</summary>
public sealed class ActiveCall : IDisposable
{
    private readonly HttpContext _http;
    private readonly ConcurrentDictionary<ActiveCall, byte> _owner;
    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _gate = new();
    private bool _ended;

    internal ActiveCall(HttpContext http, X509Certificate2 certificate, ConcurrentDictionary<ActiveCall, byte> owner)
    {
        _http = http;
        _owner = owner;
        Certificate = certificate;
        Closed = _closed.Token;
    }

    /// <summary>The certificate the call's connection presented.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Cancelled when the hub closes the call.</summary>
    public CancellationToken Closed { get; }

    /// <summary>Why the hub closed the call; null while it is open.</summary>
    public ErrorReason? Reason { get; private set; }

    internal void Close(ErrorReason reason)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            Reason = reason;
            _closed.Cancel();
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
            _closed.Dispose();
        }

        _owner.TryRemove(this, out _);
    }
}
