using CreditExchange.Storage;

namespace CreditExchange.Server.Audit;

/// <summary>
/// Seals written audit entries into the hash chain, in sequence order, a moment after they are
/// written. Writers never wait for one another (each call appends one row with a database
/// sequence); only this background loop computes the chain, and on PostgreSQL an advisory lock
/// lets one instance's sealer run at a time. A gap in the sequence (a write still committing) is
/// waited for up to <see cref="AuditOptions.SealGapGrace"/>; entries that commit later still are
/// sealed after the others, at the chain's head.
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
                // A restored database begins the next segment first (see AuditSegments).
                var segment = (await segments.CurrentAsync(store, head, ct)).Segment;
                var maxSequence = await store.MaxSealedSequenceAsync(ct);
                var position = head?.ChainPosition ?? 0;
                var previous = head?.EntryHash ?? AuditChain.Genesis;
                foreach (var entry in await store.UnsealedAsync(BatchSize, ct))
                {
                    if (entry.Sequence > maxSequence + 1 && !GapExpired(entry.Sequence))
                    {
                        break;
                    }

                    position++;
                    entry.ChainSegment = segment;
                    entry.ChainPosition = position;
                    entry.PreviousHash = previous;
                    entry.EntryHash = AuditChain.Hash(entry, protector.OpenTextOrStored(entry.Purpose), previous, position);
                    previous = entry.EntryHash;
                    maxSequence = Math.Max(maxSequence, entry.Sequence);
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
