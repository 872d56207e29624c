namespace CreditExchange.Storage.Entities;

/// <summary>
/// An agency's signed write request as the hub received it: the exact bytes signed (creditexchange.api.v1.SigningInput,
/// which hold the request), the signature and the certificate that made it. Written when the hub accepts the signature,
/// before the call's change; the record versions the call produced point here. (agency, nonce) is unique: a nonce is
/// spent once, so a replayed request is refused.
/// </summary>
public sealed class RequestSignatureEntity
{
    public long Id { get; set; }

    public required string AgencyId { get; set; }

    public required byte[] Nonce { get; set; }

    /// <summary>The full gRPC method the request was signed for.</summary>
    public required string Method { get; set; }

    public DateTimeOffset SignedAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>SHA-256 of <see cref="SigningInput"/>: the request hash receipts carry.</summary>
    public required byte[] RequestSha256 { get; set; }

    /// <summary>The SigningInput bytes the signature covers.</summary>
    public required byte[] SigningInput { get; set; }

    public required byte[] Signature { get; set; }

    /// <summary>SHA-256 of the signing certificate's DER: the key of its <see cref="SigningCertificateEntity"/>.</summary>
    public required byte[] CertificateSha256 { get; set; }
}

/// <summary>A certificate that signed requests, kept once (DER) so that a signature can be verified long after.</summary>
public sealed class SigningCertificateEntity
{
    /// <summary>SHA-256 of <see cref="Der"/>.</summary>
    public required byte[] Sha256 { get; set; }

    public required byte[] Der { get; set; }

    public DateTimeOffset FirstUsedAt { get; set; }
}
