using CreditExchange.Storage.Bulk;
using System.Diagnostics;
using System.Security.Cryptography;
using CreditExchange.Bench.Load;
using CreditExchange.Bench.Reporting;
using CreditExchange.Bench.Seeding;
using CreditExchange.Server.Audit;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditExchange.Bench.Background;

/// <summary>
/// The audit sealer's cost against the size of the audit table. The table is filled by binary COPY with entries the
/// hub's own code makes (<see cref="AuditChain"/> content, the hub's MAC, sealed into one valid chain), first to a
/// tenth of <c>--audit-rows</c> and then to all of them; at each size the hub's own <see cref="AuditSealer"/> (composed
/// in this process, before the hub process starts, so nothing else seals) is timed on idle ticks (the queries it runs
/// four times a second whatever the load) and on ticks that seal 1,000 pending entries.
/// </summary>
public sealed class AuditSealerScenario(RecordFactory factory, string postgres, Action<string> log)
{
    private const int ChunkSize = 50_000;
    private const int IdleTicks = 20;
    private const int BusyTicks = 5;
    private const int Pending = 1_000;

    private static readonly string Method = "/creditexchange.records.v1.RecordService/GetRecord";

    private readonly TableCopy<AuditEntryEntity> _sealedCopy = new(factory.Model, includeIdentity: true);
    private readonly TableCopy<AuditEntryEntity> _pendingCopy = new(factory.Model);
    private byte[] _previous = AuditChain.Genesis;
    private long _position;
    private long _made;

    /// <summary>Runs both sizes; answers the small one's result and the large one's.</summary>
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(long rows)
    {
        await StartFromHeadAsync();
        var small = rows / 10;
        await FillToAsync(small);
        var first = await MeasureAsync("audit_sealer_small", small);
        await FillToAsync(rows);
        var second = await MeasureAsync("audit_sealer_large", rows);
        return [first, second];
    }

    private async Task StartFromHeadAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var head = await scope.ServiceProvider.GetRequiredService<AuditStore>().HeadAsync(CancellationToken.None);
        _previous = head?.EntryHash ?? AuditChain.Genesis;
        _position = head?.ChainPosition ?? 0;
    }

    private async Task FillToAsync(long rows)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        var present = await CountAsync(connection);
        var added = 0L;
        while (present + added < rows)
        {
            var count = (int)Math.Min(ChunkSize, rows - present - added);
            var sequences = await AllocateSequencesAsync(connection, count);
            var entries = new List<AuditEntryEntity>(count);
            foreach (var sequence in sequences)
            {
                var entry = MakeEntry();
                entry.Sequence = sequence;
                _position++;
                entry.ChainPosition = _position;
                entry.PreviousHash = _previous;
                entry.EntryHash = AuditChain.Hash(entry, null, _previous, _position);
                _previous = entry.EntryHash;
                entries.Add(entry);
            }

            await CopyAsync(connection, _sealedCopy, entries);
            added += count;
        }

        await using (var analyze = new NpgsqlCommand("VACUUM (ANALYZE) audit_entries", connection) { CommandTimeout = 0 })
        {
            await analyze.ExecuteNonQueryAsync();
        }

        log($"audit table at {present + added:N0} rows ({added:N0} sealed entries copied in {clock.Elapsed.TotalSeconds:N1} s)");
    }

    private async Task<ScenarioResult> MeasureAsync(string name, long rows)
    {
        var sealer = factory.Services.GetRequiredService<AuditSealer>();
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        while (await sealer.SealOnceAsync(CancellationToken.None) > 0)
        {
            // Whatever was pending before (nothing, on a fresh database) is sealed first.
        }

        var idle = KindResult.NewHistogram();
        for (var i = 0; i < IdleTicks; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await sealer.SealOnceAsync(CancellationToken.None);
            idle.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds));
        }

        var busy = TimeSpan.Zero;
        var sealedCount = 0L;
        for (var i = 0; i < BusyTicks; i++)
        {
            await CopyAsync(connection, _pendingCopy, Enumerable.Range(0, Pending).Select(_ => MakeEntry()).ToList());
            var clock = Stopwatch.StartNew();
            sealedCount += await sealer.SealOnceAsync(CancellationToken.None);
            busy += clock.Elapsed;
        }

        // The pending entries now sealed by the hub's sealer are the chain's head: continue after them.
        await StartFromHeadAsync();
        var result = ScenarioResult.FromHistogram(
            name, idle, IdleTicks + BusyTicks, sealedCount, busy, null, null, null, 1,
            $"{rows:N0} audit rows: p50/p99 = an idle sealer tick (its lock, head and pending-entry queries); items/s = sealing {Pending:N0} pending entries in one tick");
        log($"  {name}: idle tick p50 {result.P50Ms:N2} ms, p99 {result.P99Ms:N2} ms; sealing {sealedCount / busy.TotalSeconds:N0} entries/s");
        return result;
    }

    private AuditEntryEntity MakeEntry()
    {
        var n = Interlocked.Increment(ref _made);
        var now = DateTime.UtcNow;
        var entry = new AuditEntryEntity
        {
            At = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc),
            AgencyId = Scenarios.Reader,
            CertificateSubject = "CN=drc, OU=Agency Systems, O=CreditExchange Development",
            CertificateThumbprint = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(n % 7))),
            Method = Method,
            SubjectHashes = "",
            StatusCode = 0,
            RecordIds = Guid.CreateVersion7().ToString(),
            Mac = [],
        };
        entry.Mac = factory.Protector.AuditMac(AuditChain.Canonical(entry, null));
        return entry;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM audit_entries", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Sequence numbers from the table's own identity, so later inserts by the hub continue after them.</summary>
    private static async Task<List<long>> AllocateSequencesAsync(NpgsqlConnection connection, int count)
    {
        await using var command = new NpgsqlCommand(
            "SELECT nextval(pg_get_serial_sequence('audit_entries', 'Sequence')) FROM generate_series(1, $1) ORDER BY 1", connection);
        command.Parameters.AddWithValue(count);
        var sequences = new List<long>(count);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sequences.Add(reader.GetInt64(0));
        }

        return sequences;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, TableCopy<AuditEntryEntity> copy, IReadOnlyList<AuditEntryEntity> entries)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copy.Command);
        await copy.WriteAsync(importer, entries, CancellationToken.None);
        await importer.CompleteAsync();
    }
}
