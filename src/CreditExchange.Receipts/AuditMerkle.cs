using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CreditExchange.Receipts;

/// <summary>
/// The public leaves of the audit chain and the RFC 6962 Merkle tree over them, in one place for the hub (which signs
/// the tree head into each stored checkpoint) and every verifier. An entry's public leaf is
/// <c>SHA-256(0x00 | "ce-audit-leaf-v1" | int64 BE segment | int64 BE position | int64 BE sequence | public canonical | MAC)</c>,
/// where the public canonical is the entry's canonical bytes with the purpose replaced by the lower-case hex SHA-256 of
/// its UTF-8 bytes (no clear purpose leaves the hub). Interior nodes are <c>SHA-256(0x01 | left | right)</c>.
/// </summary>
public static class AuditMerkle
{
    public const int HashLength = 32;

    private static readonly byte[] LeafLabel = "ce-audit-leaf-v1"u8.ToArray();

    /// <summary>The leaf hash of an entry from its public fields.</summary>
    public static byte[] Leaf(long segment, long position, long sequence, ReadOnlySpan<byte> publicCanonical, ReadOnlySpan<byte> mac)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(LeafLabel);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, segment);
        sha.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, position);
        sha.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, sequence);
        sha.AppendData(number);
        sha.AppendData(publicCanonical);
        sha.AppendData(mac);
        return sha.GetHashAndReset();
    }

    /// <summary>The lower-case hex SHA-256 of a clear purpose, as the public canonical holds it; null stays null.</summary>
    public static string? PurposeDigest(string? purpose) =>
        purpose is null ? null : Hex(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(purpose)));

    /// <summary>The interior node over two children.</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashLength)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashLength)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>RFC 6962 MTH over the leaf hashes (at least one).</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0)
        {
            throw new ArgumentException("A tree needs at least one leaf.", nameof(leaves));
        }

        return Root(leaves, 0, leaves.Count);
    }

    /// <summary>RFC 6962 PATH(m, D[n]): the sibling hashes from the leaf at <paramref name="index"/> up to the root.</summary>
    public static List<byte[]> Path(IReadOnlyList<byte[]> leaves, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Count);
        var path = new List<byte[]>();
        AddPath(leaves, 0, leaves.Count, index, path);
        return path;
    }

    /// <summary>
    /// Whether <paramref name="path"/> leads from <paramref name="leaf"/> at <paramref name="index"/> of a tree of
    /// <paramref name="size"/> leaves to <paramref name="root"/> (RFC 9162 section 2.1.3.2).
    /// </summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leaf, long index, long size, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size || root.Length != HashLength)
        {
            return false;
        }

        long fn = index;
        long sn = size - 1;
        var r = leaf.ToArray();
        foreach (var p in path)
        {
            if (sn == 0 || p.Length != HashLength)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = Node(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary>Lower-case hex (the library also builds for .NET 8, which lacks Convert.ToHexStringLower).</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static byte[] Root(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1)
        {
            return leaves[start];
        }

        var k = Split(count);
        return Node(Root(leaves, start, k), Root(leaves, start + k, count - k));
    }

    private static void AddPath(IReadOnlyList<byte[]> leaves, int start, int count, int index, List<byte[]> path)
    {
        if (count == 1)
        {
            return;
        }

        var k = Split(count);
        if (index < k)
        {
            AddPath(leaves, start, k, index, path);
            path.Add(Root(leaves, start + k, count - k));
        }
        else
        {
            AddPath(leaves, start + k, count - k, index - k, path);
            path.Add(Root(leaves, start, k));
        }
    }

    // The largest power of two smaller than n (n > 1).
    private static int Split(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
