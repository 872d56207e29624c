using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.DevCerts;
using CreditExchange.Security;

namespace CreditExchange.Tests.Security;

public sealed class RevocationListTests(MintedCertificatesFixture fixture) : IClassFixture<MintedCertificatesFixture>
{
    private byte[] MintedCrlDer()
    {
        var pem = File.ReadAllText(fixture.Set.RevocationList);
        var fields = PemEncoding.Find(pem);
        Assert.Equal("X509 CRL", pem[fields.Label]);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }

    [Fact]
    public void Load_MintedPemCrl_ExposesFields()
    {
        var crl = RevocationList.Load(fixture.Set.RevocationList, fixture.Ca);

        Assert.Equal(1, crl.Count);
        Assert.Equal(1, crl.CrlNumber);
        Assert.Equal(MintedCertificatesFixture.Now.AddHours(-1), crl.ThisUpdate);
        Assert.Equal(MintedCertificatesFixture.Now.AddYears(1), crl.NextUpdate);
        Assert.Equal(fixture.Ca.SubjectName.Name, crl.Issuer.Name);
        Assert.True(crl.IsIssuedBy(fixture.Ca));
    }

    [Fact]
    public void Load_DerFile_ParsesLikePem()
    {
        var path = Path.Combine(fixture.Folder, "ca.der.crl");
        File.WriteAllBytes(path, MintedCrlDer());

        var crl = RevocationList.Load(path, fixture.Ca);

        Assert.Equal(1, crl.Count);
    }

    [Fact]
    public void IsRevoked_RevokedCertificate_ReturnsTrue()
    {
        using var revoked = fixture.LoadNegative(NegativeCertificateNames.Revoked);

        Assert.True(fixture.Crl.IsRevoked(revoked));
    }

    [Fact]
    public void IsRevoked_OtherCertificates_ReturnsFalse()
    {
        foreach (var id in MintedCertificatesFixture.AgencyIds)
        {
            using var certificate = fixture.LoadAgency(id);
            Assert.False(fixture.Crl.IsRevoked(certificate), id);
        }

        using var expired = fixture.LoadNegative(NegativeCertificateNames.Expired);
        Assert.False(fixture.Crl.IsRevoked(expired));
    }

    [Fact]
    public void IsRevoked_SerialListedWithoutSignPadding_ReturnsTrue()
    {
        // The certificate serial is 00 80 .. (positive, padded); the CRL lists 80 .. — leading zeros are normalised away.
        using var caWithKey = fixture.LoadCaWithKey();
        byte[] padded = [0x00, 0x80, 0x11, 0x22, 0x33];
        using var certificate = AdHocCertificates.Issue(caWithKey, "CN=padded", _ => { }, padded);
        Assert.Equal(padded, certificate.SerialNumberBytes.ToArray());

        var crl = RevocationList.Parse(AdHocCertificates.BuildCrl(caWithKey, [0x80, 0x11, 0x22, 0x33]), fixture.Ca);

        Assert.True(crl.IsRevoked(certificate));
    }

    [Fact]
    public void Parse_FlippedSignatureByte_ThrowsCryptographicException()
    {
        var der = MintedCrlDer();
        der[^1] ^= 0x01;

        Assert.Throws<CryptographicException>(() => RevocationList.Parse(der, fixture.Ca));
    }

    [Fact]
    public void Parse_FlippedTbsByte_ThrowsCryptographicException()
    {
        var der = MintedCrlDer();

        // Flip the last content byte of the TBSCertList: structure intact, signature no longer matches.
        var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadEncodedValue();
        var tbsEnd = der.AsSpan().IndexOf(tbs.Span) + tbs.Length;
        der[tbsEnd - 1] ^= 0x01;

        Assert.Throws<CryptographicException>(() => RevocationList.Parse(der, fixture.Ca));
    }

    [Fact]
    public void Parse_AnySingleByteFlipped_IsRejected()
    {
        var original = MintedCrlDer();
        for (var i = 0; i < original.Length; i++)
        {
            var der = (byte[])original.Clone();
            der[i] ^= 0x01;

            var ex = Record.Exception(() => RevocationList.Parse(der, fixture.Ca));

            Assert.True(ex is CryptographicException or InvalidDataException, $"Flipping byte {i} gave {ex?.GetType().Name ?? "no exception"}.");
        }
    }

    [Fact]
    public void Parse_SignedByForeignCaWithSameName_ThrowsCryptographicException()
    {
        using var foreignCa = AdHocCertificates.CreateCa();
        var der = AdHocCertificates.BuildCrl(foreignCa);

        Assert.Throws<CryptographicException>(() => RevocationList.Parse(der, fixture.Ca));
    }

    [Fact]
    public void Parse_OurCrlAgainstForeignCa_ThrowsCryptographicException()
    {
        using var foreignCa = AdHocCertificates.CreateCa();

        Assert.Throws<CryptographicException>(() => RevocationList.Parse(MintedCrlDer(), foreignCa));
    }

    [Fact]
    public void Parse_SignedByOurKeyUnderOtherIssuerName_ThrowsInvalidDataException()
    {
        using var caWithKey = fixture.LoadCaWithKey();
        using var key = caWithKey.GetECDsaPrivateKey()!;
        var der = new CertificateRevocationListBuilder().Build(
            new X500DistinguishedName("CN=Somebody Else"),
            X509SignatureGenerator.CreateForECDsa(key),
            1,
            MintedCertificatesFixture.Now.AddDays(1),
            HashAlgorithmName.SHA256,
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, true, false),
            MintedCertificatesFixture.Now);

        var ex = Assert.Throws<InvalidDataException>(() => RevocationList.Parse(der, fixture.Ca));
        Assert.Contains("Somebody Else", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyCrl_IsValidWithNoEntries()
    {
        using var caWithKey = fixture.LoadCaWithKey();
        var crl = RevocationList.Parse(AdHocCertificates.BuildCrl(caWithKey), fixture.Ca);
        using var certificate = fixture.LoadAgency("court");

        Assert.Equal(0, crl.Count);
        Assert.Equal(7, crl.CrlNumber);
        Assert.False(crl.IsRevoked(certificate));
    }

    [Theory]
    [InlineData("SHA256")]
    [InlineData("SHA384")]
    [InlineData("SHA512")]
    public void Parse_RsaPkcs1SignedCrl_Verifies(string hash)
    {
        using var rsaCa = AdHocCertificates.CreateRsaCa();
        byte[] serial = [0x12, 0x34];
        var der = new CertificateRevocationListBuilder();
        der.AddEntry(serial);

        var crl = RevocationList.Parse(der.Build(rsaCa, 3, MintedCertificatesFixture.Now.AddDays(1), new HashAlgorithmName(hash), RSASignaturePadding.Pkcs1), rsaCa);

        Assert.Equal(1, crl.Count);
    }

    [Fact]
    public void Parse_RsaPssSignedCrl_ThrowsCryptographicException()
    {
        using var rsaCa = AdHocCertificates.CreateRsaCa();
        var der = new CertificateRevocationListBuilder().Build(rsaCa, 3, MintedCertificatesFixture.Now.AddDays(1), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

        var ex = Assert.Throws<CryptographicException>(() => RevocationList.Parse(der, rsaCa));
        Assert.Contains("Unsupported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IssuerWithoutCrlSignUsage_ThrowsCryptographicException()
    {
        using var caWithKey = fixture.LoadCaWithKey();
        using var leaf = fixture.LoadAgency("court");

        Assert.Throws<CryptographicException>(() => RevocationList.Parse(AdHocCertificates.BuildCrl(caWithKey), leaf));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x00 })]
    [InlineData(new byte[] { 0x04, 0x02, 0x01, 0x02 })]
    public void Parse_Garbage_ThrowsInvalidDataException(byte[] der)
    {
        Assert.Throws<InvalidDataException>(() => RevocationList.Parse(der, fixture.Ca));
    }

    [Fact]
    public void Load_PemWithoutCrlBlock_ThrowsInvalidDataExceptionNamingFile()
    {
        var path = Path.Combine(fixture.Folder, "not-a-crl.pem");
        File.Copy(fixture.Set.CaCertificate, path, overwrite: true);

        var ex = Assert.Throws<InvalidDataException>(() => RevocationList.Load(path, fixture.Ca));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
