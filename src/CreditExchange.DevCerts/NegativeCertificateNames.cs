namespace CreditExchange.DevCerts;

/// <summary>
/// Names of the deliberately broken client certificates minted under <c>negative/</c>.
/// Each one carries the identity of agency <see cref="DevCertificateMinter.NegativeIdentityAgencyId"/>,
/// so a refusal can only come from the certificate check, never from the identity mapping.
/// </summary>
public static class NegativeCertificateNames
{
    /// <summary>Issued by a throwaway CA that has the same subject name as the real one.</summary>
    public const string ForeignCa = "foreign-ca";

    /// <summary>Validity ended yesterday.</summary>
    public const string Expired = "expired";

    /// <summary>Validity starts in 30 days.</summary>
    public const string NotYetValid = "not-yet-valid";

    /// <summary>Extended key usage is serverAuth only.</summary>
    public const string NoClientAuthEku = "no-client-auth-eku";

    /// <summary>Otherwise valid, but its serial number is on the CA's revocation list.</summary>
    public const string Revoked = "revoked";

    /// <summary>All negative certificate names, in minting order.</summary>
    public static IReadOnlyList<string> All { get; } = [ForeignCa, Expired, NotYetValid, NoClientAuthEku, Revoked];
}
