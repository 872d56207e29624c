using System.Security.Cryptography;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using Google.Protobuf;

namespace CreditExchange.Receipts;

/// <summary>
/// Checks a hub receipt (ECDSA P-256, SHA-256, IEEE P1363 signature over the receipt's exact
/// payload bytes) against the hub's published keys (ReceiptService.GetReceiptKeys). Client code
/// keeps receipts and keys and can prove, without the hub, that the hub accepted exactly a content.
/// </summary>
public static class ReceiptVerifier
{
    public const string Algorithm = "ECDSA_P256_SHA256";

    /// <summary>
    /// The receipt's payload when its signature verifies under the published key it names, else
    /// null (unknown key, bad signature, payload not matching its key id, malformed bytes).
    /// </summary>
    public static ReceiptPayload? Verify(Receipt receipt, IEnumerable<ReceiptKey> keys)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(keys);
        var key = keys.FirstOrDefault(k => k.KeyId == receipt.KeyId && k.Algorithm == Algorithm);
        return key is null ? null : Verify(receipt, key.PublicKeySpki.Span);
    }

    /// <summary>As <see cref="Verify(Receipt, IEnumerable{ReceiptKey})"/> with one key, given as DER SubjectPublicKeyInfo.</summary>
    public static ReceiptPayload? Verify(Receipt receipt, ReadOnlySpan<byte> publicKeySpki)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(publicKeySpki, out _);
            if (ecdsa.KeySize != 256
                || !ecdsa.VerifyData(receipt.SignedPayload.Span, receipt.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return null;
            }

            var payload = ReceiptPayload.Parser.ParseFrom(receipt.SignedPayload);
            return payload.KeyId == receipt.KeyId ? payload : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>
    /// The checkpoint of a hub-signed audit chain checkpoint (AuditService.VerifyAuditChain) when
    /// its signature verifies under the published key it names, else null.
    /// </summary>
    public static CreditExchange.Contracts.Audit.V1.ChainCheckpoint? VerifyCheckpoint(
        CreditExchange.Contracts.Audit.V1.SignedChainCheckpoint checkpointToVerify, IEnumerable<ReceiptKey> keys)
    {
        ArgumentNullException.ThrowIfNull(checkpointToVerify);
        ArgumentNullException.ThrowIfNull(keys);
        var key = keys.FirstOrDefault(k => k.KeyId == checkpointToVerify.KeyId && k.Algorithm == Algorithm);
        if (key is null)
        {
            return null;
        }

        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(key.PublicKeySpki.Span, out _);
            if (!ecdsa.VerifyData(checkpointToVerify.Checkpoint.Span, checkpointToVerify.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return null;
            }

            var checkpoint = CreditExchange.Contracts.Audit.V1.ChainCheckpoint.Parser.ParseFrom(checkpointToVerify.Checkpoint);
            return checkpoint.KeyId == checkpointToVerify.KeyId ? checkpoint : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether a verified receipt is for exactly this content. Pass the content as the hub
    /// accepted it (the record returned, or your own with resident ID check characters upper-cased).
    /// </summary>
    public static bool Covers(ReceiptPayload payload, RecordContent content)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(content);
        return string.Equals(payload.ContentSha256, ContentSha256(content), StringComparison.Ordinal);
    }

    /// <summary>The canonical content digest the hub signs: SHA-256 of the serialized RecordContent, lower-case hex.</summary>
    public static string ContentSha256(RecordContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        // ToHexStringLower is .NET 9+; the agency SDK compiles this file for .NET 8 too.
        return Convert.ToHexString(SHA256.HashData(content.ToByteArray())).ToLowerInvariant();
    }
}
