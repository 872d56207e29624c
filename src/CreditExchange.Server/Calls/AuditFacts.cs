using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Privacy;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CreditExchange.Server.Calls;

/// <summary>
/// What an audit entry says about a call's content, gathered from its request and response
/// messages by their contract types, so that every service (present and future) is covered
/// without audit code in it: record ids (fields named record_id, and every Record), subjects (every
/// Subject, SubjectKey, ResponsiblePerson and PersonInCharge, hashed at once: the clear identifier is never kept),
/// and a stated purpose (a field named purpose). <paramref name="subjectKey"/> hashes an identifier (the call's
/// <see cref="CallContext.SubjectKey"/>, so the service reuses the hash).
/// </summary>
public sealed class AuditFacts(Func<string, string> subjectKey)
{
    private const int MaxDepth = 8;
    private const int MaxItems = 10_000;
    private const int MaxPurposeLength = 200;

    private readonly HashSet<string> _recordIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, long> _delivered = [];
    private readonly object _gate = new();

    public string? Purpose { get; private set; }

    public string RecordIds
    {
        get
        {
            lock (_gate)
            {
                return string.Join(',', _recordIds.Order(StringComparer.Ordinal));
            }
        }
    }

    /// <summary>Subject hashes framed for a containment query: ";a;b;" (empty when none).</summary>
    public string SubjectHashes
    {
        get
        {
            lock (_gate)
            {
                return _subjects.Count == 0 ? "" : ";" + string.Join(';', _subjects.Order(StringComparer.Ordinal)) + ";";
            }
        }
    }

    /// <summary>
    /// The record versions the call delivered to its agency: every current record in what it answered (a record read,
    /// listed, in a credit file, in a feed event) and what a service names explicitly (<see cref="Deliver"/>), the
    /// highest version per record. The recipient ledger keeps them with the call's entry.
    /// </summary>
    public IReadOnlyList<Storage.Entities.RecordDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                var deliveries = new Storage.Entities.RecordDelivery[_delivered.Count];
                var i = 0;
                foreach (var (recordId, version) in _delivered)
                {
                    deliveries[i++] = new Storage.Entities.RecordDelivery(recordId, version);
                }

                return deliveries;
            }
        }
    }

    /// <summary>The call is about to deliver about <paramref name="count"/> records (<see cref="Deliver"/>): room for them at once.</summary>
    public void ExpectDeliveries(int count)
    {
        lock (_gate)
        {
            _delivered.EnsureCapacity(_delivered.Count + count);
        }
    }

    /// <summary>
    /// The call delivered <paramref name="version"/> of a record to its agency (what an answer carries without a whole
    /// record). The entry names it like a record read, up to the names an entry holds (MaxItems, as a walk of an
    /// answer); the recipient ledger keeps every delivery. A 10,000-candidate check lists up to 200,000 records: its
    /// entry names the first of them that fit, its candidates keep them all, and the ledger every one.
    /// </summary>
    public void Deliver(Guid recordId, long version)
    {
        lock (_gate)
        {
            Delivered(recordId, version);
            if (_recordIds.Count + _subjects.Count < MaxItems)
            {
                _recordIds.Add(recordId.ToString());
            }
        }
    }

    private void Delivered(Guid recordId, long version)
    {
        // Not capped: what a call delivered is what change reach is answered from, so all of it is kept. A walk of an
        // answer stops at MaxItems names; what a service names explicitly is bounded by its contract (a check's
        // listed records: 10,000 candidates, AppraisalDecider.MaxListedDecidingRecords each).
        if (version > 0 && (!_delivered.TryGetValue(recordId, out var known) || known < version))
        {
            _delivered[recordId] = version;
        }
    }

    public void StatePurpose(string? purpose)
    {
        if (!string.IsNullOrWhiteSpace(purpose) && Purpose is null)
        {
            // Kept as stated, but never with U+0000, which PostgreSQL cannot store in text.
            var trimmed = purpose.Trim().Replace('\0', '\uFFFD');
            Purpose = trimmed.Length > MaxPurposeLength ? trimmed[..MaxPurposeLength] : trimmed;
        }
    }

    /// <summary>Records a call's change touched (what its unit of work commits), named in its entry like those it read or sent.</summary>
    public void AddRecordIds(IEnumerable<Guid> ids)
    {
        lock (_gate)
        {
            foreach (var id in ids)
            {
                _recordIds.Add(id.ToString());
            }
        }
    }

    /// <summary>What a request names (records, subjects, a purpose).</summary>
    public void Observe(object? message) => Observe(message, answered: false);

    /// <summary>What an answer names, and the records it delivers to the calling agency.</summary>
    public void ObserveAnswer(object? message) => Observe(message, answered: true);

    private void Observe(object? message, bool answered)
    {
        if (message is IMessage m)
        {
            lock (_gate)
            {
                Walk(m, 0, answered);
            }
        }
    }

    private void Walk(IMessage message, int depth, bool answered)
    {
        if (depth > MaxDepth || _recordIds.Count + _subjects.Count > MaxItems)
        {
            return;
        }

        switch (message)
        {
            case Record record when record.RecordId.Length > 0:
                _recordIds.Add(record.RecordId);
                if (answered && Guid.TryParse(record.RecordId, out var delivered))
                {
                    Delivered(delivered, record.Version);
                }

                break;
            case Subject { KindCase: Subject.KindOneofCase.GovernmentBody } subject:
                AddSubject(subject.GovernmentBody.CreditCode);
                break;
            case Subject { KindCase: Subject.KindOneofCase.CivilServant } subject:
                AddSubject(RecordSubjects.NormalizeResidentId(subject.CivilServant.ResidentId));
                break;
            case SubjectKey key:
                AddSubject(RecordSubjects.Identifier(key));
                break;
            case ResponsiblePerson person when person.ResidentId.Length > 0:
                AddSubject(RecordSubjects.NormalizeResidentId(person.ResidentId));
                break;
            case PersonInCharge person when person.ResidentId.Length > 0:
                AddSubject(RecordSubjects.NormalizeResidentId(person.ResidentId));
                break;
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            switch (field.FieldType)
            {
                case FieldType.Message when field.IsRepeated && !field.IsMap:
                    foreach (var item in (System.Collections.IEnumerable)field.Accessor.GetValue(message))
                    {
                        if (item is IMessage child)
                        {
                            Walk(child, depth + 1, answered);
                        }
                    }

                    break;
                case FieldType.Message when !field.IsRepeated && field.Name == "purpose":
                    // A structured purpose (an appraisal's type and case reference), kept as its JSON.
                    if (field.Accessor.GetValue(message) is IMessage purpose)
                    {
                        StatePurpose(JsonFormatter.Default.Format(purpose));
                    }

                    break;
                case FieldType.Message when !field.IsRepeated:
                    if (field.Accessor.GetValue(message) is IMessage single)
                    {
                        Walk(single, depth + 1, answered);
                    }

                    break;
                case FieldType.String when !field.IsRepeated && field.Name == "record_id":
                    if (field.Accessor.GetValue(message) is string { Length: > 0 and <= 64 } id && !id.Contains('\0', StringComparison.Ordinal))
                    {
                        _recordIds.Add(id);
                    }

                    break;
                case FieldType.String when !field.IsRepeated && field.Name == "purpose":
                    StatePurpose(field.Accessor.GetValue(message) as string);
                    break;
            }
        }
    }

    private void AddSubject(string identifier)
    {
        if (identifier.Length > 0)
        {
            _subjects.Add(subjectKey(identifier));
        }
    }
}
