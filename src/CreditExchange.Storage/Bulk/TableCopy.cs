using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CreditExchange.Storage.Bulk;

/// <summary>
/// Writes entities of the hub's EF Core model with PostgreSQL binary COPY. Table, columns and store types come from
/// the hub's own model (not from a copy of its schema here), so the rows land exactly where and as EF Core would put
/// them; identity columns (unless <c>includeIdentity</c>) and columns with a database default (the feed's
/// transaction id) are left to the database, as on an insert.
/// </summary>
public sealed class TableCopy<T>
    where T : class
{
    private readonly Column[] _columns;

    public TableCopy(IModel model, bool includeIdentity = false)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the hub's model.");
        var table = entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        _columns = [.. entity.GetProperties()
            .Where(p => includeIdentity || NpgsqlPropertyExtensions.GetValueGenerationStrategy(p) is not (NpgsqlValueGenerationStrategy.IdentityByDefaultColumn
                or NpgsqlValueGenerationStrategy.IdentityAlwaysColumn or NpgsqlValueGenerationStrategy.SerialColumn))
            .Where(p => p.GetDefaultValueSql() is null)
            .Select(p => new Column(
                p.GetColumnName(store) ?? p.Name,
                p.GetRelationalTypeMapping().StoreTypeNameBase,
                p.GetGetter(),
                p.GetTypeMapping().Converter))];
        Table = table;
        Command = $"COPY \"{table}\" ({string.Join(", ", _columns.Select(c => "\"" + c.Name + "\""))}) FROM STDIN (FORMAT BINARY)";
    }

    public string Table { get; }

    public string Command { get; }

    /// <summary>Copies <paramref name="rows"/> into the table on <paramref name="connection"/>, in its current transaction if any.</summary>
    public async Task CopyAsync(NpgsqlConnection connection, IEnumerable<T> rows, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(Command, ct);
        await WriteAsync(importer, rows, ct);
        await importer.CompleteAsync(ct);
    }

    /// <summary>Writes <paramref name="rows"/> into an open COPY of this table.</summary>
    public async Task WriteAsync(NpgsqlBinaryImporter importer, IEnumerable<T> rows, CancellationToken ct)
    {
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in _columns)
            {
                var value = column.Getter.GetClrValue(row);
                if (value is not null && column.Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }

                if (value is null)
                {
                    await importer.WriteNullAsync(ct);
                }
                else
                {
                    await importer.WriteAsync(value, column.StoreType, ct);
                }
            }
        }
    }

    private sealed record Column(string Name, string StoreType, IClrPropertyGetter Getter, ValueConverter? Converter);
}
