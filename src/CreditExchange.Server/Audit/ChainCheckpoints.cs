using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Receipts;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Receipts;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CreditExchange.Server.Audit;

/// <summary>
/// The hub's signed statements of a chain head (creditexchange.audit.v1.ChainCheckpoint), made one way and opened one
/// way: the checkpoints the hub stores on its schedule, the ones VerifyAuditChain answers, and the ones a caller hands
/// back to be held.
/// </summary>
public sealed class ChainCheckpoints(ReceiptSigner signer)
{
    /// <summary>The statement that the chain's entry at (<paramref name="segment"/>, <paramref name="position"/>) hashes to <paramref name="hash"/>, signed with the current key; <paramref name="number"/> 0 for one not stored.</summary>
    public (byte[] Statement, string KeyId, byte[] Signature) Sign(int segment, long position, byte[] hash, DateTimeOffset at, long number = 0, CheckpointTree? tree = null)
    {
        var checkpoint = new ChainCheckpoint
        {
            ChainSegment = segment,
            ChainPosition = position,
            EntryHash = Convert.ToHexStringLower(hash),
            Time = Timestamp.FromDateTimeOffset(at),
            KeyId = signer.CurrentKeyId,
            Number = number,
        };
        if (tree is not null)
        {
            checkpoint.EntriesFromPosition = tree.FromPosition;
            checkpoint.EntriesCount = tree.Leaves.Count;
            checkpoint.EntriesRoot = ByteString.CopyFrom(tree.Root);
        }

        var statement = checkpoint.ToByteArray();
        var (keyId, signature) = signer.SignStatement(statement);
        return (statement, keyId, signature);
    }

    /// <summary>
    /// The checkpoint, when <paramref name="signature"/> is this hub's over <paramref name="statement"/> with the key it
    /// names, and the statement is one the hub makes (that key, a position, a SHA-256 in lower-case hex); else null.
    /// </summary>
    public ChainCheckpoint? Open(string keyId, ReadOnlySpan<byte> statement, ReadOnlySpan<byte> signature)
    {
        if (!signer.IsSignedStatement(keyId, statement, signature))
        {
            return null;
        }

        var checkpoint = ChainCheckpoint.Parser.ParseFrom(statement);
        return checkpoint.KeyId == keyId && checkpoint.ChainPosition > 0 && checkpoint.ChainSegment >= 0
            && checkpoint.EntryHash.Length == 64 && checkpoint.EntryHash.All(char.IsAsciiHexDigitLower)
            ? checkpoint
            : null;
    }

    /// <summary>
    /// The tree a stored checkpoint of (<paramref name="segment"/>, <paramref name="to"/>) covers: the sealed entries of the
    /// segment from <paramref name="from"/> on, one per position, with their public leaves; null when there are none.
    /// </summary>
    public static async Task<CheckpointTree?> TreeAsync(AuditStore store, PersonalDataProtector protector, int segment, long from, long to, CancellationToken ct)
    {
        var entries = (await store.SealedRangeAsync(segment, from, to, ct)).DistinctBy(e => e.ChainPosition).ToList();
        return entries.Count == 0
            ? null
            : new CheckpointTree(from, entries, [.. entries.Select(e => AuditChain.PublicLeaf(e, protector.OpenTextOrStored(e.Purpose)))]);
    }

    /// <summary>Where the tree of the next stored checkpoint of a segment begins: after its last stored checkpoint, or at the segment's start.</summary>
    public static async Task<long> NextTreeStartAsync(AuditStore store, AuditCheckpointStore checkpoints, int segment, CancellationToken ct)
    {
        if (await checkpoints.LatestOfSegmentAsync(segment, ct) is { } previous)
        {
            return previous.ChainPosition + 1;
        }

        return (await store.SegmentsAsync(ct)).FirstOrDefault(s => s.Segment == segment)?.StartPosition ?? 1;
    }
}

/// <summary>The entries a stored checkpoint's Merkle tree covers, from <see cref="FromPosition"/>, and their public leaves.</summary>
public sealed record CheckpointTree(long FromPosition, IReadOnlyList<AuditEntryEntity> Entries, IReadOnlyList<byte[]> Leaves)
{
    public byte[] Root { get; } = AuditMerkle.Root(Leaves);
}
