using System.Diagnostics;
using System.Security.Cryptography;
using CreditExchange.Contracts.Admin.V1;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Limits;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Tests.Admin;

/// <summary>Agency governance over real PostgreSQL, with two hub instances sharing one database.</summary>
[Collection("postgres")]
public sealed class AdminServiceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private HubHost _hub = null!;
    private HubHost _other = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync();
        _hub = await HubHost.StartAsync(_connectionString);
        _other = await HubHost.StartAsync(_connectionString);
    }

    public async Task DisposeAsync()
    {
        await _other.DisposeAsync();
        await _hub.DisposeAsync();
    }

    private AdminService.AdminServiceClient Admin(string agencyId = "drc") => new(_hub.AgencyChannel(agencyId));

    [Fact]
    public async Task AdminService_WithoutAdminScope_PermissionDenied()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Admin("supervision").SuspendAgencyAsync(new SuspendAgencyRequest { AgencyId = "court" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("SCOPE_MISSING", TestData.Reason(e));
        var agencies = (await Admin().ListAgenciesAsync(new ListAgenciesRequest())).Agencies;
        Assert.False(Assert.Single(agencies, a => a.AgencyId == "court").Suspended);
    }

    [Fact]
    public async Task SuspendAgency_OpenFeedStream_EndsUnauthenticatedAndIsAuditedSo()
    {
        var feed = new CreditExchange.Contracts.Feed.V1.FeedService.FeedServiceClient(_hub.AgencyChannel("commerce"));
        using var stream = feed.Subscribe(new CreditExchange.Contracts.Feed.V1.SubscribeRequest { AfterSequence = 0, HeartbeatSeconds = 300 });
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None)); // the first heartbeat: the stream is open

        await Admin().SuspendAgencyAsync(new SuspendAgencyRequest { AgencyId = "commerce", Purpose = "system compromised" });

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ended = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext(wait.Token));
        Assert.Equal(StatusCode.Unauthenticated, ended.StatusCode);
        Assert.Equal("AGENCY_SUSPENDED", TestData.Reason(ended));
        var audit = new AuditService.AuditServiceClient(_hub.AgencyChannel("drc"));
        await Operations.OutageTests.WaitUntilAsync(async () => (await audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "commerce" })).Entries
            .Any(x => x.Method.EndsWith("/Subscribe", StringComparison.Ordinal) && x.Outcome.Code == (int)StatusCode.Unauthenticated && x.Outcome.Reason == "AGENCY_SUSPENDED"));
    }

    [Fact]
    public async Task SuspendAgency_RefusedOnEveryInstanceWithinASecondAndOpenStreamClosed()
    {
        await _hub.Records("court").SubmitRecordAsync(TestData.Submission());
        await _other.Records("court").SubmitRecordAsync(TestData.Submission());
        using var stream = _hub.Records("court").SubmitRecords();
        await stream.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission() });
        await WaitUntilAsync(() => _hub.Services.GetRequiredService<ActiveCalls>().Count("court") == 1);

        var clock = Stopwatch.StartNew();
        await Admin().SuspendAgencyAsync(new SuspendAgencyRequest { AgencyId = "court", Purpose = "certificate compromised" });

        var closed = await Task.WhenAny(stream.ResponseAsync, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.Same(stream.ResponseAsync, closed);
        var ended = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ended.StatusCode);
        Assert.Equal("AGENCY_SUSPENDED", TestData.Reason(ended));
        var here = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("court").SubmitRecordAsync(TestData.Submission()).ResponseAsync);
        Assert.Equal("AGENCY_SUSPENDED", TestData.Reason(here));
        // On the other instance a call still in flight when its poll sees the suspension may be
        // reset (closed like any open call); the calls after it are refused.
        RpcException? there = null;
        while (there is null && clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            try
            {
                await _other.Records("court").SubmitRecordAsync(TestData.Submission());
            }
            catch (RpcException e) when (TestData.Reason(e) == "AGENCY_SUSPENDED")
            {
                there = e;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unavailable)
            {
            }
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"refused on the other instance after {clock.Elapsed}");
        Assert.Equal(StatusCode.Unauthenticated, there!.StatusCode);
        Assert.Equal("AGENCY_SUSPENDED", TestData.Reason(there));

        await Admin().ReinstateAgencyAsync(new ReinstateAgencyRequest { AgencyId = "court" });
        await _hub.Records("court").SubmitRecordAsync(TestData.Submission());
        await WaitUntilAsync(async () =>
        {
            try
            {
                await _other.Records("court").SubmitRecordAsync(TestData.Submission());
                return true;
            }
            catch (RpcException)
            {
                return false;
            }
        });
    }

    [Fact]
    public async Task SuspendAgency_Self_FailedPrecondition()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Admin().SuspendAgencyAsync(new SuspendAgencyRequest { AgencyId = "drc" }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal("CANNOT_SUSPEND_SELF", TestData.Reason(e));
    }

    [Fact]
    public async Task RegisterUpdateRotate_NewAgencyConnectsAndPinningRefusesOtherCertificates()
    {
        const string id = TestCertificates.UnregisteredAgency;
        var certificate = TestCertificates.Agency(id);
        var registered = await Admin().RegisterAgencyAsync(new RegisterAgencyRequest
        {
            AgencyId = id,
            DisplayName = "Audit Office (审计厅)",
            Competence = new Competence { Categories = { Category.AdministrativePenalty }, Scopes = { "records.read", "records.submit" } },
            Purpose = "onboarding",
        });
        Assert.Equal($"urn:creditexchange:agency:{id}", registered.Agency.CertificateUri);

        var client = _hub.Records(id);
        var accepted = await client.SubmitRecordAsync(TestData.Submission(Category.AdministrativePenalty));
        Assert.Equal(id, accepted.Record.AgencyId);
        var outside = await Assert.ThrowsAsync<RpcException>(() => client.SubmitRecordAsync(TestData.Submission(Category.JudicialJudgment)).ResponseAsync);
        Assert.Equal("CATEGORY_NOT_IN_COMPETENCE", TestData.Reason(outside));

        await Admin().UpdateAgencyAsync(new UpdateAgencyRequest
        {
            AgencyId = id,
            Competence = new Competence { Categories = { Category.AdministrativePenalty, Category.JudicialJudgment }, Scopes = { "records.read", "records.submit" } },
        });
        await client.SubmitRecordAsync(TestData.Submission(Category.JudicialJudgment));

        var wrongPin = Convert.ToHexStringLower(SHA256.HashData("another certificate"u8));
        await Admin().RotateAgencyCertificateAsync(new RotateAgencyCertificateRequest
        {
            AgencyId = id,
            Certificate = new CertificateIdentity { Uri = $"urn:creditexchange:agency:{id}", PinnedThumbprint = wrongPin },
        });
        var pinned = await Assert.ThrowsAsync<RpcException>(() => client.SubmitRecordAsync(TestData.Submission(Category.JudicialJudgment)).ResponseAsync);
        Assert.Equal("AGENCY_NOT_REGISTERED", TestData.Reason(pinned));

        await Admin().RotateAgencyCertificateAsync(new RotateAgencyCertificateRequest
        {
            AgencyId = id,
            Certificate = new CertificateIdentity { Uri = $"urn:creditexchange:agency:{id}", PinnedThumbprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)) },
        });
        await client.SubmitRecordAsync(TestData.Submission(Category.JudicialJudgment));

        var again = await Assert.ThrowsAsync<RpcException>(() => Admin().RegisterAgencyAsync(new RegisterAgencyRequest
        {
            AgencyId = id,
            DisplayName = "again",
            Competence = new Competence(),
        }).ResponseAsync);
        Assert.Equal("AGENCY_EXISTS", TestData.Reason(again));
        var unknownScope = await Assert.ThrowsAsync<RpcException>(() => Admin().UpdateAgencyAsync(new UpdateAgencyRequest
        {
            AgencyId = id,
            Competence = new Competence { Scopes = { "everything" } },
        }).ResponseAsync);
        Assert.Equal("UNKNOWN_SCOPE", TestData.Reason(unknownScope));
    }

    [Fact]
    public async Task UpdateAgency_ThenAnotherInstanceStarts_ConfigurationSeedDoesNotRevertIt()
    {
        await Admin().UpdateAgencyAsync(new UpdateAgencyRequest
        {
            AgencyId = "commerce",
            Competence = new Competence { Categories = { Category.BreachOfCommitment }, Domains = { RecordDomain.InvestmentPromotion, RecordDomain.Township }, Scopes = { "records.submit", "records.read" } },
        });

        await using var third = await HubHost.StartAsync(_connectionString);
        var agencies = (await new AdminService.AdminServiceClient(third.AgencyChannel("drc")).ListAgenciesAsync(new ListAgenciesRequest())).Agencies;

        Assert.Equal([RecordDomain.InvestmentPromotion, RecordDomain.Township], Assert.Single(agencies, a => a.AgencyId == "commerce").Domains);
        await third.Records("commerce").SubmitRecordAsync(TestData.Submission(Category.BreachOfCommitment, RecordDomain.Township));
    }

    [Fact]
    public async Task ReloadRevocationList_WithoutRestart_AnswersRevokedCount()
    {
        var response = await Admin().ReloadRevocationListAsync(new ReloadRevocationListRequest { Purpose = "CRL published" });

        Assert.True(response.RevokedCount >= 1);
    }

    [Fact]
    public async Task AdminActions_AreAuditedWithPurpose()
    {
        await Admin().SuspendAgencyAsync(new SuspendAgencyRequest { AgencyId = "commerce", Purpose = "audit finding 2026-17" });
        await Admin().ReinstateAgencyAsync(new ReinstateAgencyRequest { AgencyId = "commerce", Purpose = "finding closed" });
        await Assert.ThrowsAsync<RpcException>(() => Admin("court").ReinstateAgencyAsync(new ReinstateAgencyRequest { AgencyId = "commerce" }).ResponseAsync);

        var entries = (await new AuditService.AuditServiceClient(_hub.AgencyChannel("supervision"))
            .ListAuditEntriesAsync(new ListAuditEntriesRequest())).Entries
            .Where(e => e.Method.StartsWith("/creditexchange.admin.v1.AdminService/", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(
            ["court ReinstateAgency 7", "drc ReinstateAgency 0 finding closed", "drc SuspendAgency 0 audit finding 2026-17"],
            entries.Select(e => $"{e.AgencyId} {e.Method.Split('/')[^1]} {e.Outcome.Code} {e.Purpose}".TrimEnd()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition) => await WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(50);
        }
    }
}
