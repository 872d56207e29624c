namespace CreditExchange.Security;

/// <summary>Outcome of <see cref="ClientCertificatePolicy.Evaluate"/>.</summary>
/// <param name="IsValid">Whether the certificate may authenticate a client.</param>
/// <param name="Reason">Stable machine-readable code from <see cref="CertificateCheckReasons"/>; <c>null</c> when valid.</param>
/// <param name="Message">Human-readable explanation for logs; not for clients.</param>
public sealed record CertificateCheck(bool IsValid, string? Reason, string Message)
{
    public static CertificateCheck Valid { get; } = new(true, null, "Certificate accepted.");

    public static CertificateCheck Invalid(string reason, string message) => new(false, reason, message);
}

/// <summary>Reason codes of a refused client certificate. Stable: logs, metrics and tests match on them.</summary>
public static class CertificateCheckReasons
{
    /// <summary>Does not chain to exactly our CA (foreign issuer, bad signature, is the CA itself, ...).</summary>
    public const string UntrustedChain = "untrusted_chain";

    public const string Expired = "expired";

    public const string NotYetValid = "not_yet_valid";

    /// <summary>No extended key usage extension, or one without clientAuth.</summary>
    public const string MissingClientAuthEku = "missing_client_auth_eku";

    public const string Revoked = "revoked";

    /// <summary>The revocation list is past its next-update time, so revocation status is unknown (fail closed).</summary>
    public const string RevocationListExpired = "revocation_list_expired";

    /// <summary>The current revocation list was not issued by our CA, so revocation status is unknown (fail closed).</summary>
    public const string RevocationListMismatch = "revocation_list_mismatch";
}
