using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Server.Audit;

/// <summary>
/// The canonical bytes of an audit entry and its place in the SHA-256 chain:
/// <c>hash(n) = SHA-256("ce-audit-chain-v1" | hash(n-1) | position | sequence | canonical content | MAC)</c>,
/// with 32 zero bytes before the first entry. The MAC (HMAC-SHA256 under the hub's audit key,
/// over the canonical content) is computed when the entry is written; the hash when it is sealed.
/// The stated purpose is free text and stored sealed (PersonalDataProtector.SealText); the canonical
/// content holds it in clear, so re-keying the stored purpose never breaks the chain.
/// </summary>
public static class AuditChain
{
    public const int HashLength = 32;

    public static readonly byte[] Genesis = new byte[HashLength];

    private static readonly byte[] ChainLabel = "ce-audit-chain-v1"u8.ToArray();

    private static readonly byte[] SegmentLabel = "ce-audit-segment"u8.ToArray();

    /// <summary>
    /// Everything an entry says, length-prefixed so that no two entries encode alike, with the
    /// purpose in clear (<paramref name="purpose"/>). The sequence is not in it (assigned later).
    /// </summary>
    public static byte[] Canonical(AuditEntryEntity e, string? purpose)
    {
        using var stream = new MemoryStream();
        Write(stream, "ce-audit-entry-v1");
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

    /// <summary>The chain hash of a sealed entry, from its stored previous hash and position.</summary>
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
        Write(stream, "ce-audit-segment-v1");
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
