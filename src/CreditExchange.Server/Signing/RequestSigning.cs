using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Contracts.Api.V1;
using CreditExchange.Domain.Errors;
using CreditExchange.Server.Calls;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Signing;

/// <summary>
/// An agency's signature over one write request (or one batch item), checked: the request hash receipts carry, and
/// the row to keep when it was signed.
/// </summary>
public sealed record SignedRequest(byte[] RequestSha256, RequestSignatureEntity? Signature);

/// <summary>
/// Agency signatures over write requests (creditexchange.api.v1.RequestSignature): which requests carry one (a field of
/// that type in the request message — the contract says so, no list here), the bytes signed (SigningInput), the check
/// against the key of the call's client certificate, the clock window, and the nonce spent once.
/// </summary>
public sealed class RequestSigning(IOptionsMonitor<SigningOptions> options, TimeProvider time)
{
    private static readonly ConcurrentDictionary<MessageDescriptor, FieldDescriptor?> SignatureFields = new();

    /// <summary>The request's signature field; null for a message that is not signed (a read, an admin call).</summary>
    public static FieldDescriptor? SignatureField(MessageDescriptor descriptor) =>
        SignatureFields.GetOrAdd(descriptor, d => d.Fields.InFieldNumberOrder().SingleOrDefault(f =>
            f.FieldType == FieldType.Message && f.MessageType == RequestSignature.Descriptor));

    /// <summary>
    /// The SigningInput bytes for <paramref name="message"/> as sent by <paramref name="agencyId"/> on
    /// <paramref name="method"/>: its signature field left out of the request bytes.
    /// </summary>
    public static byte[] SigningInputBytes(string method, string agencyId, IMessage message, RequestSignature? signature)
    {
        var field = SignatureField(message.Descriptor);
        byte[] request;
        if (field is not null && field.Accessor.HasValue(message))
        {
            var value = field.Accessor.GetValue(message);
            field.Accessor.Clear(message);
            try
            {
                request = message.ToByteArray();
            }
            finally
            {
                field.Accessor.SetValue(message, value);
            }
        }
        else
        {
            request = message.ToByteArray();
        }

        var input = new SigningInput { Method = method, AgencyId = agencyId, Request = ByteString.CopyFrom(request) };
        if (signature is not null)
        {
            input.SignedAt = signature.SignedAt;
            input.Nonce = signature.Nonce;
        }

        return input.ToByteArray();
    }

    /// <summary>
    /// Checks the signature of <paramref name="message"/> (a request, or a batch item with <paramref name="fieldPrefix"/>
    /// naming where it sits) sent by <paramref name="call"/>'s agency; throws the refusal (SIGNATURE_REQUIRED,
    /// SIGNATURE_INVALID) as a DomainException. The nonce is not spent here (<see cref="SpendAsync"/>).
    /// </summary>
    public SignedRequest Check(CallContext call, IMessage message, string fieldPrefix = "")
    {
        var agency = call.Agency.Id;
        var method = call.Method!.Path;
        var field = SignatureField(message.Descriptor);
        var signature = field is not null && field.Accessor.HasValue(message) ? (RequestSignature)field.Accessor.GetValue(message) : null;
        if (signature is null)
        {
            if (field is not null && options.CurrentValue.Requires(agency))
            {
                throw DomainException.InvalidArgument(ErrorReason.SignatureRequired,
                    [new FieldViolation(fieldPrefix + "signature", $"agency '{agency}' must sign its write requests", FieldViolationReason.Required)]);
            }

            return new SignedRequest(SHA256.HashData(SigningInputBytes(method, agency, message, null)), null);
        }

        var now = time.GetUtcNow();
        if (SignedAt(signature) is not { } signedAt || (now - signedAt).Duration() > options.CurrentValue.MaxClockSkew)
        {
            throw DomainException.InvalidArgument(ErrorReason.SignatureInvalid,
                [new FieldViolation(fieldPrefix + "signature.signed_at", $"is {signature.SignedAt}, more than {options.CurrentValue.MaxClockSkew} from the hub's clock ({now:O})", FieldViolationReason.SignedOutsideWindow)]);
        }

        var input = SigningInputBytes(method, agency, message, signature);
        var certificate = call.Certificate!;
        if (!Verifies(certificate, input, signature.Signature.Span))
        {
            throw DomainException.InvalidArgument(ErrorReason.SignatureInvalid,
                [new FieldViolation(fieldPrefix + "signature.signature", "does not verify with the key of the calling certificate over this request", FieldViolationReason.SignatureMismatch)]);
        }

        var hash = SHA256.HashData(input);
        return new SignedRequest(hash, new RequestSignatureEntity
        {
            AgencyId = agency,
            Nonce = signature.Nonce.ToByteArray(),
            Method = method,
            SignedAt = signedAt,
            ReceivedAt = call.Now,
            RequestSha256 = hash,
            SigningInput = input,
            Signature = signature.Signature.ToByteArray(),
            CertificateSha256 = certificate.GetCertHash(HashAlgorithmName.SHA256),
        });
    }

    /// <summary>The signing time, or null when it is absent or not a representable instant (a hostile timestamp).</summary>
    private static DateTimeOffset? SignedAt(RequestSignature signature)
    {
        try
        {
            return signature.SignedAt?.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Keeps the checked signatures and spends their nonces; answers each one's id, or refuses as SIGNATURE_REPLAYED the
    /// ones whose nonce was spent before (also earlier in the same list) through <paramref name="refuse"/>.
    /// </summary>
    public static async Task<long?[]> SpendAsync(SignatureStore store, CallContext call, IReadOnlyList<RequestSignatureEntity> signatures, CancellationToken ct)
    {
        var certificate = call.Certificate!;
        var certificates = new Dictionary<string, byte[]> { [call.Thumbprint!] = certificate.RawData };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fresh = new List<RequestSignatureEntity>();
        var slots = new int[signatures.Count];
        for (var i = 0; i < signatures.Count; i++)
        {
            slots[i] = seen.Add(Convert.ToBase64String(signatures[i].Nonce)) ? fresh.Count : -1;
            if (slots[i] >= 0)
            {
                fresh.Add(signatures[i]);
            }
        }

        var ids = fresh.Count == 0 ? [] : await store.SpendAsync(fresh, certificates, call.Now, ct);
        return [.. slots.Select(slot => slot < 0 ? null : ids[slot])];
    }

    /// <summary>The refusal of a request whose nonce was spent before.</summary>
    public static DomainException Replayed(string fieldPrefix = "") =>
        DomainException.InvalidArgument(ErrorReason.SignatureReplayed,
            [new FieldViolation(fieldPrefix + "signature.nonce", "was used before by this agency", FieldViolationReason.NonceReused)]);

    /// <summary>Whether <paramref name="signature"/> is the certificate key's signature of <paramref name="data"/> (ECDSA DER or RSA PKCS#1 v1.5, SHA-256).</summary>
    public static bool Verifies(X509Certificate2 certificate, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            using var ecdsa = certificate.GetECDsaPublicKey();
            if (ecdsa is not null)
            {
                return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            }

            using var rsa = certificate.GetRSAPublicKey();
            return rsa is not null && rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
