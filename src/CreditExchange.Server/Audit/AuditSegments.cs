using System.Globalization;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Server.Audit;

/// <summary>
/// Knows when the database is no longer the copy the hub sealed last (restored from a backup) and then begins the
/// next chain segment, so that entries sealed after a restore never take the chain positions, under the same
/// segment, of entries lost with it: a checkpoint kept from before the restore then shows those entries as
/// truncated, and the new segment verifies on its own. How a restore shows:
/// <list type="bullet">
/// <item>PostgreSQL: the oids of the database and of the audit table, kept in the current segment's row, change
/// when <c>pg_restore</c> recreates them;</item>
/// <item>SQLite: the last head the hub sealed is kept beside the database file (<c>&lt;file&gt;.audit-head</c>, outside
/// it); a restored file no longer holds it, and the kept head also says how far the lost entries went.</item>
/// </list>
/// A chain sealed by an earlier hub (plain SHA-256, chain version 1) passes into the keyed chain (version 2) the same
/// way: the hub begins the next segment, of version 2, at the head.
/// Called by the sealer in its sealing transaction, before it seals anything.
/// </summary>
public sealed class AuditSegments(PersonalDataProtector protector, TimeProvider time, ILogger<AuditSegments> logger, string? sqliteHeadFile)
{
    /// <summary>The segment to seal in now: the current one, or a new one when the database was restored.</summary>
    public async Task<AuditSegmentEntity> CurrentAsync(AuditStore store, AuditEntryEntity? head, CancellationToken ct)
    {
        var segments = await store.SegmentsAsync(ct);
        var marker = store.IsPostgres ? await store.PostgresMarkerAsync(ct) : "sqlite";
        var current = segments.LastOrDefault();
        if (current is null)
        {
            if (head is null)
            {
                return await BeginAsync(store, 0, head, marker, null, AuditChain.KeyedVersion, ct);
            }

            // A chain sealed before segments existed: its segment 0 is the plain chain, the keyed one follows it.
            current = await BeginAsync(store, 0, head, marker, null, 1, ct);
        }

        long? lostThrough = null;
        bool restored;
        if (store.IsPostgres)
        {
            restored = current.Marker != marker;
        }
        else
        {
            var kept = ReadKeptHead();
            restored = kept is { } k && (await store.AtPositionAsync(k.Position, ct) is not { } e
                || e.ChainSegment != k.Segment || e.EntryHash is null || !e.EntryHash.AsSpan().SequenceEqual(k.Hash));
            lostThrough = kept?.Position;
        }

        if (!restored)
        {
            if (current.ChainVersion >= AuditChain.KeyedVersion)
            {
                return current;
            }

            // The chain sealed by an earlier hub (plain SHA-256) passes into the keyed chain here, at one position.
            var keyed = await BeginAsync(store, current.Segment + 1, head, marker, null, AuditChain.KeyedVersion, ct);
            Log.AuditChainKeyed(logger, keyed.Segment, keyed.StartPosition);
            return keyed;
        }

        var headPosition = head?.ChainPosition ?? 0;
        var segment = await BeginAsync(store, current.Segment + 1, head, marker, lostThrough > headPosition ? lostThrough : null, AuditChain.KeyedVersion, ct);
        Log.AuditChainRestored(logger, segment.Segment, headPosition, segment.LostThroughPosition?.ToString(CultureInfo.InvariantCulture) ?? "unknown");
        return segment;
    }

    /// <summary>
    /// The last head this hub process sealed (a checkpoint it keeps of its own, updated at every seal): the verifier holds
    /// the chain to it as to a kept checkpoint, so entries deleted from the end, or the chain rewritten, after it are found
    /// without one passed in. Null until the process sealed.
    /// </summary>
    public SealedHead? LastSealed { get; private set; }

    /// <summary>After a sealing transaction committed: the process keeps the new head; SQLite keeps it beside the database file too.</summary>
    public void Sealed(int segment, long position, byte[] hash)
    {
        LastSealed = new SealedHead(segment, position, hash);
        if (sqliteHeadFile is null)
        {
            return;
        }

        var temp = sqliteHeadFile + ".tmp";
        File.WriteAllText(temp, string.Create(CultureInfo.InvariantCulture, $"{segment} {position} {Convert.ToHexStringLower(hash)}\n"));
        File.Move(temp, sqliteHeadFile, overwrite: true);
    }

    /// <summary>Whether the segment row is the hub's (its MAC verifies).</summary>
    public bool IsAuthentic(AuditSegmentEntity segment) => protector.IsAuditMacValid(AuditChain.Canonical(segment), segment.Mac);

    private async Task<AuditSegmentEntity> BeginAsync(
        AuditStore store, int number, AuditEntryEntity? head, string marker, long? lostThrough, int chainVersion, CancellationToken ct)
    {
        var segment = new AuditSegmentEntity
        {
            ChainVersion = chainVersion,
            Segment = number,
            StartPosition = (head?.ChainPosition ?? 0) + 1,
            PreviousHash = head?.EntryHash ?? AuditChain.Genesis,
            StartedAt = TruncateToMicroseconds(time.GetUtcNow().UtcDateTime),
            Marker = marker,
            LostThroughPosition = lostThrough,
            Mac = [],
        };
        // Segment 0 of a chain sealed before segments existed begins at its start.
        if (number == 0)
        {
            segment.StartPosition = 1;
            segment.PreviousHash = AuditChain.Genesis;
        }

        segment.Mac = protector.AuditMac(AuditChain.Canonical(segment));
        await store.AddSegmentAsync(segment, ct);
        return segment;
    }

    private (int Segment, long Position, byte[] Hash)? ReadKeptHead()
    {
        if (sqliteHeadFile is null || !File.Exists(sqliteHeadFile))
        {
            return null;
        }

        var parts = File.ReadAllText(sqliteHeadFile).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            return parts.Length == 3
                ? (int.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), Convert.FromHexString(parts[2]))
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static DateTime TruncateToMicroseconds(DateTime at) => new(at.Ticks - (at.Ticks % 10), DateTimeKind.Utc);
}

/// <summary>A chain head the hub sealed.</summary>
public sealed record SealedHead(int Segment, long Position, byte[] Hash);
