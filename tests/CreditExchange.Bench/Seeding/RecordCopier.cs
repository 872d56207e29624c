using CreditExchange.Storage.Bulk;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace CreditExchange.Bench.Seeding;

/// <summary>
/// Binary COPY of prepared rows into <c>records</c>, <c>record_versions</c> and <c>record_events</c>: one COPY per
/// table, each on its own connection so the three run side by side (the tables have no foreign keys between them).
/// The rows become visible when <see cref="CompleteAsync"/> commits the three COPYs.
/// </summary>
public sealed class RecordCopier : IAsyncDisposable
{
    private readonly List<NpgsqlConnection> _connections;
    private readonly List<(Writer Write, NpgsqlBinaryImporter Importer)> _tables;

    private delegate Task Writer(NpgsqlBinaryImporter importer, PreparedRows rows, CancellationToken ct);

    private RecordCopier(List<(Writer, NpgsqlBinaryImporter)> tables, List<NpgsqlConnection> connections)
    {
        _tables = tables;
        _connections = connections;
    }

    public static async Task<RecordCopier> OpenAsync(string connectionString, IModel model, CancellationToken ct = default)
    {
        var records = new TableCopy<RecordEntity>(model);
        var versions = new TableCopy<RecordVersionEntity>(model);
        var events = new TableCopy<RecordEventEntity>(model);
        (string Command, Writer Write)[] specs =
        [
            (records.Command, (importer, rows, token) => records.WriteAsync(importer, rows.Records, token)),
            (versions.Command, (importer, rows, token) => versions.WriteAsync(importer, rows.Versions, token)),
            (events.Command, (importer, rows, token) => events.WriteAsync(importer, rows.Events, token)),
        ];
        var connections = new List<NpgsqlConnection>();
        var tables = new List<(Writer, NpgsqlBinaryImporter)>();
        try
        {
            foreach (var (command, write) in specs)
            {
                var connection = new NpgsqlConnection(connectionString);
                connections.Add(connection);
                await connection.OpenAsync(ct);
                tables.Add((write, await connection.BeginBinaryImportAsync(command, ct)));
            }
        }
        catch
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            throw;
        }

        return new RecordCopier(tables, connections);
    }

    public Task WriteAsync(PreparedRows rows, CancellationToken ct = default) =>
        Task.WhenAll(_tables.Select(t => Task.Run(() => t.Write(t.Importer, rows, ct), ct)));

    public async Task CompleteAsync(CancellationToken ct = default)
    {
        await Task.WhenAll(_tables.Select(t => t.Importer.CompleteAsync(ct).AsTask()));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, importer) in _tables)
        {
            await importer.DisposeAsync();
        }

        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
