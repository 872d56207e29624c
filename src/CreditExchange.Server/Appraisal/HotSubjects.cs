using System.Collections.Concurrent;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Limits;

namespace CreditExchange.Server.Appraisal;

/// <summary>
/// Subjects a check found with many records (<see cref="Threshold"/> or more: a county government, a long-serving
/// official), remembered on this instance by their stored key (a civil servant's is a keyed hash, never the ID), so
/// that a later <c>CheckCandidate</c> of one of them runs in the bulk lane: a stream of checks of one such subject
/// costs each many ordinary checks and must not take every processor from the short calls. At most
/// <see cref="Capacity"/> are kept (all forgotten when full: they are learnt again by their next check).
/// </summary>
public sealed class HotSubjects : IBulkCallHint
{
    /// <summary>Records a check reads for a subject from which it is hot.</summary>
    public const int Threshold = 500;

    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);

    /// <summary>A check read <paramref name="records"/> records for the subject of <paramref name="storedKey"/>.</summary>
    public void Saw(string storedKey, int records)
    {
        if (records < Threshold)
        {
            return;
        }

        if (_keys.Count >= Capacity)
        {
            _keys.Clear();
        }

        _keys.TryAdd(storedKey, 0);
    }

    public bool IsBulk(HubMethod method, object? request, CallContext call) =>
        !_keys.IsEmpty
        && request is CheckCandidateRequest { Subject: { KeyCase: not SubjectKey.KeyOneofCase.None } subject }
        && _keys.ContainsKey(call.StoredKey(subject));
}
