using System.Net;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Security;

namespace CreditExchange.Tests.Security;

public sealed class AgencyCertificateIdentityTests(MintedCertificatesFixture fixture) : IClassFixture<MintedCertificatesFixture>
{
    public static TheoryData<string> AgencyIds => [.. MintedCertificatesFixture.AgencyIds];

    [Theory]
    [MemberData(nameof(AgencyIds))]
    public void AgencyUri_AgencyCertificate_ReturnsAgencyUrn(string agencyId)
    {
        using var certificate = fixture.LoadAgency(agencyId);

        Assert.Equal("urn:creditexchange:agency:" + agencyId, AgencyCertificateIdentity.AgencyUri(certificate));
        Assert.Equal(agencyId, AgencyCertificateIdentity.AgencyId(certificate));
    }

    [Fact]
    public void SubjectDn_AgencyCertificate_ReturnsFormattedSubject()
    {
        using var certificate = fixture.LoadAgency("bank-one");

        Assert.Equal("CN=bank-one, OU=Agency Systems, O=CreditExchange Development", AgencyCertificateIdentity.SubjectDn(certificate));
    }

    [Fact]
    public void AgencyUri_ServerCertificate_ReturnsNull()
    {
        using var server = X509CertificateLoader.LoadCertificateFromFile(fixture.Set.ServerCertificate);

        Assert.Null(AgencyCertificateIdentity.AgencyUri(server));
        Assert.Null(AgencyCertificateIdentity.AgencyId(server));
    }

    [Fact]
    public void AgencyUri_CertificateWithoutSan_ReturnsNull()
    {
        Assert.Null(AgencyCertificateIdentity.AgencyUri(fixture.Ca));
    }

    [Fact]
    public void AgencyUri_SeveralNames_ReturnsFirstAgencyUri()
    {
        using var caWithKey = fixture.LoadCaWithKey();
        using var certificate = AdHocCertificates.Issue(caWithKey, "CN=mixed", request =>
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("agency.example");
            san.AddIpAddress(IPAddress.Loopback);
            san.AddUri(new Uri("https://example.test/urn:creditexchange:agency:fake"));
            san.AddEmailAddress("ops@example.test");
            san.AddUri(new Uri("urn:creditexchange:agency:first"));
            san.AddUri(new Uri("urn:creditexchange:agency:second"));
            request.CertificateExtensions.Add(san.Build());
        });

        Assert.Equal("urn:creditexchange:agency:first", AgencyCertificateIdentity.AgencyUri(certificate));
    }

    [Fact]
    public void AgencyUri_BarePrefix_ReturnsNull()
    {
        using var caWithKey = fixture.LoadCaWithKey();
        using var certificate = AdHocCertificates.Issue(caWithKey, "CN=empty", request =>
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddUri(new Uri("urn:creditexchange:agency:"));
            request.CertificateExtensions.Add(san.Build());
        });

        Assert.Null(AgencyCertificateIdentity.AgencyUri(certificate));
    }
}
