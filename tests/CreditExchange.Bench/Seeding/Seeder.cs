using System.Diagnostics;
using CreditExchange.Contracts.Records.V1;
using Npgsql;

namespace CreditExchange.Bench.Seeding;

/// <summary>
/// Fills the hub's database to the requested size: prepares the rows of the seeded records with the hub's own code
/// (<see cref="RecordFactory"/>) while the previous chunk is being COPYed, then vacuums and analyses the tables so
/// the planner sees their real size, as it would on a database that grew by itself. The seeded events are numbered
/// into the feed as they are copied (after the feed's head), as the hub's publisher would have numbered them long
/// ago: otherwise the hub would spend its first minute numbering a million events while the scenarios run.
/// </summary>
public static class Seeder
{
    private const int ChunkSize = 10_000;

    /// <summary>Seeds records [0, data.Records) and returns their ids, by record index.</summary>
    public static async Task<Guid[]> SeedAsync(RecordFactory factory, string connectionString, SeedData data, Action<string> progress)
    {
        var ids = new Guid[data.Records];
        if (data.Records == 0)
        {
            return ids;
        }

        // Acceptance instants one millisecond apart, ending ten minutes ago: ids (UUIDv7) and sequences in order.
        var first = DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(data.Records) - TimeSpan.FromMinutes(10);
        var clock = Stopwatch.StartNew();
        var waitedForRows = TimeSpan.Zero;
        var feedHead = await FeedHeadAsync(connectionString);
        await using (var copier = await RecordCopier.OpenAsync(connectionString, factory.Model))
        {
            var next = Task.Run(() => Chunk(0));
            for (long from = 0; from < data.Records; from += ChunkSize)
            {
                var waited = Stopwatch.StartNew();
                var rows = await next;
                waitedForRows += waited.Elapsed;
                var following = from + ChunkSize;
                next = following < data.Records ? Task.Run(() => Chunk(following)) : Task.FromResult<PreparedRows>(null!);
                for (var i = 0; i < rows.Events.Count; i++)
                {
                    rows.Events[i].FeedPosition = feedHead + from + i + 1;
                }

                await copier.WriteAsync(rows);
                for (var i = 0; i < rows.Records.Count; i++)
                {
                    ids[from + i] = rows.Records[i].Id;
                }

                if ((from / ChunkSize) % 20 == 19)
                {
                    progress($"seeded {from + rows.Records.Count:N0} of {data.Records:N0} records ({(from + rows.Records.Count) / clock.Elapsed.TotalSeconds:N0}/s)");
                }
            }

            await copier.CompleteAsync();
        }

        progress($"seeded {data.Records:N0} records in {clock.Elapsed.TotalSeconds:N1} s ({data.Records / clock.Elapsed.TotalSeconds:N0}/s, "
            + $"{waitedForRows.TotalSeconds:N1} s of it waiting for rows to be prepared); vacuum and analyse");
        await VacuumAnalyzeAsync(connectionString);
        return ids;

        PreparedRows Chunk(long from)
        {
            var count = (int)Math.Min(ChunkSize, data.Records - from);
            var items = new (SubmitRecordRequest, string, DateTimeOffset)[count];
            for (var i = 0; i < count; i++)
            {
                var record = from + i;
                var subject = data.SubjectOf(record);
                items[i] = (data.Submission(record, subject), SeedData.AgencyOf(subject), first + TimeSpan.FromMilliseconds(record));
            }

            return factory.Prepare(items);
        }
    }

    /// <summary>
    /// Copies in <paramref name="count"/> more records, made by <paramref name="item"/> from their number and accepted
    /// at <paramref name="acceptedAt"/> plus a tick each, in chunks (their feed events left for the hub to number),
    /// then vacuums and analyses the tables.
    /// </summary>
    public static async Task CopyAsync(
        RecordFactory factory, string connectionString, int count, Func<long, SubmitRecordRequest> item, DateTimeOffset acceptedAt)
    {
        await using (var copier = await RecordCopier.OpenAsync(connectionString, factory.Model))
        {
            for (var from = 0; from < count; from += ChunkSize)
            {
                var items = Enumerable.Range(from, Math.Min(ChunkSize, count - from))
                    .Select(i => (item(i), Scenarios.Writer, acceptedAt + TimeSpan.FromTicks(i * 10L)))
                    .ToList<(SubmitRecordRequest, string, DateTimeOffset)>();
                await copier.WriteAsync(factory.Prepare(items));
            }

            await copier.CompleteAsync();
        }

        await VacuumAnalyzeAsync(connectionString);
    }

    private static async Task<long> FeedHeadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(\"FeedPosition\"), 0) FROM record_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task VacuumAnalyzeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("VACUUM (ANALYZE) records, record_versions, record_events", connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
