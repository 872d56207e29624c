using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CreditExchange.DevCerts;

/// <summary>
/// Mints the development PKI (CA, server, agency clients, negative test clients, CRL) as PEM files.
/// Development only: keys are written unencrypted.
/// </summary>
public static class DevCertificateMinter
{
    /// <summary>Agency whose identity every negative certificate carries.</summary>
    public const string NegativeIdentityAgencyId = "court";

    /// <summary>Prefix of the SAN URI that names an agency.</summary>
    public const string AgencyUriPrefix = "urn:creditexchange:agency:";

    /// <summary>Prefix of the SAN URI that names a staff member (a person, not an agency system).</summary>
    public const string StaffUriPrefix = "urn:creditexchange:staff:";

    /// <summary>The development staff member: a DRC analyst who may open the integrity dashboard.</summary>
    public const string DevStaffId = "drc-analyst";

    public const string CaSubject = "CN=CreditExchange Development CA, O=CreditExchange Development";

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>id-kp-timeStamping (RFC 3161 §2.3: the only extended key usage of a TSA certificate, marked critical).</summary>
    public const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";

    public const string TsaSubject = "CN=CreditExchange Development TSA, O=CreditExchange Development";
    private const int MaxAgencyIdLength = 64;

    // Leaf certificates start a little in the past so a hub whose clock lags the minting machine still accepts them.
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromHours(1);

    // The CA starts well in the past: an issued certificate may not start before its issuer, and "expired" must.
    private static readonly TimeSpan CaBackdate = TimeSpan.FromDays(60);

    /// <summary>
    /// Returns the set in <paramref name="folder"/>; if any expected file is missing, mints the whole set anew
    /// (partial sets would mix material from different CAs).
    /// </summary>
    public static DevCertificateSet EnsureMinted(string folder, IReadOnlyCollection<string> agencyIds, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(agencyIds);
        ArgumentNullException.ThrowIfNull(time);

        var ids = new List<string>(agencyIds.Count);
        foreach (var id in agencyIds)
        {
            ValidateAgencyId(id);
            if (!ids.Contains(id, StringComparer.Ordinal))
            {
                ids.Add(id);
            }
        }

        var set = new DevCertificateSet(Path.GetFullPath(folder), ids.AsReadOnly());
        if (set.ExpectedFiles().All(File.Exists))
        {
            return set;
        }

        Mint(set, time.GetUtcNow());
        return set;
    }

    /// <summary>
    /// Mints the development time-stamping authority's certificate and key (<see cref="DevCertificateSet.TsaCertificate"/>),
    /// issued by the set's CA, unless they exist and chain to it. Its only extended key usage is id-kp-timeStamping,
    /// critical, as RFC 3161 requires. Development only.
    /// </summary>
    public static void EnsureTsaMinted(DevCertificateSet set, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(time);
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(set.CaKey));
        using var caCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(set.CaCertificate));
        using var ca = caCertificate.CopyWithPrivateKey(caKey);
        if (File.Exists(set.TsaCertificate) && File.Exists(set.TsaKey))
        {
            using var existing = X509Certificate2.CreateFromPem(File.ReadAllText(set.TsaCertificate));
            if (existing.Issuer == ca.Subject && existing.NotAfter > time.GetUtcNow().UtcDateTime.AddDays(1) && IsIssuedBy(existing, ca, time.GetUtcNow().UtcDateTime))
            {
                return;
            }
        }

        var now = time.GetUtcNow();
        using var key = NewKey();
        var request = new CertificateRequest(new X500DistinguishedName(TsaSubject), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TimeStampingOid)], critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        // Any serial not used by the set's own certificates: 16 random bytes.
        using var tsa = Issue(request, ca, now - ClockSkewAllowance, now.AddYears(2), []);
        WriteCertificateAndKey(set.TsaCertificate, set.TsaKey, tsa, key);
    }

    /// <summary>SAN URI prefix of a hub signing key's certificate (urn:creditexchange:hub-key:&lt;key id&gt;).</summary>
    public const string HubKeyUriPrefix = "urn:creditexchange:hub-key:";

    /// <summary>
    /// Mints, unless it exists for this key and chains to the CA, the certificate of a hub signing key (receipts,
    /// checkpoints, evidence manifests) issued by the CA whose PEM certificate and key are given: KeyUsage
    /// digitalSignature, subject "CN=CreditExchange hub signing key &lt;id&gt;", SAN URI urn:creditexchange:hub-key:&lt;id&gt;.
    /// Development only. Answers the certificate (PEM).
    /// </summary>
    public static string EnsureHubKeyCertificate(string certificatePath, string keyId, ECDsa publicKey, string caCertificatePath, string caKeyPath, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(time);
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(caKeyPath));
        using var caCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(caCertificatePath));
        using var ca = caCertificate.CopyWithPrivateKey(caKey);
        var now = time.GetUtcNow();
        var spki = publicKey.ExportSubjectPublicKeyInfo();
        if (File.Exists(certificatePath))
        {
            var pem = File.ReadAllText(certificatePath);
            using var existing = X509Certificate2.CreateFromPem(pem);
            using var existingKey = existing.GetECDsaPublicKey();
            if (existingKey is not null && existingKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(spki)
                && existing.NotAfter > now.UtcDateTime.AddDays(1) && IsIssuedBy(existing, ca, now.UtcDateTime))
            {
                return pem;
            }
        }

        var request = new CertificateRequest(new X500DistinguishedName($"CN=CreditExchange hub signing key {keyId}"), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(HubKeyUriPrefix + keyId, UriKind.Absolute));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        // Backdated like the CA: evidence of checkpoints signed before the certificate was minted still verifies.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        using var certificate = request.Create(ca, ca.NotBefore, ca.NotAfter, serial);
        var written = certificate.ExportCertificatePem() + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(certificatePath))!);
        DevFiles.WriteAtomically(certificatePath, written, secret: false);
        return written;
    }

    private static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca, DateTime at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.VerificationTime = at;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>
    /// Loads a PEM certificate together with its PEM private key.
    /// On Linux and macOS the result works as a TLS client or server certificate as-is.
    /// </summary>
    public static X509Certificate2 LoadWithKey(string certificatePath, string keyPath)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        // SChannel cannot use the ephemeral key CreateFromPemFile produces; a PKCS#12 round trip gives it a stored key.
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
    }

    internal static void ValidateAgencyId(string agencyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(agencyId);

        // The id becomes a file name, a CN and part of a URN, so keep it to a boring character set.
        var valid = agencyId.Length <= MaxAgencyIdLength
            && char.IsAsciiLetterOrDigit(agencyId[0])
            && agencyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        if (!valid)
        {
            throw new ArgumentException(
                $"Agency id '{agencyId}' must be 1-{MaxAgencyIdLength} ASCII letters, digits, '-', '_' or '.', starting with a letter or digit.",
                nameof(agencyId));
        }
    }

    private static void Mint(DevCertificateSet set, DateTimeOffset now)
    {
        Directory.CreateDirectory(set.Folder);
        Directory.CreateDirectory(set.AgenciesDirectory);
        Directory.CreateDirectory(set.NegativeDirectory);
        Directory.CreateDirectory(set.StaffDirectory);

        // ca.crt is the commit marker: removed first and written last, so an interrupted run is re-minted next time.
        File.Delete(set.CaCertificate);

        var serials = new HashSet<string>(StringComparer.Ordinal);
        var leafStart = now - ClockSkewAllowance;
        var leafEnd = now.AddYears(2);

        using var caKey = NewKey();
        using var ca = CreateCa(caKey, now - CaBackdate, now.AddYears(10), serials);

        using (var serverKey = NewKey())
        {
            var request = LeafRequest(new X500DistinguishedName("CN=localhost"), serverKey, ServerAuthOid);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            san.AddIpAddress(IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var server = Issue(request, ca, leafStart, leafEnd, serials);
            WriteCertificateAndKey(set.ServerCertificate, set.ServerKey, server, serverKey);
        }

        foreach (var id in set.AgencyIds)
        {
            using var key = NewKey();
            using var certificate = Issue(AgencyRequest(id, key, ClientAuthOid), ca, leafStart, leafEnd, serials);
            WriteCertificateAndKey(set.AgencyCertificate(id), set.AgencyKey(id), certificate, key);
        }

        using (var key = NewKey())
        {
            // A person's certificate for the DRC dashboard: clientAuth, a staff URI and no agency URI (the hub refuses it).
            var request = LeafRequest(new X500DistinguishedName($"CN={DevStaffId}, OU=DRC Staff, O=CreditExchange Development"), key, ClientAuthOid);
            var san = new SubjectAlternativeNameBuilder();
            san.AddUri(new Uri(StaffUriPrefix + DevStaffId, UriKind.Absolute));
            request.CertificateExtensions.Add(san.Build());
            using var certificate = Issue(request, ca, leafStart, leafEnd, serials);
            WriteCertificateAndKey(set.StaffCertificate, set.StaffKey, certificate, key);
        }

        byte[] revokedSerial = MintNegatives(set, ca, now, serials);

        var crlBuilder = new CertificateRevocationListBuilder();
        crlBuilder.AddEntry(revokedSerial, leafStart, X509RevocationReason.KeyCompromise);
        var crl = crlBuilder.Build(ca, crlNumber: 1, nextUpdate: now.AddYears(1), HashAlgorithmName.SHA256, rsaSignaturePadding: null, thisUpdate: leafStart);
        DevFiles.WriteAtomically(set.RevocationList, PemEncoding.WriteString("X509 CRL", crl) + "\n", secret: false);

        DevFiles.WriteAtomically(set.CaKey, caKey.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        DevFiles.WriteAtomically(set.CaCertificate, ca.ExportCertificatePem() + "\n", secret: false);
    }

    /// <returns>The serial number of the revoked certificate, for the CRL.</returns>
    private static byte[] MintNegatives(DevCertificateSet set, X509Certificate2 ca, DateTimeOffset now, HashSet<string> serials)
    {
        const string id = NegativeIdentityAgencyId;
        var leafStart = now - ClockSkewAllowance;
        var leafEnd = now.AddYears(2);

        // Same subject name as the real CA, so only the signature/key can tell them apart. Never saved.
        using (var foreignCaKey = NewKey())
        using (var foreignCa = CreateCa(foreignCaKey, now - CaBackdate, now.AddYears(10), serials))
        {
            MintNegative(set, NegativeCertificateNames.ForeignCa, key => Issue(AgencyRequest(id, key, ClientAuthOid), foreignCa, leafStart, leafEnd, serials));
        }

        MintNegative(set, NegativeCertificateNames.Expired, key => Issue(AgencyRequest(id, key, ClientAuthOid), ca, now.AddDays(-30), now.AddDays(-1), serials));
        MintNegative(set, NegativeCertificateNames.NotYetValid, key => Issue(AgencyRequest(id, key, ClientAuthOid), ca, now.AddDays(30), leafEnd, serials));
        MintNegative(set, NegativeCertificateNames.NoClientAuthEku, key => Issue(AgencyRequest(id, key, ServerAuthOid), ca, leafStart, leafEnd, serials));

        byte[] revokedSerial = [];
        MintNegative(set, NegativeCertificateNames.Revoked, key =>
        {
            var certificate = Issue(AgencyRequest(id, key, ClientAuthOid), ca, leafStart, leafEnd, serials);
            revokedSerial = certificate.SerialNumberBytes.ToArray();
            return certificate;
        });
        return revokedSerial;
    }

    private static void MintNegative(DevCertificateSet set, string name, Func<ECDsa, X509Certificate2> issue)
    {
        using var key = NewKey();
        using var certificate = issue(key);
        var (certificatePath, keyPath) = set.Negative(name);
        WriteCertificateAndKey(certificatePath, keyPath, certificate, key);
    }

    private static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static X509Certificate2 CreateCa(ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter, HashSet<string> serials)
    {
        var request = new CertificateRequest(CaSubject, key, HashAlgorithmName.SHA256);

        // Path length 0: the CA signs leaves only.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        // Not CreateSelfSigned: it picks its own serial, and every serial in the set should come from NewSerial.
        var generator = X509SignatureGenerator.CreateForECDsa(key);
        using var publicOnly = request.Create(request.SubjectName, generator, notBefore, notAfter, NewSerial(serials));
        return publicOnly.CopyWithPrivateKey(key);
    }

    private static CertificateRequest AgencyRequest(string agencyId, ECDsa key, string ekuOid)
    {
        var subject = new X500DistinguishedName($"CN={agencyId}, OU=Agency Systems, O=CreditExchange Development");
        var request = LeafRequest(subject, key, ekuOid);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(AgencyUriPrefix + agencyId, UriKind.Absolute));
        request.CertificateExtensions.Add(san.Build());
        return request;
    }

    private static CertificateRequest LeafRequest(X500DistinguishedName subject, ECDsa key, string ekuOid)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ekuOid)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }

    private static X509Certificate2 Issue(CertificateRequest request, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, HashSet<string> serials)
    {
        // The authority key identifier lets chain builders tell the real CA from the same-named foreign one.
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        return request.Create(issuer, notBefore, notAfter, NewSerial(serials));
    }

    private static byte[] NewSerial(HashSet<string> serials)
    {
        while (true)
        {
            var serial = RandomNumberGenerator.GetBytes(16);

            // Positive (top bit clear) and minimally encoded (no leading zero byte), as DER INTEGER rules demand.
            serial[0] &= 0x7F;
            if (serial[0] != 0 && serials.Add(Convert.ToHexString(serial)))
            {
                return serial;
            }
        }
    }

    private static void WriteCertificateAndKey(string certificatePath, string keyPath, X509Certificate2 certificate, ECDsa key)
    {
        DevFiles.WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        DevFiles.WriteAtomically(certificatePath, certificate.ExportCertificatePem() + "\n", secret: false);
    }
}
