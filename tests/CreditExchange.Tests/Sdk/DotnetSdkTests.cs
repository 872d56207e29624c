extern alias sdk;

using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Client = sdk::CreditExchange.Client;
using Errors = sdk::CreditExchange.Contracts.Errors.V1;
using Sdk = sdk::CreditExchange.Contracts;

namespace CreditExchange.Tests.ClientSdk;

/// <summary>The C# SDK against a live hub: real Kestrel, real mTLS with the dev CA, PostgreSQL.</summary>
[Collection("postgres")]
public sealed class DotnetSdkTests(PostgresFixture postgres)
{
    [Fact]
    public async Task SubmitGetCheck_FromPemFiles_AuthorisedCalls()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        using var court = Connect(hub, "court");
        using var drc = Connect(hub, "drc");
        var submission = ToSdk<Sdk.Records.V1.SubmitRecordRequest>(TestData.Submission());

        var submitted = await court.Records.SubmitRecordAsync(submission);
        var got = await drc.Records.GetRecordAsync(new Sdk.Records.V1.GetRecordRequest { RecordId = submitted.Record.RecordId });
        var check = await drc.Appraisal.CheckCandidateAsync(new Sdk.Appraisal.V1.CheckCandidateRequest
        {
            Purpose = new Sdk.Appraisal.V1.Purpose { AppraisalType = Sdk.Appraisal.V1.AppraisalType.Honors, CaseReference = "内组评〔2026〕7号" },
            Subject = new Sdk.Records.V1.SubjectKey { CreditCode = submission.Record.Subject.GovernmentBody.CreditCode },
        });

        Assert.False(submitted.Duplicate);
        Assert.Equal(submission.Record.Subject.GovernmentBody.CreditCode, got.Record.Content.Subject.GovernmentBody.CreditCode);
        Assert.Contains(check.Result.DecidingRecords, r => r.RecordId == submitted.Record.RecordId);
    }

    [Fact]
    public async Task SubmitBatch_MoreThanOneBatch_SplitsAndAnswersInOrder()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        using var court = Connect(hub, "court", o => o.MaxBatchItems = 4);
        var items = Enumerable.Range(0, 10).Select(_ => ToSdk<Sdk.Records.V1.SubmitRecordRequest>(TestData.Submission())).ToList();
        items[6].Record.Subject.GovernmentBody.CreditCode = "91110108551385082F"; // wrong check character

        var results = await court.SubmitBatchAsync(items);

        Assert.Equal(Enumerable.Range(0, 10), results.Select(r => r.Index));
        Assert.Equal(items.Select(i => i.SourceRecordId), results.Select(r => r.SourceRecordId));
        // The same refusal as a single SubmitRecord of the item: INVALID_REQUEST, as a google.rpc.Status with its details.
        Assert.Equal("INVALID_REQUEST", results[6].Error.Reason);
        Assert.Equal(Errors.ErrorReason.InvalidRequest, Client.ErrorReasons.Parse(results[6].Error.Reason));
        Assert.Equal((int)Grpc.Core.StatusCode.InvalidArgument, results[6].Status.Code);
        var details = results[6].Status.Details;
        Assert.Equal("INVALID_REQUEST", details.Single(d => d.Is(Google.Rpc.ErrorInfo.Descriptor)).Unpack<Google.Rpc.ErrorInfo>().Reason);
        Assert.Equal(
            "record.subject.government_body.credit_code",
            details.Single(d => d.Is(Google.Rpc.BadRequest.Descriptor)).Unpack<Google.Rpc.BadRequest>().FieldViolations.Single().Field);
        Assert.Single(details, d => d.Is(Google.Rpc.LocalizedMessage.Descriptor));
        Assert.Equal(9, results.Count(r => r.Record is not null));
        Assert.Equal(9, hub.CountRecords());
    }

    [Fact]
    public async Task Call_AfterTokenExpired_RenewsTokenAndSucceeds()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Hub:Tokens:AccessTokenLifetime"] = "00:00:02",
        });
        using var drc = Connect(hub, "drc");

        await drc.Receipts.GetReceiptKeysAsync(new Sdk.Receipts.V1.GetReceiptKeysRequest());
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var keys = await drc.Receipts.GetReceiptKeysAsync(new Sdk.Receipts.V1.GetReceiptKeysRequest());

        Assert.NotEmpty(keys.Keys);
        Assert.Equal(2, drc.Tokens.TokensIssued);
    }

    [Fact]
    public async Task Call_RateLimitedOnce_RetriedAfterRetryInfoDelay()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Hub:Limits:TokenLimit"] = "1",
            ["Hub:Limits:TokensPerPeriod"] = "1",
            ["Hub:Limits:ReplenishmentPeriod"] = "00:00:01",
        });
        using var retrying = Connect(hub, "drc");
        using var single = Connect(hub, "drc", o => o.MaxAttempts = 1);
        var request = new Sdk.Receipts.V1.GetReceiptKeysRequest();

        await retrying.Receipts.GetReceiptKeysAsync(request);
        var refusal = await Assert.ThrowsAsync<Client.CreditExchangeException>(async () => await single.Receipts.GetReceiptKeysAsync(request));
        var retried = await retrying.Receipts.GetReceiptKeysAsync(request);

        Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, refusal.StatusCode);
        Assert.Equal(Errors.ErrorReason.RateLimited, refusal.Reason);
        Assert.NotNull(refusal.RetryDelay);
        Assert.NotEmpty(retried.Keys);
    }

    [Fact]
    public async Task Submit_BadResidentId_TypedErrorWithReasonAndFieldPath()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        using var supervision = Connect(hub, "supervision");
        var submission = ToSdk<Sdk.Records.V1.SubmitRecordRequest>(TestData.Submission(
            category: Contracts.Records.V1.Category.DisciplinarySanction, subject: TestData.CivilServantSubject("36042619910102009X")));

        var e = await Assert.ThrowsAsync<Client.CreditExchangeException>(async () => await supervision.Records.SubmitRecordAsync(submission));

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(Errors.ErrorReason.InvalidRequest, e.Reason);
        Assert.Equal("INVALID_REQUEST", e.ReasonName);
        Assert.Contains(e.FieldViolations, v => v.Field == "record.subject.civil_servant.resident_id");
        Assert.Equal("en-US", e.Locale);
    }

    [Fact]
    public async Task VerifyReceipt_GenuineAndTampered_AcceptsOnlyGenuine()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        using var court = Connect(hub, "court");
        var submitted = await court.Records.SubmitRecordAsync(ToSdk<Sdk.Records.V1.SubmitRecordRequest>(TestData.Submission()));
        var tampered = submitted.Receipt.Clone();
        var payload = tampered.SignedPayload.ToByteArray();
        payload[^1] ^= 0x01;
        tampered.SignedPayload = ByteString.CopyFrom(payload);
        var otherContent = submitted.Record.Content.Clone();
        otherContent.Facts += "（改）";

        var verified = await court.VerifyReceiptAsync(submitted.Receipt, submitted.Record.Content);

        Assert.Equal(submitted.Record.RecordId, verified.RecordId);
        await Assert.ThrowsAsync<Client.ReceiptVerificationException>(() => court.VerifyReceiptAsync(tampered));
        await Assert.ThrowsAsync<Client.ReceiptVerificationException>(() => court.VerifyReceiptAsync(submitted.Receipt, otherContent));
    }

    [Fact]
    public async Task AddCreditExchangeClient_InjectedClient_AuthorisedCall()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        var certs = TestCertificates.Set;
        var services = new ServiceCollection();
        Client.ServiceCollectionExtensions.AddCreditExchangeClient(services, o =>
        {
            o.Address = hub.Address;
            o.AgencyId = "drc";
            o.CertificatePath = certs.AgencyCertificate("drc");
            o.KeyPath = certs.AgencyKey("drc");
            o.HubCaPath = certs.CaCertificate;
        });
        await using var provider = services.BuildServiceProvider();

        var receipts = provider.GetRequiredService<Sdk.Receipts.V1.ReceiptService.ReceiptServiceClient>();
        var records = provider.GetRequiredService<Sdk.Records.V1.RecordService.RecordServiceClient>();
        var keys = await receipts.GetReceiptKeysAsync(new Sdk.Receipts.V1.GetReceiptKeysRequest());
        var missing = await Assert.ThrowsAsync<Client.CreditExchangeException>(async () =>
            await records.GetRecordAsync(new Sdk.Records.V1.GetRecordRequest { RecordId = Guid.NewGuid().ToString() }));

        Assert.NotEmpty(keys.Keys);
        Assert.Equal(Errors.ErrorReason.RecordNotFound, missing.Reason);
    }

    [Fact]
    public void SdkAssembly_ClientOnly_HasNoServerBaseClasses()
    {
        var types = typeof(Client.CreditExchangeClient).Assembly.GetTypes();

        Assert.Contains(types, t => t.Name == "RecordServiceClient");
        Assert.DoesNotContain(types, t => t.Name.EndsWith("ServiceBase", StringComparison.Ordinal));
    }

    [Fact]
    public void RetryList_IsTheContractsIdempotentMethods()
    {
        // Read from the hub's own compile of the contract, independently of the SDK's.
        var contract = CreditExchange.Contracts.HubContract.Methods
            .Where(m => CreditExchange.Contracts.HubContract.PolicyOf(m)?.Idempotent == true)
            .Select(m => (m.Service.FullName, m.Name))
            .Order()
            .ToList();

        Assert.Equal(contract, Client.HubRetryPolicy.IdempotentMethods.Order().ToList());
        Assert.Contains(("creditexchange.records.v1.RecordService", "SubmitRecord"), contract);
        Assert.DoesNotContain(("creditexchange.lifecycle.v1.LifecycleService", "CorrectRecord"), contract);
        Assert.DoesNotContain(("creditexchange.feed.v1.FeedService", "Subscribe"), contract);
        // Signed calls are retried by the SDK's signer, each attempt signed anew; the channel retries the others.
        Assert.Contains(("creditexchange.records.v1.RecordService", "SubmitRecord"), Client.HubRetryPolicy.SignedRetriedMethods);
        var config = Client.HubRetryPolicy.ServiceConfig(4).MethodConfigs.Single();
        Assert.Equal(contract.Where(m => !Client.HubRetryPolicy.SignedRetriedMethods.Contains(m)), config.Names.Select(n => (n.Service ?? "", n.Method ?? "")).Order().ToList());
    }

    [Fact]
    public void ErrorReasons_EveryValue_RoundTripsThroughItsWireName()
    {
        foreach (var reason in Enum.GetValues<Errors.ErrorReason>())
        {
            var wire = Client.ErrorReasons.WireName(reason);

            Assert.DoesNotContain("ERROR_REASON_", wire, StringComparison.Ordinal);
            Assert.Equal(reason, Client.ErrorReasons.Parse(wire));
        }

        Assert.Equal("RECORD_NOT_FOUND", Client.ErrorReasons.WireName(Errors.ErrorReason.RecordNotFound));
        Assert.Equal(Errors.ErrorReason.Unspecified, Client.ErrorReasons.Parse("NO_SUCH_REASON"));
    }

    [Fact]
    public void Split_ByItemsAndBytes_KeepsOrderAndLimits()
    {
        var items = Enumerable.Range(0, 7).Select(i => new Sdk.Records.V1.SubmitRecordRequest { SourceRecordId = new string('x', 100) + i }).ToList();

        var byCount = Client.Batches.Split(items, maxItems: 3, maxBytes: long.MaxValue).ToList();
        var byBytes = Client.Batches.Split(items, maxItems: 100, maxBytes: 250).ToList();

        Assert.Equal([3, 3, 1], byCount.Select(b => b.Count));
        Assert.Equal(items, byCount.SelectMany(b => b));
        Assert.All(byBytes, b => Assert.True(b.Count <= 2));
        Assert.Equal(items, byBytes.SelectMany(b => b));
    }

    private static Client.CreditExchangeClient Connect(HubHost hub, string agency, Action<Client.CreditExchangeClientOptions>? configure = null) =>
        Connect(hub.Address, agency, configure);

    /// <summary>The SDK's client of <paramref name="agency"/> at <paramref name="address"/> (a hub, or a relay in front of one), from the test certificates.</summary>
    internal static Client.CreditExchangeClient Connect(Uri address, string agency, Action<Client.CreditExchangeClientOptions>? configure = null)
    {
        var certs = TestCertificates.Set;
        var options = new Client.CreditExchangeClientOptions
        {
            Address = address,
            AgencyId = agency,
            CertificatePath = certs.AgencyCertificate(agency),
            KeyPath = certs.AgencyKey(agency),
            HubCaPath = certs.CaCertificate,
        };
        configure?.Invoke(options);
        return Client.CreditExchangeClient.Create(options);
    }

    /// <summary>The hub's contract types and the SDK's are the same messages compiled twice: convert through bytes.</summary>
    private static T ToSdk<T>(IMessage message)
        where T : IMessage<T>, new() => new MessageParser<T>(() => new T()).ParseFrom(message.ToByteArray());
}
