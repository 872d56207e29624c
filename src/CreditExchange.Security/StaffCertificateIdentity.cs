using System.Security.Cryptography.X509Certificates;

namespace CreditExchange.Security;

/// <summary>
/// Reads a staff member's identity out of a client certificate of the hub's CA: a SAN URI
/// <c>urn:creditexchange:staff:&lt;id&gt;</c>. Staff certificates name people (the DRC's analysts on the integrity
/// dashboard), not agency systems: they carry no agency URI, so the hub itself refuses them.
/// </summary>
public static class StaffCertificateIdentity
{
    public const string StaffUriPrefix = "urn:creditexchange:staff:";

    /// <summary>The staff id, e.g. "drc-analyst"; <c>null</c> when the certificate names no staff member.</summary>
    public static string? StaffId(X509Certificate2 certificate) =>
        AgencyCertificateIdentity.SanUri(certificate, StaffUriPrefix)?[StaffUriPrefix.Length..];
}
