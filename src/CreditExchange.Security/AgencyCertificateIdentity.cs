using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace CreditExchange.Security;

/// <summary>Reads the agency identity out of a client certificate (after <see cref="ClientCertificatePolicy"/> accepted it).</summary>
public static class AgencyCertificateIdentity
{
    public const string AgencyUriPrefix = "urn:creditexchange:agency:";

    private const string SubjectAlternativeNameOid = "2.5.29.17";

    // GeneralName uniformResourceIdentifier [6] IMPLICIT IA5String.
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The first SAN URI starting with <see cref="AgencyUriPrefix"/>, or <c>null</c>.</summary>
    public static string? AgencyUri(X509Certificate2 certificate) => SanUri(certificate, AgencyUriPrefix);

    /// <summary>The first SAN URI starting with <paramref name="prefix"/> and longer than it, or <c>null</c>.</summary>
    public static string? SanUri(X509Certificate2 certificate, string prefix)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(prefix);

        // X509SubjectAlternativeNameExtension only enumerates DNS names and IP addresses, so read URIs by hand.
        var extension = certificate.Extensions[SubjectAlternativeNameOid];
        if (extension is null)
        {
            return null;
        }

        try
        {
            var outer = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var names = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            while (names.HasData)
            {
                if (names.PeekTag() == UriTag)
                {
                    var uri = names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag);
                    if (uri.StartsWith(prefix, StringComparison.Ordinal) && uri.Length > prefix.Length)
                    {
                        return uri;
                    }
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed SAN names nobody.
            return null;
        }

        return null;
    }

    /// <summary>The agency id from <see cref="AgencyUri"/>, e.g. "court"; <c>null</c> if there is none.</summary>
    public static string? AgencyId(X509Certificate2 certificate) => AgencyUri(certificate)?[AgencyUriPrefix.Length..];

    /// <summary>The subject distinguished name as .NET formats it, e.g. "CN=court, OU=Agency Systems, O=CreditExchange Development".</summary>
    public static string SubjectDn(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.SubjectName.Name;
    }
}
