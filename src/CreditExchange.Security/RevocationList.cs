using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CreditExchange.Security;

/// <summary>
/// An X.509 v2 certificate revocation list whose signature has been verified against a known issuer.
/// Parsed by hand (System.Formats.Asn1) because the BCL can build CRLs but never verifies one.
/// </summary>
public sealed class RevocationList
{
    private const string PemLabel = "X509 CRL";
    private const string CrlNumberOid = "2.5.29.20";
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";

    private static readonly Asn1Tag ExtensionsTag = new(TagClass.ContextSpecific, 0, isConstructed: true);

    private readonly HashSet<string> _revokedSerials;
    private readonly byte[] _issuerSubjectPublicKeyInfo;

    private RevocationList(
        X500DistinguishedName issuer,
        byte[] issuerSubjectPublicKeyInfo,
        DateTimeOffset thisUpdate,
        DateTimeOffset? nextUpdate,
        BigInteger? crlNumber,
        HashSet<string> revokedSerials)
    {
        Issuer = issuer;
        _issuerSubjectPublicKeyInfo = issuerSubjectPublicKeyInfo;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        CrlNumber = crlNumber;
        _revokedSerials = revokedSerials;
    }

    /// <summary>The issuer name, byte-identical to the subject of the certificate that verified the signature.</summary>
    public X500DistinguishedName Issuer { get; }

    public DateTimeOffset ThisUpdate { get; }

    /// <summary>When the issuer promises the next list; <c>null</c> if the CRL omits it.</summary>
    public DateTimeOffset? NextUpdate { get; }

    public BigInteger? CrlNumber { get; }

    /// <summary>Number of distinct revoked serial numbers.</summary>
    public int Count => _revokedSerials.Count;

    /// <summary>Loads a PEM ("X509 CRL") or DER CRL file and verifies it against <paramref name="issuer"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed CRL, or names another issuer.</exception>
    /// <exception cref="CryptographicException">The signature does not verify or uses an unsupported algorithm.</exception>
    public static RevocationList Load(string pemOrDerPath, X509Certificate2 issuer)
    {
        ArgumentException.ThrowIfNullOrEmpty(pemOrDerPath);
        ArgumentNullException.ThrowIfNull(issuer);

        var bytes = File.ReadAllBytes(pemOrDerPath);
        try
        {
            return Parse(LooksLikePem(bytes) ? DecodePem(bytes) : bytes, issuer);
        }
        catch (InvalidDataException ex)
        {
            // Repeat the path so a refusal to start names the offending file.
            throw new InvalidDataException($"Revocation list '{pemOrDerPath}': {ex.Message}", ex);
        }
        catch (CryptographicException ex)
        {
            throw new CryptographicException($"Revocation list '{pemOrDerPath}': {ex.Message}", ex);
        }
    }

    /// <summary>Parses a DER CRL and verifies its signature and issuer name against <paramref name="issuer"/>.</summary>
    /// <exception cref="InvalidDataException">Not a well-formed CRL, or it names another issuer.</exception>
    /// <exception cref="CryptographicException">The signature does not verify or uses an unsupported algorithm.</exception>
    public static RevocationList Parse(ReadOnlySpan<byte> der, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);

        // AsnReader wants memory, not a span; the copy also shields us from the caller mutating the buffer.
        var data = der.ToArray();
        ReadOnlyMemory<byte> tbs;
        ReadOnlyMemory<byte> signatureAlgorithm;
        byte[] signature;
        try
        {
            // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
            var outer = new AsnReader(data, AsnEncodingRules.DER);
            var certificateList = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            tbs = certificateList.ReadEncodedValue();
            signatureAlgorithm = certificateList.ReadEncodedValue();
            signature = certificateList.ReadBitString(out var unusedBits);
            certificateList.ThrowIfNotEmpty();
            if (unusedBits != 0)
            {
                throw new InvalidDataException("The CRL signature BIT STRING has unused bits.");
            }
        }
        catch (AsnContentException ex)
        {
            throw new InvalidDataException("The data is not a DER-encoded X.509 CRL.", ex);
        }

        // Verify before believing anything the TBS says.
        VerifySignature(tbs.Span, signatureAlgorithm, signature, issuer);

        try
        {
            return ParseTbs(tbs, signatureAlgorithm, issuer);
        }
        catch (AsnContentException ex)
        {
            throw new InvalidDataException("The CRL's TBSCertList is malformed.", ex);
        }
    }

    /// <summary>Whether the certificate's serial number is on this list. Does not check who issued the certificate.</summary>
    public bool IsRevoked(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        // SerialNumberBytes is big-endian like the CRL; GetSerialNumber() would be little-endian.
        return _revokedSerials.Contains(NormaliseSerial(certificate.SerialNumberBytes.Span));
    }

    /// <summary>Whether this list was verified with <paramref name="issuer"/>'s key and names it as issuer.</summary>
    public bool IsIssuedBy(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return Issuer.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData)
            && _issuerSubjectPublicKeyInfo.AsSpan().SequenceEqual(issuer.PublicKey.ExportSubjectPublicKeyInfo());
    }

    private static RevocationList ParseTbs(ReadOnlyMemory<byte> tbsBytes, ReadOnlyMemory<byte> outerSignatureAlgorithm, X509Certificate2 issuer)
    {
        // TBSCertList ::= SEQUENCE { version OPTIONAL, signature, issuer, thisUpdate, nextUpdate OPTIONAL,
        //                            revokedCertificates OPTIONAL, crlExtensions [0] EXPLICIT OPTIONAL }
        var outer = new AsnReader(tbsBytes, AsnEncodingRules.DER);
        var tbs = outer.ReadSequence();
        outer.ThrowIfNotEmpty();

        var version = 0;
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            if (!tbs.TryReadInt32(out version) || version != 1)
            {
                throw new InvalidDataException("Only v2 CRLs (version field 1) are supported.");
            }
        }

        // RFC 5280 5.1.1.2: the inner algorithm must equal the outer one, or an attacker could swap it.
        if (!tbs.ReadEncodedValue().Span.SequenceEqual(outerSignatureAlgorithm.Span))
        {
            throw new InvalidDataException("The CRL's inner and outer signature algorithms differ.");
        }

        var issuerName = tbs.ReadEncodedValue();

        // Byte comparison is stricter than RFC 5280 name matching; fine, because we verify CRLs from our own CA.
        if (!issuerName.Span.SequenceEqual(issuer.SubjectName.RawData))
        {
            throw new InvalidDataException(
                $"The CRL names issuer '{new X500DistinguishedName(issuerName.Span).Name}', expected '{issuer.SubjectName.Name}'.");
        }

        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && IsTimeTag(tbs.PeekTag()))
        {
            nextUpdate = ReadTime(tbs);
        }

        var serials = new HashSet<string>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            ReadRevokedCertificates(tbs.ReadSequence(), serials);
        }

        BigInteger? crlNumber = null;
        if (tbs.HasData)
        {
            if (version == 0)
            {
                throw new InvalidDataException("A v1 CRL must not carry extensions.");
            }

            var explicitWrapper = tbs.ReadSequence(ExtensionsTag);
            crlNumber = ReadCrlExtensions(explicitWrapper.ReadSequence());
            explicitWrapper.ThrowIfNotEmpty();
        }

        tbs.ThrowIfNotEmpty();

        return new RevocationList(
            new X500DistinguishedName(issuerName.Span),
            issuer.PublicKey.ExportSubjectPublicKeyInfo(),
            thisUpdate,
            nextUpdate,
            crlNumber,
            serials);
    }

    private static void ReadRevokedCertificates(AsnReader revoked, HashSet<string> serials)
    {
        // An empty SEQUENCE OF is tolerated, although RFC 5280 says to omit the field instead.
        while (revoked.HasData)
        {
            // SEQUENCE { userCertificate INTEGER, revocationDate Time, crlEntryExtensions OPTIONAL }
            var entry = revoked.ReadSequence();
            var serial = entry.ReadIntegerBytes();
            _ = ReadTime(entry);
            if (entry.HasData)
            {
                foreach (var (oid, critical, _) in ReadExtensions(entry.ReadSequence()))
                {
                    // e.g. certificateIssuer (indirect CRLs) changes which certificate an entry means; we don't do that.
                    if (critical)
                    {
                        throw new InvalidDataException($"The CRL entry has unsupported critical extension {oid}.");
                    }
                }
            }

            entry.ThrowIfNotEmpty();
            serials.Add(NormaliseSerial(serial.Span));
        }
    }

    private static BigInteger? ReadCrlExtensions(AsnReader extensions)
    {
        BigInteger? crlNumber = null;
        foreach (var (oid, critical, value) in ReadExtensions(extensions))
        {
            switch (oid)
            {
                case CrlNumberOid:
                    var reader = new AsnReader(value, AsnEncodingRules.DER);
                    crlNumber = reader.ReadInteger();
                    reader.ThrowIfNotEmpty();
                    break;
                case AuthorityKeyIdentifierOid:
                    // The signature check already tied the list to the issuer key.
                    break;
                default:
                    // RFC 5280 5.2: a CRL with a critical extension we cannot process must not be used
                    // (issuingDistributionPoint and deltaCRLIndicator change the list's scope).
                    if (critical)
                    {
                        throw new InvalidDataException($"The CRL has unsupported critical extension {oid}.");
                    }

                    break;
            }
        }

        return crlNumber;
    }

    private static List<(string Oid, bool Critical, ReadOnlyMemory<byte> Value)> ReadExtensions(AsnReader extensions)
    {
        // Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
        var result = new List<(string, bool, ReadOnlyMemory<byte>)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (extensions.HasData)
        {
            var extension = extensions.ReadSequence();
            var oid = extension.ReadObjectIdentifier();
            var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
            var value = extension.ReadOctetString();
            extension.ThrowIfNotEmpty();
            if (!seen.Add(oid))
            {
                throw new InvalidDataException($"The CRL repeats extension {oid}.");
            }

            result.Add((oid, critical, value));
        }

        return result;
    }

    private static bool IsTimeTag(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.HasSameClassAndValue(Asn1Tag.UtcTime))
        {
            return reader.ReadUtcTime();
        }

        if (tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime))
        {
            return reader.ReadGeneralizedTime();
        }

        throw new InvalidDataException($"Expected a UTCTime or GeneralizedTime, found tag {tag}.");
    }

    private static void VerifySignature(ReadOnlySpan<byte> tbs, ReadOnlyMemory<byte> algorithmIdentifier, byte[] signature, X509Certificate2 issuer)
    {
        // A CA that may not sign CRLs cannot vouch for one, even with a valid signature.
        var keyUsage = issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is not null && !keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign))
        {
            throw new CryptographicException($"Certificate '{issuer.Subject}' is not allowed to sign CRLs (no cRLSign key usage).");
        }

        var (isEcdsa, hash) = ReadSignatureAlgorithm(algorithmIdentifier);
        bool valid;
        if (isEcdsa)
        {
            using var key = issuer.GetECDsaPublicKey()
                ?? throw new CryptographicException($"The CRL is signed with ECDSA but '{issuer.Subject}' has no EC key.");
            valid = key.VerifyData(tbs, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }
        else
        {
            using var key = issuer.GetRSAPublicKey()
                ?? throw new CryptographicException($"The CRL is signed with RSA but '{issuer.Subject}' has no RSA key.");
            valid = key.VerifyData(tbs, signature, hash, RSASignaturePadding.Pkcs1);
        }

        if (!valid)
        {
            throw new CryptographicException($"The CRL signature does not verify against '{issuer.Subject}'.");
        }
    }

    private static (bool IsEcdsa, HashAlgorithmName Hash) ReadSignatureAlgorithm(ReadOnlyMemory<byte> algorithmIdentifier)
    {
        string oid;
        bool hasParameters;
        bool parametersAreNull = false;
        try
        {
            // AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
            var outer = new AsnReader(algorithmIdentifier, AsnEncodingRules.DER);
            var sequence = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            oid = sequence.ReadObjectIdentifier();
            hasParameters = sequence.HasData;
            if (hasParameters && sequence.PeekTag().HasSameClassAndValue(Asn1Tag.Null))
            {
                sequence.ReadNull();
                parametersAreNull = true;
            }
            else if (hasParameters)
            {
                sequence.ReadEncodedValue();
            }

            sequence.ThrowIfNotEmpty();
        }
        catch (AsnContentException ex)
        {
            throw new InvalidDataException("The CRL signature algorithm identifier is malformed.", ex);
        }

        (bool IsEcdsa, HashAlgorithmName Hash) result = oid switch
        {
            "1.2.840.10045.4.3.2" => (true, HashAlgorithmName.SHA256),
            "1.2.840.10045.4.3.3" => (true, HashAlgorithmName.SHA384),
            "1.2.840.10045.4.3.4" => (true, HashAlgorithmName.SHA512),
            "1.2.840.113549.1.1.11" => (false, HashAlgorithmName.SHA256),
            "1.2.840.113549.1.1.12" => (false, HashAlgorithmName.SHA384),
            "1.2.840.113549.1.1.13" => (false, HashAlgorithmName.SHA512),
            _ => throw new CryptographicException($"Unsupported CRL signature algorithm {oid}."),
        };

        // RFC 5758: ECDSA has no parameters; RFC 4055: PKCS#1 v1.5 has NULL (absent tolerated).
        var parametersOk = result.IsEcdsa ? !hasParameters : !hasParameters || parametersAreNull;
        if (!parametersOk)
        {
            throw new InvalidDataException($"Unexpected parameters for CRL signature algorithm {oid}.");
        }

        return result;
    }

    private static string NormaliseSerial(ReadOnlySpan<byte> bigEndian)
    {
        // Leading zero bytes only pad the sign; drop them so encodings with and without padding compare equal.
        var start = 0;
        while (start < bigEndian.Length - 1 && bigEndian[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(bigEndian[start..]);
    }

    private static bool LooksLikePem(byte[] bytes)
    {
        // DER starts with 0x30 (SEQUENCE); PEM starts with dashes after optional whitespace or a UTF-8 BOM.
        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b == (byte)'-';
        }

        return false;
    }

    private static byte[] DecodePem(byte[] bytes)
    {
        ReadOnlySpan<char> text = Encoding.UTF8.GetString(bytes);
        while (PemEncoding.TryFind(text, out var fields))
        {
            if (text[fields.Label].SequenceEqual(PemLabel))
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(text[fields.Base64Data], der, out var written) || written != der.Length)
                {
                    throw new InvalidDataException("The PEM block has invalid base64.");
                }

                return der;
            }

            text = text[fields.Location.End..];
        }

        throw new InvalidDataException($"No '-----BEGIN {PemLabel}-----' block found.");
    }
}
