using System.Security.Cryptography;
using CreditExchange.Receipts;

namespace CreditExchange.Tests.Evidence;

/// <summary>The RFC 6962 tree over public audit leaves: known heads, every inclusion path of trees of 1..N leaves verifies, anything changed fails.</summary>
public sealed class AuditMerkleTests
{
    private static List<byte[]> Leaves(int n) =>
        [.. Enumerable.Range(0, n).Select(i => AuditMerkle.Leaf(0, i + 1, i + 10, [(byte)i, 1, 2], new byte[32]))];

    [Fact]
    public void TreeHeads_FollowRfc6962()
    {
        var l = Leaves(5);
        Assert.Equal(l[0], AuditMerkle.Root(l.Take(1).ToList()));
        Assert.Equal(AuditMerkle.Node(l[0], l[1]), AuditMerkle.Root(l.Take(2).ToList()));
        // n = 3: k = 2, so MTH = node(node(0, 1), 2).
        Assert.Equal(AuditMerkle.Node(AuditMerkle.Node(l[0], l[1]), l[2]), AuditMerkle.Root(l.Take(3).ToList()));
        // n = 5: k = 4.
        var four = AuditMerkle.Node(AuditMerkle.Node(l[0], l[1]), AuditMerkle.Node(l[2], l[3]));
        Assert.Equal(AuditMerkle.Node(four, l[4]), AuditMerkle.Root(l));
        // Domain separation: a leaf is SHA-256 over 0x00 | input, a node over 0x01 | left | right.
        Assert.Equal(SHA256.HashData([0x01, .. l[0], .. l[1]]), AuditMerkle.Node(l[0], l[1]));
    }

    [Fact]
    public void EveryInclusionPath_Verifies_AndAnyChangeFails()
    {
        for (var n = 1; n <= 33; n++)
        {
            var leaves = Leaves(n);
            var root = AuditMerkle.Root(leaves);
            for (var i = 0; i < n; i++)
            {
                var path = AuditMerkle.Path(leaves, i);
                Assert.True(AuditMerkle.VerifyInclusion(leaves[i], i, n, path, root), $"n={n} i={i}");
                var otherLeaf = (byte[])leaves[i].Clone();
                otherLeaf[0] ^= 1;
                Assert.False(AuditMerkle.VerifyInclusion(otherLeaf, i, n, path, root));
                if (n > 1)
                {
                    Assert.False(AuditMerkle.VerifyInclusion(leaves[i], (i + 1) % n, n, path, root));
                    var changed = path.Select(p => (byte[])p.Clone()).ToList();
                    changed[^1][5] ^= 0x80;
                    Assert.False(AuditMerkle.VerifyInclusion(leaves[i], i, n, changed, root));
                    Assert.False(AuditMerkle.VerifyInclusion(leaves[i], i, n, path.Take(path.Count - 1).ToList(), root));
                }
            }
        }
    }

    [Fact]
    public void Leaf_CoversEveryField()
    {
        var mac = new byte[32];
        var leaf = AuditMerkle.Leaf(1, 2, 3, [4], mac);
        Assert.NotEqual(leaf, AuditMerkle.Leaf(0, 2, 3, [4], mac));
        Assert.NotEqual(leaf, AuditMerkle.Leaf(1, 3, 3, [4], mac));
        Assert.NotEqual(leaf, AuditMerkle.Leaf(1, 2, 4, [4], mac));
        Assert.NotEqual(leaf, AuditMerkle.Leaf(1, 2, 3, [5], mac));
        Assert.NotEqual(leaf, AuditMerkle.Leaf(1, 2, 3, [4], new byte[32] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
        Assert.Equal(64, AuditMerkle.PurposeDigest("x")!.Length);
        Assert.Null(AuditMerkle.PurposeDigest(null));
    }
}
