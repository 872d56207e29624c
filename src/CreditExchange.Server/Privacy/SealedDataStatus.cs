using System.Security.Cryptography;

namespace CreditExchange.Server.Privacy;

/// <summary>A sealed value that does not open with the keys the hub holds: the call answers UNAVAILABLE (PRIVACY_KEY_UNAVAILABLE), never INTERNAL.</summary>
public sealed class SealedDataUnavailableException(string keyId, string reason) : CryptographicException(reason)
{
    public string KeyId { get; } = keyId;
}

/// <summary>
/// Whether every sealed value opens with the privacy keys held: unknown until the check at start-up
/// (<see cref="SealedDataMonitor"/>) has read them all; failed as soon as a value does not open, at start-up or in any
/// call, until a new check finds them all opening. Readiness and gRPC health follow it.
/// </summary>
public sealed class SealedDataStatus
{
    private readonly Lock _lock = new();
    private string? _failure;
    private bool _checked;
    private long _failures;

    /// <summary>Null when every sealed value opened at the last check and none failed since; else why not ready.</summary>
    public string? Problem
    {
        get
        {
            lock (_lock)
            {
                return _failure ?? (_checked ? null : "The hub is still checking that every sealed value opens with the privacy keys it holds.");
            }
        }
    }

    /// <summary>Whether the start-up check has finished once (whatever it found).</summary>
    public bool CheckedOnce
    {
        get
        {
            lock (_lock)
            {
                return _checked;
            }
        }
    }

    /// <summary>Counts failures: the monitor checks again when it moves.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>A value did not open.</summary>
    public void Failed(string reason)
    {
        lock (_lock)
        {
            _failure ??= char.ToUpperInvariant(reason[0]) + reason[1..];
        }

        Interlocked.Increment(ref _failures);
    }

    /// <summary>The result of a full check: null when every value opened.</summary>
    public void Checked(string? failure)
    {
        lock (_lock)
        {
            _checked = true;
            _failure = failure;
        }
    }
}
