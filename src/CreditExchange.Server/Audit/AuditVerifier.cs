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
    Unreadable = 5,
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
    byte[]? HeadHash = null,
    int HeadSegment = 0)
{
    public ChainProblem? FirstProblem => Problems.Count == 0 ? null : Problems[0];

    /// <summary>Whether what remains of the chain verified: no problem, or only entries lost from an end (a checkpoint of the head may be signed).</summary>
    public bool RemainderVerified => Problems.All(p => p.Kind == ChainProblemKind.Truncated) && !MoreProblems;
}

/// <summary>
/// Walks the sealed chain in position order and names every entry that is not as the hub sealed it
/// (up to <see cref="MaxProblems"/>): after a problem it carries on from that entry, so one
/// alteration that cannot be repaired does not hide later ones. Where the chain passes into the next segment (the hub
/// found its database restored from a backup, see <see cref="AuditSegments"/>), the segment must be the hub's (its MAC)
/// and continue from the entry before it; the entries lost with the restore (known to the hub, or shown by a kept
/// checkpoint of the earlier segment beyond its end) are reported there as TRUNCATED. A sealed purpose under a key the
/// hub does not hold is reported as UNREADABLE: it cannot be verified, which is not evidence of tampering. Each entry is
/// verified under the chain version of its segment (plain SHA-256 for segments begun by earlier hubs, the keyed link from
/// the keyed segment on): without the hub's key, no one can re-link the keyed chain after deleting, inserting or
/// reordering entries. Entries the sealer refused to chain (not the hub's MAC, or a copy under a new sequence) are
/// named as INSERTED after the chain.
/// </summary>
public sealed class AuditVerifier(AuditStore store, PersonalDataProtector protector, AuditSegments segmentKeeper)
{
    public const int MaxProblems = 100;
    private const int PageSize = 1000;

    /// <param name="known">Checkpoints ((segment, position) → hash) kept from earlier runs, already authenticated: the chain must still hold each.</param>
    /// <param name="names">What to call some of the checkpoints in a problem's description (the stored, time-stamped ones); "a kept checkpoint" otherwise.</param>
    public async Task<ChainVerification> VerifyAsync(
        IReadOnlyDictionary<(int Segment, long Position), byte[]> known, CancellationToken ct, IReadOnlyDictionary<(int Segment, long Position), string>? names = null)
    {
        names ??= new Dictionary<(int Segment, long Position), string>();
        if (segmentKeeper.LastSealed is { } own && !known.ContainsKey((own.Segment, own.Position)))
        {
            // The head this process sealed last counts as a kept checkpoint.
            known = new Dictionary<(int Segment, long Position), byte[]>(known) { [(own.Segment, own.Position)] = own.Hash };
        }

        var (unsealed, oldest) = await store.UnsealedLagAsync(ct);
        var segments = (await store.SegmentsAsync(ct)).ToDictionary(s => s.Segment);
        long expected = 1, count = 0, lastSequence = 0, afterPosition = 0, afterSequence = 0;
        var segment = 0;
        var previous = AuditChain.Genesis;
        var problems = new List<ChainProblem>();
        var more = false;
        void Add(ChainProblem problem)
        {
            if (problems.Count < MaxProblems)
            {
                problems.Add(problem);
            }
            else
            {
                more = true;
            }
        }

        while (true)
        {
            var page = await store.SealedPageAsync(afterPosition, afterSequence, PageSize, ct);
            foreach (var e in page)
            {
                if (e.ChainSegment != segment && e.ChainPosition!.Value >= expected)
                {
                    if (SegmentProblem(e, segment, previous, segments) is { } wrong)
                    {
                        Add(wrong);
                    }
                    else if (Lost(segment, e.ChainSegment, expected - 1, segments, known) is { } lost)
                    {
                        Add(new ChainProblem(e.Sequence, expected, ChainProblemKind.Truncated, lost));
                    }

                    segment = e.ChainSegment;
                }

                var version = segments.TryGetValue(e.ChainSegment, out var of) ? of.ChainVersion : 1;
                if ((Check(e, expected, previous, version) ?? Matches(e, known, names)) is { } problem)
                {
                    Add(problem);
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
                var lastSegment = segments.Count == 0 ? segment : Math.Max(segment, segments.Keys.Max());
                if (lastSegment != segment && Lost(segment, lastSegment, head, segments, known) is { } lostAtEnd)
                {
                    // Restored, and nothing sealed since: the loss shows at the head.
                    Add(new ChainProblem(lastSequence, head + 1, ChainProblemKind.Truncated, lostAtEnd));
                }

                var beyond = known.Keys.Where(k => k.Segment == lastSegment && k.Position > head).Select(k => k.Position).DefaultIfEmpty(0).Max();
                if (beyond != 0)
                {
                    var which = names.TryGetValue((lastSegment, beyond), out var name) ? name : "A kept checkpoint";
                    Add(new ChainProblem(lastSequence, head + 1, ChainProblemKind.Truncated,
                        $"{char.ToUpperInvariant(which[0])}{which[1..]} names chain position {beyond}, but the chain ends at position {head}: entries were deleted from its end."));
                }

                foreach (var refused in await store.RefusedAsync(MaxProblems + 1, ct))
                {
                    Add(await RefusedAsync(refused, ct));
                }

                return new ChainVerification(count, lastSequence, unsealed, oldest, problems, more, head, count == 0 ? null : previous, segment);
            }

            (afterPosition, afterSequence) = (page[^1].ChainPosition!.Value, page[^1].Sequence);
        }
    }

    /// <summary>Null when the chain may pass from <paramref name="from"/> into the segment of <paramref name="e"/> here.</summary>
    private ChainProblem? SegmentProblem(AuditEntryEntity e, int from, byte[] previous, Dictionary<int, AuditSegmentEntity> segments)
    {
        var position = e.ChainPosition!.Value;
        if (e.ChainSegment < from || !segments.TryGetValue(e.ChainSegment, out var next) || !segmentKeeper.IsAuthentic(next))
        {
            return new ChainProblem(e.Sequence, position, ChainProblemKind.Inserted,
                $"Entry {e.Sequence} (position {position}) claims chain segment {e.ChainSegment}, which the hub did not begin: it was inserted or altered.");
        }

        return next.StartPosition != position || !next.PreviousHash.AsSpan().SequenceEqual(previous)
            ? new ChainProblem(e.Sequence, position, ChainProblemKind.Inserted,
                $"Chain segment {e.ChainSegment} began at position {next.StartPosition}, after another entry than the chain holds before entry {e.Sequence} (position {position}): entries were inserted or replaced.")
            : null;
    }

    /// <summary>
    /// What was lost where the chain passed from segment <paramref name="from"/> (ending at <paramref name="end"/>) into
    /// segment <paramref name="to"/>: the positions the hub knew it had sealed beyond <paramref name="end"/>, and those of
    /// kept checkpoints of the earlier segments beyond it. Null when neither shows a loss.
    /// </summary>
    private static string? Lost(int from, int to, long end, Dictionary<int, AuditSegmentEntity> segments, IReadOnlyDictionary<(int Segment, long Position), byte[]> known)
    {
        var recorded = segments.Values.Where(s => s.Segment > from && s.Segment <= to).Select(s => s.LostThroughPosition ?? 0).DefaultIfEmpty(0).Max();
        var kept = known.Keys.Where(k => k.Segment < to && k.Position > end).Select(k => k.Position).DefaultIfEmpty(0).Max();
        var lost = Math.Max(recorded, kept);
        if (lost <= end)
        {
            return null;
        }

        var started = segments.TryGetValue(to, out var next) ? next.StartedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "?";
        return $"Chain positions {end + 1}–{lost} of segment {from} were lost: the database was restored from a backup taken before they were sealed " +
            $"(the hub found it restored at {started} and continued the chain from position {end} as segment {to}; " +
            (kept > end ? "a kept checkpoint names position " + kept : "the hub had sealed up to position " + recorded) + ").";
    }

    private static ChainProblem? Matches(
        AuditEntryEntity e, IReadOnlyDictionary<(int Segment, long Position), byte[]> known, IReadOnlyDictionary<(int Segment, long Position), string> names) =>
        known.TryGetValue((e.ChainSegment, e.ChainPosition!.Value), out var hash) && !hash.AsSpan().SequenceEqual(e.EntryHash)
            ? new ChainProblem(e.Sequence, e.ChainPosition.Value, ChainProblemKind.Altered,
                $"Entry {e.Sequence} holds chain position {e.ChainPosition} with another hash than " +
                $"{(names.TryGetValue((e.ChainSegment, e.ChainPosition.Value), out var name) ? name : "a kept checkpoint")}: the chain up to here was rewritten.")
            : null;

    /// <summary>An entry the sealer refused to seal: not the hub's MAC, or a copy of an entry it wrote under another sequence.</summary>
    private async Task<ChainProblem> RefusedAsync(AuditEntryEntity e, CancellationToken ct)
    {
        var purpose = protector.OpenTextOrStored(e.Purpose);
        if (!protector.IsAuditMacValid(AuditChain.Canonical(e, purpose), e.Mac))
        {
            return new ChainProblem(e.Sequence, 0, ChainProblemKind.Inserted,
                $"Entry {e.Sequence} does not carry the hub's MAC: it was not written by the hub (inserted, or altered before sealing); the sealer refused to chain it.");
        }

        var original = await store.OtherWithMacAsync(e.Mac, e.Sequence, ct);
        return new ChainProblem(e.Sequence, 0, ChainProblemKind.Inserted,
            $"Entry {e.Sequence} is a copy of entry {original?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(deleted since)"} " +
            "(the same MAC) under a sequence the hub did not assign: it was inserted; the sealer refused to chain it.");
    }

    private ChainProblem? Check(AuditEntryEntity e, long expected, byte[] previous, int version)
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

        if (PersonalDataProtector.KeyIdOfText(e.Purpose) is { } keyId && !protector.Holds(keyId))
        {
            protector.ReportUnheld(keyId);
            return new ChainProblem(e.Sequence, expected, ChainProblemKind.Unreadable,
                $"Entry {e.Sequence} (position {position}) cannot be opened with the keys held: its stated purpose is sealed under privacy key '{keyId}', " +
                "which this hub does not hold (Hub:Privacy:EncryptionKeys), so it cannot be verified. This is not evidence of tampering: configure the key again.");
        }

        if (e.ChainVersion != version)
        {
            return new ChainProblem(e.Sequence, expected, ChainProblemKind.Altered,
                $"Entry {e.Sequence} (position {position}) claims chain version {e.ChainVersion}, but its segment {e.ChainSegment} is sealed under version {version}: " +
                "the chain was rewritten from here without the hub's key (entries before it deleted, inserted or reordered, or this one altered).");
        }

        var purpose = protector.OpenTextOrStored(e.Purpose);
        if (e.EntryHash is null || !AuditChain.Link(e, purpose, e.PreviousHash, position, protector.AuditChainKey).AsSpan().SequenceEqual(e.EntryHash))
        {
            var macValid = protector.IsAuditMacValid(AuditChain.Canonical(e, purpose), e.Mac);
            if (version >= AuditChain.KeyedVersion && macValid)
            {
                return new ChainProblem(e.Sequence, expected, ChainProblemKind.Altered,
                    $"Entry {e.Sequence} (position {position}) does not carry the hub's chain link although its content is the hub's: the chain was re-linked " +
                    "from here without the hub's key (entries before it deleted, inserted or reordered, or its sequence or position changed).");
            }

            if (version >= AuditChain.KeyedVersion && e.EntryHash is not null && AuditChain.Hash(e, purpose, e.PreviousHash, position).AsSpan().SequenceEqual(e.EntryHash))
            {
                return new ChainProblem(e.Sequence, expected, ChainProblemKind.Inserted,
                    $"Entry {e.Sequence} (position {position}) does not carry the hub's MAC nor its chain link: it was not written by the hub (altered, and re-hashed without the hub's key).");
            }

            return new ChainProblem(e.Sequence, expected, ChainProblemKind.Altered,
                $"Entry {e.Sequence} (position {position}) no longer matches its chain link: its content was altered after sealing.");
        }

        if (!protector.IsAuditMacValid(AuditChain.Canonical(e, purpose), e.Mac))
        {
            return new ChainProblem(e.Sequence, expected, ChainProblemKind.Inserted,
                $"Entry {e.Sequence} (position {position}) does not carry the hub's MAC: it was not written by the hub (inserted, or altered and re-hashed).");
        }

        return null;
    }
}
