using CreditExchange.Server.Privacy;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Server.Audit;

public enum ChainProblemKind
{
    Altered = 1,
    Deleted = 2,
    Inserted = 3,
    Truncated = 4,
}

public sealed record ChainProblem(long Sequence, long ExpectedPosition, ChainProblemKind Kind, string Description);

public sealed record ChainVerification(
    long SealedEntries,
    long LastSealedSequence,
    long UnsealedEntries,
    DateTime? OldestUnsealed,
    IReadOnlyList<ChainProblem> Problems,
    bool MoreProblems,
    long HeadPosition = 0,
    byte[]? HeadHash = null)
{
    public ChainProblem? FirstProblem => Problems.Count == 0 ? null : Problems[0];
}

/// <summary>
/// Walks the sealed chain in position order and names every entry that is not as the hub sealed it
/// (up to <see cref="MaxProblems"/>): after a problem it carries on from that entry, so one
/// alteration that cannot be repaired does not hide later ones.
/// </summary>
public sealed class AuditVerifier(AuditStore store, PersonalDataProtector protector)
{
    public const int MaxProblems = 100;
    private const int PageSize = 1000;

    /// <param name="known">Checkpoints (position → hash) kept from earlier runs, already authenticated: the chain must still hold each.</param>
    public async Task<ChainVerification> VerifyAsync(IReadOnlyDictionary<long, byte[]> known, CancellationToken ct)
    {
        var (unsealed, oldest) = await store.UnsealedLagAsync(ct);
        long expected = 1, count = 0, lastSequence = 0, afterPosition = 0, afterSequence = 0;
        var previous = AuditChain.Genesis;
        var problems = new List<ChainProblem>();
        var more = false;
        while (true)
        {
            var page = await store.SealedPageAsync(afterPosition, afterSequence, PageSize, ct);
            foreach (var e in page)
            {
                if ((Check(e, expected, previous) ?? Matches(e, known)) is { } problem)
                {
                    if (problems.Count < MaxProblems)
                    {
                        problems.Add(problem);
                    }
                    else
                    {
                        more = true;
                    }

                    if (e.ChainPosition!.Value < expected)
                    {
                        // A second entry claiming a position already held: the chain goes on without it.
                        lastSequence = e.Sequence;
                        count++;
                        continue;
                    }

                    // Carry on from this entry as it stands: later entries are judged against it.
                    expected = e.ChainPosition.Value;
                }

                previous = e.EntryHash ?? [];
                lastSequence = e.Sequence;
                expected++;
                count++;
            }

            if (page.Count < PageSize)
            {
                var head = expected - 1;
                var beyond = known.Keys.Where(p => p > head).DefaultIfEmpty(0).Max();
                if (beyond != 0)
                {
                    problems.Add(new ChainProblem(lastSequence, head + 1, ChainProblemKind.Truncated,
                        $"A kept checkpoint names chain position {beyond}, but the chain ends at position {head}: entries were deleted from its end."));
                }

                return new ChainVerification(count, lastSequence, unsealed, oldest, problems, more, head, count == 0 ? null : previous);
            }

            (afterPosition, afterSequence) = (page[^1].ChainPosition!.Value, page[^1].Sequence);
        }
    }

    private static ChainProblem? Matches(AuditEntryEntity e, IReadOnlyDictionary<long, byte[]> known) =>
        known.TryGetValue(e.ChainPosition!.Value, out var hash) && !hash.AsSpan().SequenceEqual(e.EntryHash)
            ? new ChainProblem(e.Sequence, e.ChainPosition.Value, ChainProblemKind.Altered,
                $"Entry {e.Sequence} holds chain position {e.ChainPosition} with another hash than a kept checkpoint: the chain up to here was rewritten.")
            : null;

    private ChainProblem? Check(AuditEntryEntity e, long expected, byte[] previous)
    {
        var position = e.ChainPosition!.Value;
        if (position > expected)
        {
            return new ChainProblem(e.Sequence, expected, ChainProblemKind.Deleted,
                $"Chain positions {expected}–{position - 1} are missing just before entry {e.Sequence} (position {position}): {position - expected} entries were deleted.");
        }

        if (position < expected)
        {
            return new ChainProblem(e.Sequence, expected, ChainProblemKind.Inserted,
                $"Entry {e.Sequence} claims chain position {position}, which an earlier entry holds: it was inserted.");
        }

        if (e.PreviousHash is null || !e.PreviousHash.AsSpan().SequenceEqual(previous))
        {
            return new ChainProblem(e.Sequence, expected, ChainProblemKind.Inserted,
                $"Entry {e.Sequence} does not link to the entry before it in the chain: it was inserted, or its predecessor was replaced.");
        }

        var purpose = protector.OpenTextOrStored(e.Purpose);
        if (e.EntryHash is null || !AuditChain.Hash(e, purpose, e.PreviousHash, position).AsSpan().SequenceEqual(e.EntryHash))
        {
            return new ChainProblem(e.Sequence, expected, ChainProblemKind.Altered,
                $"Entry {e.Sequence} (position {position}) no longer matches its hash: its content was altered after sealing.");
        }

        if (!protector.IsAuditMacValid(AuditChain.Canonical(e, purpose), e.Mac))
        {
            return new ChainProblem(e.Sequence, expected, ChainProblemKind.Inserted,
                $"Entry {e.Sequence} (position {position}) does not carry the hub's MAC: it was not written by the hub (inserted, or altered and re-hashed).");
        }

        return null;
    }
}
