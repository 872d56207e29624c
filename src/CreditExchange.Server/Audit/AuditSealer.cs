using CreditExchange.Storage;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Server.Audit;

/// <summary>
/// Seals written audit entries into the hash chain, in sequence order, a moment after they are
/// written. Writers never wait for one another (each call appends one row with a database
/// sequence); only this background loop computes the chain, and on PostgreSQL an advisory lock
/// lets one instance's sealer run at a time. A gap in the sequence (a write still committing) is
/// waited for up to <see cref="AuditOptions.SealGapGrace"/>; entries that commit later still are
/// sealed after the others, at the chain's head. Before it links an entry, the sealer checks that the hub wrote it (its
/// MAC) and that no other entry carries the same MAC (a copy under a new sequence); it refuses both (an empty link, no
/// chain position: the verifier names them). The link binds the entry's sequence and predecessor under the hub's chain
/// key (<see cref="AuditChain.Link"/>).
/// </summary>
public sealed class AuditSealer(
    IServiceScopeFactory scopes, Privacy.PersonalDataProtector protector, Microsoft.Extensions.Options.IOptions<AuditOptions> options, ILogger<AuditSealer> logger,
    Telemetry.HubMetrics metrics, AuditSegments segments)
    : BackgroundService
{
    private readonly Database.LoopFailures _failures = new(logger, "Audit sealer");

    private const int BatchSize = 1000;

    // Sealing is bookkeeping on the wall clock, whatever clock stamps the entries.
    private readonly TimeProvider _wallClock = TimeProvider.System;
    private (long Sequence, long Since)? _gap;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SealInterval, _wallClock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await SealOnceAsync(stoppingToken) == BatchSize)
                {
                }

                _failures.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The entries stay written; the next tick seals them.
                _failures.Failed(e);
            }
        }
    }

    /// <summary>Seals what can be sealed now; answers how many entries were sealed.</summary>
    public async Task<int> SealOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<AuditStore>();
        var sealedCount = 0;
        var written = new List<DateTime>();
        (int Segment, long Position, byte[] Hash)? sealedHead = null;
        var sealedNow = await store.SealExclusivelyAsync(
            async () =>
            {
                var head = await store.HeadAsync(ct);
                // A restored database (or a chain sealed by an earlier hub) begins the next segment first (see AuditSegments).
                var current = await segments.CurrentAsync(store, head, ct);
                var segment = current.Segment;
                var maxSequence = await store.MaxSealedSequenceAsync(ct);
                var position = head?.ChainPosition ?? 0;
                var previous = head?.EntryHash ?? AuditChain.Genesis;
                var batch = await store.UnsealedAsync(BatchSize, ct);
                var others = await store.OtherEntriesWithMacsAsync([.. batch.Select(e => e.Mac)], [.. batch.Select(e => e.Sequence)], ct);
                var inBatch = new Dictionary<byte[], long>(AuditStore.ByteArrayComparer.Instance);
                foreach (var entry in batch)
                {
                    if (entry.Sequence > maxSequence + 1 && !GapExpired(entry.Sequence))
                    {
                        break;
                    }

                    maxSequence = Math.Max(maxSequence, entry.Sequence);
                    var purpose = protector.OpenTextOrStored(entry.Purpose);
                    if (Refusal(entry, purpose, others, inBatch) is { } refusal)
                    {
                        // Not the hub's entry, or a copy of one under a new sequence: kept out of the chain, named by the verifier.
                        entry.EntryHash = [];
                        Log.AuditEntryRefused(logger, entry.Sequence, refusal.Why, refusal.Kind);
                        continue;
                    }

                    inBatch.TryAdd(entry.Mac, entry.Sequence);
                    position++;
                    entry.ChainSegment = segment;
                    entry.ChainVersion = current.ChainVersion;
                    entry.ChainPosition = position;
                    entry.PreviousHash = previous;
                    entry.EntryHash = AuditChain.Link(entry, purpose, previous, position, protector.AuditChainKey);
                    previous = entry.EntryHash;
                    written.Add(entry.At);
                    sealedCount++;
                    sealedHead = (segment, position, previous);
                }
            },
            ct);
        if (sealedNow && sealedHead is { } kept)
        {
            segments.Sealed(kept.Segment, kept.Position, kept.Hash);
        }

        var now = _wallClock.GetUtcNow().UtcDateTime;
        foreach (var at in written)
        {
            metrics.AuditSealed(now - at);
        }

        return sealedCount;
    }

    /// <summary>
    /// Why the hub will not seal <paramref name="entry"/>, or null: its MAC is not the hub's (it did not write the
    /// content), or another entry already carries the same MAC (a copy of an entry it wrote, under a sequence it did not
    /// assign). An entry whose purpose is sealed under a key the hub does not hold cannot be checked and is sealed (it
    /// verifies as UNREADABLE until the key is back).
    /// </summary>
    private (string Why, string Kind)? Refusal(AuditEntryEntity entry, string? purpose, Dictionary<byte[], long> others, Dictionary<byte[], long> inBatch)
    {
        var unreadable = Privacy.PersonalDataProtector.KeyIdOfText(entry.Purpose) is { } keyId && !protector.Holds(keyId);
        if (!unreadable && !protector.IsAuditMacValid(AuditChain.Canonical(entry, purpose), entry.Mac))
        {
            return ("it does not carry the hub's MAC (the hub did not write it).", "INSERTED");
        }

        return others.TryGetValue(entry.Mac, out var original) || inBatch.TryGetValue(entry.Mac, out original)
            ? ($"it is a copy of entry {original} (the same MAC) under a sequence the hub did not assign.", "INSERTED")
            : null;
    }

    private bool GapExpired(long sequence)
    {
        var now = _wallClock.GetTimestamp();
        if (_gap is not { } gap || gap.Sequence != sequence)
        {
            _gap = (sequence, now);
            return false;
        }

        return _wallClock.GetElapsedTime(gap.Since, now) >= options.Value.SealGapGrace;
    }
}
