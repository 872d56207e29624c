using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Server.Receipts;
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
    public (byte[] Statement, string KeyId, byte[] Signature) Sign(int segment, long position, byte[] hash, DateTimeOffset at, long number = 0)
    {
        var statement = new ChainCheckpoint
        {
            ChainSegment = segment,
            ChainPosition = position,
            EntryHash = Convert.ToHexStringLower(hash),
            Time = Timestamp.FromDateTimeOffset(at),
            KeyId = signer.CurrentKeyId,
            Number = number,
        }.ToByteArray();
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
}
