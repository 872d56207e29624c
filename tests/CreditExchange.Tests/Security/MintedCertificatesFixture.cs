using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.DevCerts;
using CreditExchange.Security;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Security;

/// <summary>One freshly minted development certificate set per test class, deleted afterwards.</summary>
public sealed class MintedCertificatesFixture : IDisposable
{
    // A fixed instant keeps validity arithmetic deterministic; the chain builder takes it as VerificationTime.
    public static readonly DateTimeOffset Now = new(2031, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static readonly string[] AgencyIds = ["court", "bank-one", "telco_2"];

    public MintedCertificatesFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "cx-devcerts-" + Guid.NewGuid().ToString("N"));
        Set = DevCertificateMinter.EnsureMinted(Folder, AgencyIds, new FakeTimeProvider(Now));
        Ca = X509CertificateLoader.LoadCertificateFromFile(Set.CaCertificate);
        Crl = RevocationList.Load(Set.RevocationList, Ca);
    }

    public string Folder { get; }

    public DevCertificateSet Set { get; }

    public X509Certificate2 Ca { get; }

    public RevocationList Crl { get; }

    public X509Certificate2 LoadAgency(string agencyId) =>
        DevCertificateMinter.LoadWithKey(Set.AgencyCertificate(agencyId), Set.AgencyKey(agencyId));

    public X509Certificate2 LoadNegative(string name)
    {
        var (certificate, key) = Set.Negative(name);
        return DevCertificateMinter.LoadWithKey(certificate, key);
    }

    public X509Certificate2 LoadCaWithKey() => DevCertificateMinter.LoadWithKey(Set.CaCertificate, Set.CaKey);

    public ClientCertificatePolicy Policy(DateTimeOffset? at = null, RevocationList? crl = null, bool noCrl = false)
    {
        var list = noCrl ? null : crl ?? Crl;
        return new ClientCertificatePolicy(Ca, () => list, new FakeTimeProvider(at ?? Now));
    }

    public void Dispose()
    {
        Ca.Dispose();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}

/// <summary>Ad hoc certificates for cases the minted set deliberately lacks.</summary>
internal static class AdHocCertificates
{
    public static X509Certificate2 CreateCa(string subject = DevCertificateMinter.CaSubject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(MintedCertificatesFixture.Now.AddDays(-10), MintedCertificatesFixture.Now.AddYears(5));
    }

    public static X509Certificate2 CreateRsaCa()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=RSA Test CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(MintedCertificatesFixture.Now.AddDays(-10), MintedCertificatesFixture.Now.AddYears(5));
    }

    /// <summary>Issues a leaf from <paramref name="issuerWithKey"/>; <paramref name="configure"/> adds extensions.</summary>
    public static X509Certificate2 Issue(X509Certificate2 issuerWithKey, string subject, Action<CertificateRequest> configure, byte[]? serial = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        configure(request);
        var notBefore = MintedCertificatesFixture.Now.AddHours(-1);
        return request.Create(issuerWithKey, notBefore, notBefore.AddYears(1), serial ?? RandomNumberGenerator.GetBytes(8).Select((b, i) => i == 0 ? (byte)((b & 0x7F) | 0x01) : b).ToArray());
    }

    public static byte[] BuildCrl(X509Certificate2 issuerWithKey, params byte[][] revokedSerials)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var serial in revokedSerials)
        {
            builder.AddEntry(serial, MintedCertificatesFixture.Now.AddDays(-1));
        }

        return builder.Build(issuerWithKey, 7, MintedCertificatesFixture.Now.AddDays(30), HashAlgorithmName.SHA256, thisUpdate: MintedCertificatesFixture.Now.AddHours(-1));
    }
}
