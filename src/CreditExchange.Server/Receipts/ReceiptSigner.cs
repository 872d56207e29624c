using System.Security.Cryptography;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Receipts;
using CreditExchange.Storage.Entities;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CreditExchange.Server.Receipts;

/// <summary>Signs receipts of accepted records and lists the published keys.</summary>
public sealed class ReceiptSigner(ReceiptKeys keys)
{
    // The keys are fixed for the hub's lifetime: exported once, not on every GetReceiptKeys.
    private readonly Lazy<ReceiptKey[]> _published = new(() => Publish(keys));

    /// <summary>
    /// A receipt for the record as stored (for a duplicate: the first acceptance), answering the request whose SigningInput
    /// hashes to <paramref name="requestSha256"/>, signed with the current key.
    /// </summary>
    public Receipt Sign(RecordEntity row, byte[] requestSha256) => Sign(row, row.ContentHash, requestSha256);

    /// <summary>
    /// A receipt as <see cref="Sign(RecordEntity, byte[])"/> for the content hashing to <paramref name="contentHash"/> (an
    /// earlier version's, in an evidence bundle): the payload is made from stored data alone, so it says what the receipt
    /// of that acceptance said, signed with the key current now.
    /// </summary>
    public Receipt Sign(RecordEntity row, byte[] contentHash, byte[] requestSha256)
    {
        var payload = new ReceiptPayload
        {
            RecordId = row.Id.ToString(),
            AgencyId = row.AgencyId,
            SourceRecordId = row.SourceRecordId,
            ContentSha256 = Convert.ToHexStringLower(contentHash),
            Sequence = row.Sequence,
            AcceptedAt = Timestamp.FromDateTimeOffset(row.AcceptedAt),
            KeyId = keys.CurrentKeyId,
            RequestSha256 = Convert.ToHexStringLower(requestSha256),
        }.ToByteArray();
        var signature = keys.Current.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new Receipt
        {
            SignedPayload = ByteString.CopyFrom(payload),
            KeyId = keys.CurrentKeyId,
            Signature = ByteString.CopyFrom(signature),
        };
    }

    /// <summary>Id of the key that signs now.</summary>
    public string CurrentKeyId => keys.CurrentKeyId;

    /// <summary>Signs any hub statement (e.g. an audit chain checkpoint) with the current receipt key.</summary>
    public (string KeyId, byte[] Signature) SignStatement(byte[] statement) =>
        (keys.CurrentKeyId, keys.Current.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <summary>Whether a statement carries a valid signature by the published key it names.</summary>
    public bool IsSignedStatement(string keyId, ReadOnlySpan<byte> statement, ReadOnlySpan<byte> signature) =>
        keys.Keys.TryGetValue(keyId, out var key)
        && key.VerifyData(statement, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>Every published key, current first (copies: callers may change them).</summary>
    public IEnumerable<ReceiptKey> PublishedKeys() => _published.Value.Select(k => k.Clone());

    private static ReceiptKey[] Publish(ReceiptKeys keys) =>
        [.. keys.Keys
            .OrderBy(k => k.Key == keys.CurrentKeyId ? 0 : 1)
            .ThenBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => new ReceiptKey
            {
                KeyId = k.Key,
                Algorithm = ReceiptVerifier.Algorithm,
                PublicKeySpki = ByteString.CopyFrom(k.Value.ExportSubjectPublicKeyInfo()),
                PublicKeyPem = k.Value.ExportSubjectPublicKeyInfoPem(),
                Current = k.Key == keys.CurrentKeyId,
            })];
}
