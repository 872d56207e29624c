using CreditExchange.Server.Calls;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.DevCerts;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Tokens;
using CreditExchange.Storage;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Tokens;

/// <summary>OAuth2 client credentials over mTLS (RFC 8705), certificate-bound tokens and scopes, over the real wire.</summary>
[Collection("postgres")]
public sealed class TokenTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private string _database = null!;
    private HubHost _hub = null!;

    public async Task InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        _hub = await HubHost.StartAsync(_database, time: _time);
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Token_OwnCertificate_IssuedBoundToCertificate()
    {
        var (status, body) = await _hub.RequestTokenAsync(TestCertificates.Agency("court"), "court", "records.submit records.read");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
        Assert.InRange(body.RootElement.GetProperty("expires_in").GetInt32(), 590, 600); // default lifetime: 10 minutes
        var response = await Submit(TestCertificates.Agency("court"), body.RootElement.GetProperty("access_token").GetString()!);
        Assert.Equal("court", response.Record.AgencyId);
    }

    [Fact]
    public async Task Discovery_AdvertisesMutualTlsAndBoundTokens()
    {
        using var http = HubHost.Http(TestCertificates.Agency("court"));
        using var document = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(_hub.Address, ".well-known/openid-configuration")));
        var root = document.RootElement;

        Assert.Equal(["tls_client_auth"], root.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
        Assert.Equal(["client_credentials"], root.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData(TestCertificates.UnregisteredAgency, TestCertificates.UnregisteredAgency)] // CA-issued, not registered
    [InlineData("court", "drc")]                                                           // court's certificate asking as drc
    [InlineData("court", "nobody")]                                                        // unknown client id
    public async Task Token_CertificateNotOfTheClient_InvalidClient(string certificate, string clientId)
    {
        var (status, body) = await _hub.RequestTokenAsync(TestCertificates.Agency(certificate), clientId);

        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.Equal("invalid_client", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_ScopeNotGranted_InvalidScope()
    {
        var (status, body) = await _hub.RequestTokenAsync(TestCertificates.Agency("court"), "court", "records.submit admin");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_scope", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Call_WithoutTokenOrWithGarbage_Unauthenticated()
    {
        var none = await Assert.ThrowsAsync<RpcException>(() => Submit(TestCertificates.Agency("court"), token: null));
        var garbage = await Assert.ThrowsAsync<RpcException>(() => Submit(TestCertificates.Agency("court"), "not.a.token"));

        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Equal("TOKEN_REQUIRED", TestData.Reason(none));
        Assert.Equal(StatusCode.Unauthenticated, garbage.StatusCode);
        Assert.Equal("TOKEN_INVALID", TestData.Reason(garbage));
    }

    [Fact]
    public async Task Call_TokenOverAnotherAgencysCertificate_Unauthenticated()
    {
        var courtToken = await _hub.TokenAsync("court");

        var e = await Assert.ThrowsAsync<RpcException>(() => Submit(TestCertificates.Agency("procuratorate"), courtToken));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal(0, _hub.CountRecords());
    }

    [Fact]
    public async Task Call_ValidatedTokenOverAnotherCertificateOfTheSameAgency_Unauthenticated()
    {
        // The token is validated once over its own certificate (and so held by ValidatedTokens); a second
        // certificate naming the same agency, issued by the same CA, must still not carry it.
        var token = await _hub.TokenAsync("court");
        await Submit(TestCertificates.Agency("court"), token);
        using var other = SecondCertificate("court");

        var e = await Assert.ThrowsAsync<RpcException>(() => Submit(other, token));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("TOKEN_INVALID", TestData.Reason(e));
        Assert.Equal(1, _hub.CountRecords());
    }

    [Fact]
    public async Task Call_ExpiredToken_Unauthenticated()
    {
        var token = await _hub.TokenAsync("court");
        await Submit(TestCertificates.Agency("court"), token);

        _time.Advance(TimeSpan.FromMinutes(11));
        var e = await Assert.ThrowsAsync<RpcException>(() => Submit(TestCertificates.Agency("court"), token));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("TOKEN_INVALID", TestData.Reason(e));
    }

    [Fact]
    public async Task Call_TokenWithoutMethodScope_PermissionDeniedNamingScope()
    {
        var readOnly = await _hub.TokenAsync("court", "records.read");

        var e = await Assert.ThrowsAsync<RpcException>(() => Submit(TestCertificates.Agency("court"), readOnly));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("SCOPE_MISSING", TestData.Reason(e));
        Assert.Contains("records.submit", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_TokenIssuedBeforeRestart_StillAccepted()
    {
        var token = await _hub.TokenAsync("court");
        await _hub.DisposeAsync();

        _hub = await HubHost.StartAsync(_database, time: _time);
        var response = await Submit(TestCertificates.Agency("court"), token);

        Assert.Equal("court", response.Record.AgencyId);
    }

    [Fact]
    public async Task SuspendedAgency_CanNeitherGetNorUseTokens()
    {
        var token = await _hub.TokenAsync("court");
        await SetSuspended("court", true);

        var (status, body) = await _hub.RequestTokenAsync(TestCertificates.Agency("court"), "court");
        var e = await Assert.ThrowsAsync<RpcException>(() => Submit(TestCertificates.Agency("court"), token));

        Assert.Equal("invalid_client", body.RootElement.GetProperty("error").GetString());
        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("AGENCY_SUSPENDED", TestData.Reason(e));
    }

    [Fact]
    public async Task RevokedCertificate_CanNeitherGetNorUseTokens()
    {
        var token = await _hub.TokenAsync("court");
        var revoked = TestCertificates.Negative(NegativeCertificateNames.Revoked); // carries court's identity

        await Assert.ThrowsAsync<HttpRequestException>(() => _hub.RequestTokenAsync(revoked, "court"));
        var e = await Assert.ThrowsAsync<RpcException>(() => Submit(revoked, token));

        Transport.MutualTlsTests.AssertRefusedInHandshake(e);
    }

    [Fact]
    public void EveryContractMethod_DeclaresAPolicyWithAKnownScope()
    {
        var methods = CreditExchange.Contracts.HubContract.Methods;

        Assert.True(methods.Count >= 36, $"the contract has {methods.Count} methods");
        Assert.Empty(HubMethods.Contract.PolicyProblems());
        Assert.All(methods, m => Assert.Contains(CreditExchange.Contracts.HubContract.PolicyOf(m)!.Scope, CreditExchange.Domain.Agencies.Scopes.All));
    }

    /// <summary>Another valid client certificate of <paramref name="agencyId"/> (same CA, same SAN URI, its own key).</summary>
    private static X509Certificate2 SecondCertificate(string agencyId)
    {
        using var ca = DevCertificateMinter.LoadWithKey(TestCertificates.Set.CaCertificate, TestCertificates.Set.CaKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={agencyId}, OU=Agency Systems, O=CreditExchange Development"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("urn:creditexchange:agency:" + agencyId));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16).Select((b, i) => i == 0 ? (byte)((b & 0x7F) | 0x01) : b).ToArray());
        return X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), password: null);
    }

    private Task<SubmitRecordResponse> Submit(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string? token)
    {
        var client = new RecordService.RecordServiceClient(_hub.Channel(certificate, token is null ? null : () => Task.FromResult(token)));
        return client.SubmitRecordAsync(TestData.Submission()).ResponseAsync;
    }

    private async Task SetSuspended(string agencyId, bool suspended)
    {
        await using (var scope = _hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
            await db.Agencies.Where(a => a.Id == agencyId).ExecuteUpdateAsync(u => u.SetProperty(a => a.Suspended, suspended));
        }

        await _hub.Services.GetRequiredService<AgencyRegistry>().ReloadAsync(CancellationToken.None);
    }
}
