using System.Runtime.CompilerServices;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace CreditExchange.Storage.Bulk;

/// <summary>
/// Newly accepted records by binary COPY (PostgreSQL): the records, the persons they name, their first versions and
/// their events, in the caller's transaction (with the call's audit entry), as <see cref="RecordHistory"/> would have them written row by row. The records'
/// sequences are drawn from their identity first, so that persons and receipts can name them.
/// </summary>
internal sealed class RecordCopy
{
    private static readonly ConditionalWeakTable<IModel, RecordCopy> ByModel = [];

    private readonly TableCopy<RecordEntity> _records;
    private readonly TableCopy<RecordPersonEntity> _persons;
    private readonly TableCopy<RecordVersionEntity> _versions;
    private readonly TableCopy<RecordEventEntity> _events;
    private readonly string _nextSequences;

    private RecordCopy(IModel model)
    {
        _records = new TableCopy<RecordEntity>(model, includeIdentity: true);
        _persons = new TableCopy<RecordPersonEntity>(model);
        _versions = new TableCopy<RecordVersionEntity>(model);
        _events = new TableCopy<RecordEventEntity>(model);
        var sequence = model.FindEntityType(typeof(RecordEntity))!.FindProperty(nameof(RecordEntity.Sequence))!.GetColumnName();
        _nextSequences = $"SELECT nextval(pg_get_serial_sequence('\"{_records.Table}\"', '{sequence}')) FROM generate_series(1, $1)";
    }

    /// <summary>Writes <paramref name="records"/> (new, untracked, version 1) as submitted at <paramref name="at"/>, in the current transaction; each version points at its item's signed request in <paramref name="signatures"/>.</summary>
    public static async Task InsertAsync(CreditDbContext db, IReadOnlyList<RecordEntity> records, IReadOnlyDictionary<Guid, long> signatures, DateTimeOffset at, CancellationToken ct)
    {
        var copy = ByModel.GetValue(db.Model, model => new RecordCopy(model));
        var versions = new List<RecordVersionEntity>(records.Count);
        var events = new List<RecordEventEntity>(records.Count);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var next = new NpgsqlCommand(copy._nextSequences, connection) { Parameters = { new() { Value = records.Count } } })
        await using (var reader = await next.ExecuteReaderAsync(ct))
        {
            foreach (var record in records)
            {
                await reader.ReadAsync(ct);
                record.Sequence = reader.GetInt64(0);
                foreach (var person in record.Persons)
                {
                    person.RecordSequence = record.Sequence;
                }

                var (version, recordEvent) = RecordHistory.Rows(record, RecordChange.Submitted, record.AgencyId, "", at, signatures.TryGetValue(record.Id, out var signature) ? signature : null);
                versions.Add(version);
                events.Add(recordEvent);
            }
        }

        await copy._records.CopyAsync(connection, records, ct);
        await copy._persons.CopyAsync(connection, records.SelectMany(r => r.Persons), ct);
        await copy._versions.CopyAsync(connection, versions, ct);
        await copy._events.CopyAsync(connection, events, ct);
    }
}
