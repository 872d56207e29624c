using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.DevCerts;
using CreditExchange.Security;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Security;

public sealed class ClientCertificatePolicyTests(MintedCertificatesFixture fixture) : IClassFixture<MintedCertificatesFixture>
{
    public static TheoryData<string> AgencyIds => [.. MintedCertificatesFixture.AgencyIds];

    [Theory]
    [MemberData(nameof(AgencyIds))]
    public void Evaluate_AgencyCertificate_IsValid(string agencyId)
    {
        using var certificate = fixture.LoadAgency(agencyId);

        var check = fixture.Policy().Evaluate(certificate);

        Assert.True(check.IsValid, check.Message);
        Assert.Null(check.Reason);
    }

    [Theory]
    [InlineData(NegativeCertificateNames.ForeignCa, CertificateCheckReasons.UntrustedChain)]
    [InlineData(NegativeCertificateNames.Expired, CertificateCheckReasons.Expired)]
    [InlineData(NegativeCertificateNames.NotYetValid, CertificateCheckReasons.NotYetValid)]
    [InlineData(NegativeCertificateNames.NoClientAuthEku, CertificateCheckReasons.MissingClientAuthEku)]
    [InlineData(NegativeCertificateNames.Revoked, CertificateCheckReasons.Revoked)]
    public void Evaluate_NegativeCertificate_FailsWithSpecificReason(string name, string reason)
    {
        using var certificate = fixture.LoadNegative(name);

        var check = fixture.Policy().Evaluate(certificate);

        Assert.False(check.IsValid);
        Assert.Equal(reason, check.Reason);
        Assert.False(string.IsNullOrWhiteSpace(check.Message));
    }

    [Fact]
    public void Evaluate_ServerCertificate_FailsMissingClientAuthEku()
    {
        using var server = DevCertificateMinter.LoadWithKey(fixture.Set.ServerCertificate, fixture.Set.ServerKey);

        Assert.Equal(CertificateCheckReasons.MissingClientAuthEku, fixture.Policy().Evaluate(server).Reason);
    }

    [Fact]
    public void Evaluate_CaCertificateItself_FailsUntrustedChain()
    {
        Assert.Equal(CertificateCheckReasons.UntrustedChain, fixture.Policy().Evaluate(fixture.Ca).Reason);
    }

    [Fact]
    public void Evaluate_CertificateWithoutEkuExtension_FailsMissingClientAuthEku()
    {
        // The chain builder treats a missing EKU as "any purpose"; the policy must not.
        using var caWithKey = fixture.LoadCaWithKey();
        using var certificate = AdHocCertificates.Issue(caWithKey, "CN=court, OU=Agency Systems, O=CreditExchange Development", _ => { });

        Assert.Equal(CertificateCheckReasons.MissingClientAuthEku, fixture.Policy().Evaluate(certificate).Reason);
    }

    [Fact]
    public void Evaluate_AfterAgencyCertificateLifetime_FailsExpired()
    {
        using var certificate = fixture.LoadAgency("court");

        Assert.Equal(CertificateCheckReasons.Expired, fixture.Policy(at: MintedCertificatesFixture.Now.AddYears(2).AddDays(1)).Evaluate(certificate).Reason);
    }

    [Fact]
    public void Evaluate_RevocationListPastNextUpdate_FailsRevocationListExpired()
    {
        using var certificate = fixture.LoadAgency("court");

        var check = fixture.Policy(at: MintedCertificatesFixture.Now.AddYears(1).AddDays(1)).Evaluate(certificate);

        Assert.Equal(CertificateCheckReasons.RevocationListExpired, check.Reason);
    }

    [Fact]
    public void Evaluate_NoRevocationListConfigured_SkipsRevocationCheck()
    {
        using var certificate = fixture.LoadNegative(NegativeCertificateNames.Revoked);

        Assert.True(fixture.Policy(noCrl: true).Evaluate(certificate).IsValid);
    }

    [Fact]
    public void Evaluate_RevocationListFromOtherCa_FailsRevocationListMismatch()
    {
        using var otherCa = AdHocCertificates.CreateCa();
        var otherCrl = RevocationList.Parse(AdHocCertificates.BuildCrl(otherCa), otherCa);
        using var certificate = fixture.LoadAgency("court");

        Assert.Equal(CertificateCheckReasons.RevocationListMismatch, fixture.Policy(crl: otherCrl).Evaluate(certificate).Reason);
    }

    [Fact]
    public void Evaluate_RevocationListSwappedAtRuntime_UsesCurrentList()
    {
        using var caWithKey = fixture.LoadCaWithKey();
        using var certificate = fixture.LoadAgency("bank-one");
        RevocationList current = fixture.Crl;
        var policy = new ClientCertificatePolicy(fixture.Ca, () => current, new FakeTimeProvider(MintedCertificatesFixture.Now));
        Assert.True(policy.Evaluate(certificate).IsValid);

        current = RevocationList.Parse(AdHocCertificates.BuildCrl(caWithKey, certificate.SerialNumberBytes.ToArray()), fixture.Ca);

        Assert.Equal(CertificateCheckReasons.Revoked, policy.Evaluate(certificate).Reason);
    }

    [Fact]
    public void Constructor_LeafAsCa_ThrowsArgumentException()
    {
        using var leaf = fixture.LoadAgency("court");

        Assert.Throws<ArgumentException>(() => new ClientCertificatePolicy(leaf, () => null, TimeProvider.System));
    }

    [Fact]
    public void Evaluate_ManyTimes_LeavesCallerCertificatesUsable()
    {
        // Chain elements are disposed after each evaluation; the caller's certificates must survive that.
        using var certificate = fixture.LoadAgency("telco_2");
        var policy = fixture.Policy();
        for (var i = 0; i < 20; i++)
        {
            Assert.True(policy.Evaluate(certificate).IsValid);
        }

        Assert.NotEmpty(certificate.RawData);
        Assert.NotEmpty(fixture.Ca.RawData);
        using var key = certificate.GetECDsaPrivateKey();
        Assert.NotNull(key);
        Assert.NotEmpty(key.SignData([1, 2, 3], HashAlgorithmName.SHA256));
    }
}
