using System.Net;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.DevCerts;
using CreditExchange.Security;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Security;

public sealed class DevCertificateMinterTests : IDisposable
{
    private static readonly DateTimeOffset Now = MintedCertificatesFixture.Now;
    private static readonly string[] Agencies = ["court", "bank-one"];

    // xunit creates a class instance per test, so every test mints into its own folder.
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cx-minter-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void EnsureTsaMinted_TimeStampingCertificateOfTheSetsCa_KeptUntilTheCaChanges()
    {
        var set = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));
        DevCertificateMinter.EnsureTsaMinted(set, new FakeTimeProvider(Now));
        var first = File.ReadAllText(set.TsaCertificate);
        DevCertificateMinter.EnsureTsaMinted(set, new FakeTimeProvider(Now.AddDays(1)));

        Assert.Equal(first, File.ReadAllText(set.TsaCertificate));
        using var tsa = X509Certificate2.CreateFromPem(first);
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(set.CaCertificate));
        Assert.Equal(ca.Subject, tsa.Issuer);
        var eku = Assert.Single(tsa.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.True(eku.Critical);
        Assert.Equal(DevCertificateMinter.TimeStampingOid, Assert.Single(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Value);
        // The set's own files are unchanged by it: the hub does not re-mint the set because a TSA certificate appeared.
        Assert.All(set.ExpectedFiles(), f => Assert.True(File.Exists(f)));

        // A new CA (the set re-minted for another agency): the TSA certificate is issued again, by it.
        DevCertificateMinter.EnsureMinted(_folder, [.. Agencies, "insurer"], new FakeTimeProvider(Now));
        DevCertificateMinter.EnsureTsaMinted(set, new FakeTimeProvider(Now));
        Assert.NotEqual(first, File.ReadAllText(set.TsaCertificate));
    }

    [Fact]
    public void EnsureMinted_EmptyFolder_CreatesExactlyTheExpectedFiles()
    {
        var set = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));

        var expected = set.ExpectedFiles().Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToArray();
        var actual = Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, actual);

        // 2 CA + 2 server + 2 per agency + 2 staff + 2 per negative + CRL; no temp files left behind.
        Assert.Equal(4 + (2 * Agencies.Length) + 2 + (2 * NegativeCertificateNames.All.Count) + 1, actual.Length);
        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "staff", DevCertificateMinter.DevStaffId + ".crt"), set.StaffCertificate);
        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "agencies", "court.crt"), set.AgencyCertificate("court"));
        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "negative", "revoked.key"), set.Negative(NegativeCertificateNames.Revoked).Key);
    }

    [Fact]
    public void EnsureMinted_SecondCall_DoesNotRewriteFiles()
    {
        var set = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));
        var before = set.ExpectedFiles().ToDictionary(f => f, f => (File.ReadAllBytes(f), File.GetLastWriteTimeUtc(f)));

        var again = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now.AddDays(1)));

        Assert.Equal(set.Folder, again.Folder);
        foreach (var file in again.ExpectedFiles())
        {
            Assert.Equal(before[file].Item1, File.ReadAllBytes(file));
            Assert.Equal(before[file].Item2, File.GetLastWriteTimeUtc(file));
        }
    }

    [Fact]
    public void EnsureMinted_OneFileMissing_RemintsWholeSet()
    {
        var set = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));
        var oldCa = File.ReadAllText(set.CaCertificate);
        var oldServer = File.ReadAllText(set.ServerCertificate);
        File.Delete(set.AgencyKey("bank-one"));

        DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));

        Assert.All(set.ExpectedFiles(), f => Assert.True(File.Exists(f), f));
        Assert.NotEqual(oldCa, File.ReadAllText(set.CaCertificate));
        Assert.NotEqual(oldServer, File.ReadAllText(set.ServerCertificate));
    }

    [Fact]
    public void EnsureMinted_NewAgency_RemintsAndChainsToNewCa()
    {
        DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));

        var set = DevCertificateMinter.EnsureMinted(_folder, [.. Agencies, "insurer"], new FakeTimeProvider(Now));

        using var ca = X509CertificateLoader.LoadCertificateFromFile(set.CaCertificate);
        var crl = RevocationList.Load(set.RevocationList, ca);
        var policy = new ClientCertificatePolicy(ca, () => crl, new FakeTimeProvider(Now));
        foreach (var id in set.AgencyIds)
        {
            using var certificate = DevCertificateMinter.LoadWithKey(set.AgencyCertificate(id), set.AgencyKey(id));
            Assert.True(policy.Evaluate(certificate).IsValid, id);
        }
    }

    [Fact]
    public void EnsureMinted_OnUnix_KeyFilesAreOwnerReadWriteOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var set = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));

        var keys = set.ExpectedFiles().Where(f => f.EndsWith(".key", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 + Agencies.Length + 1 + NegativeCertificateNames.All.Count, keys.Count);
        foreach (var key in keys)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }

    [Fact]
    public void EnsureMinted_Ca_IsP256SelfSignedCaValidForTenYears()
    {
        var set = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));

        using var ca = X509CertificateLoader.LoadCertificateFromFile(set.CaCertificate);
        Assert.Equal("CN=CreditExchange Development CA, O=CreditExchange Development", ca.Subject);
        Assert.Equal(ca.Subject, ca.Issuer);
        Assert.Equal("1.2.840.10045.4.3.2", ca.SignatureAlgorithm.Value);
        using var key = ca.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        var basic = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(basic.CertificateAuthority);
        var usage = ca.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.Equal(Now.AddYears(10).UtcDateTime, ca.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(set.CaKey), StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureMinted_Server_HasLocalhostNamesAndServerAuthForTwoYears()
    {
        var set = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));

        using var server = DevCertificateMinter.LoadWithKey(set.ServerCertificate, set.ServerKey);
        Assert.True(server.HasPrivateKey);
        Assert.Equal("CN=localhost", server.Subject);
        var san = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], san.EnumerateIPAddresses());
        var eku = server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, server.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(Now.AddYears(2).UtcDateTime, server.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void EnsureMinted_AllCertificates_HaveUniquePositiveSixteenByteSerials()
    {
        var set = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));

        var serials = set.ExpectedFiles()
            .Where(f => f.EndsWith(".crt", StringComparison.Ordinal))
            .Select(f =>
            {
                using var certificate = X509CertificateLoader.LoadCertificateFromFile(f);
                return certificate.SerialNumberBytes.ToArray();
            })
            .ToList();

        Assert.All(serials, s => Assert.Equal(16, s.Length));
        Assert.All(serials, s => Assert.InRange(s[0], 0x01, 0x7F));
        Assert.Equal(serials.Count, serials.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void EnsureMinted_NegativeCertificates_CarryCourtIdentity()
    {
        var set = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));

        foreach (var name in NegativeCertificateNames.All)
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(set.Negative(name).Certificate);
            Assert.Equal("CN=court, OU=Agency Systems, O=CreditExchange Development", AgencyCertificateIdentity.SubjectDn(certificate));
            Assert.Equal("urn:creditexchange:agency:court", AgencyCertificateIdentity.AgencyUri(certificate));
        }
    }

    [Fact]
    public void EnsureMinted_RevocationList_IsPemListingOnlyTheRevokedCertificate()
    {
        var set = DevCertificateMinter.EnsureMinted(_folder, Agencies, new FakeTimeProvider(Now));

        Assert.StartsWith("-----BEGIN X509 CRL-----", File.ReadAllText(set.RevocationList), StringComparison.Ordinal);
        using var ca = X509CertificateLoader.LoadCertificateFromFile(set.CaCertificate);
        var crl = RevocationList.Load(set.RevocationList, ca);
        Assert.Equal(1, crl.Count);
        Assert.Equal(1, crl.CrlNumber);
        Assert.Equal(Now.AddYears(1), crl.NextUpdate);
        using var revoked = X509CertificateLoader.LoadCertificateFromFile(set.Negative(NegativeCertificateNames.Revoked).Certificate);
        Assert.True(crl.IsRevoked(revoked));
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData("has space")]
    public void EnsureMinted_InvalidAgencyId_ThrowsArgumentException(string agencyId)
    {
        Assert.ThrowsAny<ArgumentException>(() => DevCertificateMinter.EnsureMinted(_folder, [agencyId], new FakeTimeProvider(Now)));
        Assert.False(Directory.Exists(_folder));
    }
}
