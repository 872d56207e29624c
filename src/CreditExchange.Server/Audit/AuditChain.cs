using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Server.Audit;

/// <summary>
/// The canonical bytes of an audit entry and its place in the keyed chain (version 2):
/// <c>link(n) = HMAC-SHA256(chain key, "ce-audit-chain-v2" | segment | link(n-1) | position | sequence | canonical content | MAC)</c>,
/// with 32 zero bytes before the first entry, where the chain key is derived from the hub's audit key
/// (PersonalDataProtector.AuditChainKey): whoever can write the database but holds no hub key can neither
/// re-link the chain after deleting, inserting or reordering an entry nor seal one. Entries sealed by earlier hubs
/// keep the plain chain (version 1):
/// <c>hash(n) = SHA-256("ce-audit-chain-v1" | [segment] | hash(n-1) | position | sequence | canonical content | MAC)</c>,
/// and verify with it; the chain passes from version 1 to 2 where the hub begins a keyed segment (AuditSegments).
/// The MAC (HMAC-SHA256 under the hub's audit key, over the canonical content) is computed when the entry is written;
/// the link when it is sealed, after the sealer has checked the MAC and that no other entry carries it (the
/// sequence is bound to the entry there). The stated purpose is free text and stored sealed
/// (PersonalDataProtector.SealText); the canonical content holds it in clear, so re-keying the stored purpose never
/// breaks the chain.
/// </summary>
public static class AuditChain
{
    public const int HashLength = 32;

    public static readonly byte[] Genesis = new byte[HashLength];

    /// <summary>The chain version the hub seals new entries under.</summary>
    public const int KeyedVersion = 2;

    private static readonly byte[] ChainLabel = "ce-audit-chain-v1"u8.ToArray();

    private static readonly byte[] KeyedChainLabel = "ce-audit-chain-v2"u8.ToArray();

    private static readonly byte[] SegmentLabel = "ce-audit-segment"u8.ToArray();

    /// <summary>
    /// Everything an entry says, length-prefixed so that no two entries encode alike, with the
    /// purpose in clear (<paramref name="purpose"/>) and, for entries of this hub, the entry's random nonce. The sequence
    /// is not in it (assigned later, bound by the chain link).
    /// </summary>
    public static byte[] Canonical(AuditEntryEntity e, string? purpose)
    {
        using var stream = new MemoryStream();
        if (e.Nonce is { } nonce)
        {
            // Entries of this hub: a random nonce makes every entry's bytes (and MAC) its own.
            Write(stream, "ce-audit-entry-v2");
            WriteInt32(stream, nonce.Length);
            stream.Write(nonce);
        }
        else
        {
            Write(stream, "ce-audit-entry-v1");
        }

        WriteInt64(stream, e.At.Ticks);
        Write(stream, e.AgencyId);
        Write(stream, e.CertificateSubject);
        Write(stream, e.CertificateThumbprint);
        Write(stream, e.Method);
        Write(stream, e.SubjectHashes);
        Write(stream, purpose);
        WriteInt64(stream, e.StatusCode);
        Write(stream, e.Reason);
        Write(stream, e.RecordIds);
        return stream.ToArray();
    }

    /// <summary>
    /// The public canonical bytes of an entry (evidence bundles, checkpoint trees): <see cref="Canonical(AuditEntryEntity, string?)"/>
    /// with the clear purpose replaced by its SHA-256 (AuditMerkle.PurposeDigest), so no clear purpose leaves the hub.
    /// </summary>
    public static byte[] PublicCanonical(AuditEntryEntity e, string? clearPurpose) => Canonical(e, global::CreditExchange.Receipts.AuditMerkle.PurposeDigest(clearPurpose));

    /// <summary>The public Merkle leaf of a sealed entry (AuditMerkle.Leaf over its public canonical bytes).</summary>
    public static byte[] PublicLeaf(AuditEntryEntity e, string? clearPurpose) =>
        global::CreditExchange.Receipts.AuditMerkle.Leaf(e.ChainSegment, e.ChainPosition ?? 0, e.Sequence, PublicCanonical(e, clearPurpose), e.Mac);

    /// <summary>
    /// The chain link of a sealed entry under its <see cref="AuditEntryEntity.ChainVersion"/>, from its stored previous
    /// link and position: keyed with <paramref name="chainKey"/> under version 2, a plain SHA-256 under version 1.
    /// </summary>
    public static byte[] Link(AuditEntryEntity e, string? purpose, ReadOnlySpan<byte> previous, long position, byte[] chainKey)
    {
        if (e.ChainVersion < KeyedVersion)
        {
            return Hash(e, purpose, previous, position);
        }

        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, chainKey);
        mac.AppendData(KeyedChainLabel);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, e.ChainSegment);
        mac.AppendData(number);
        mac.AppendData(previous);
        BinaryPrimitives.WriteInt64BigEndian(number, position);
        mac.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, e.Sequence);
        mac.AppendData(number);
        mac.AppendData(Canonical(e, purpose));
        mac.AppendData(e.Mac);
        return mac.GetHashAndReset();
    }

    /// <summary>The plain (version 1) chain hash of a sealed entry, from its stored previous hash and position.</summary>
    public static byte[] Hash(AuditEntryEntity e, string? purpose, ReadOnlySpan<byte> previous, long position)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(ChainLabel);
        Span<byte> number = stackalloc byte[8];
        if (e.ChainSegment > 0)
        {
            // Entries sealed after a restore: the segment is part of what the hash covers (segment 0 hashes as before).
            sha.AppendData(SegmentLabel);
            BinaryPrimitives.WriteInt64BigEndian(number, e.ChainSegment);
            sha.AppendData(number);
        }

        sha.AppendData(previous);
        BinaryPrimitives.WriteInt64BigEndian(number, position);
        sha.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, e.Sequence);
        sha.AppendData(number);
        sha.AppendData(Canonical(e, purpose));
        sha.AppendData(e.Mac);
        return sha.GetHashAndReset();
    }

    /// <summary>The bytes the hub's MAC of a chain segment covers.</summary>
    public static byte[] Canonical(AuditSegmentEntity s)
    {
        using var stream = new MemoryStream();
        // Segments of the keyed chain: the version is covered (a v1 segment's bytes are as earlier hubs wrote them).
        Write(stream, s.ChainVersion >= KeyedVersion ? "ce-audit-segment-v2" : "ce-audit-segment-v1");
        if (s.ChainVersion >= KeyedVersion)
        {
            WriteInt64(stream, s.ChainVersion);
        }

        WriteInt64(stream, s.Segment);
        WriteInt64(stream, s.StartPosition);
        stream.Write(s.PreviousHash);
        WriteInt64(stream, s.StartedAt.Ticks);
        WriteInt64(stream, s.LostThroughPosition ?? -1);
        return stream.ToArray();
    }

    private static void Write(MemoryStream stream, string? value)
    {
        if (value is null)
        {
            WriteInt32(stream, -1);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        WriteInt32(stream, bytes.Length);
        stream.Write(bytes);
    }

    private static void WriteInt32(MemoryStream stream, int value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, value);
        stream.Write(buffer);
    }

    private static void WriteInt64(MemoryStream stream, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        stream.Write(buffer);
    }
}
