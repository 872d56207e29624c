extern alias sdk;

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Storage;
using CreditExchange.Tests.ClientSdk;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Client = sdk::CreditExchange.Client;
using Sdk = sdk::CreditExchange.Contracts;

namespace CreditExchange.Tests.Signing;

/// <summary>
/// Agencies sign their write requests (creditexchange.api.v1.RequestSignature): the SDK signs by itself with the key of
/// its mutual-TLS certificate; the hub verifies against the connection's certificate, refuses missing (when required),
/// foreign, stale and replayed signatures with their reasons, and keeps the signed bytes with the version they produced.
/// Real Kestrel, real mTLS with the dev CA, PostgreSQL.
/// </summary>
[Collection("postgres")]
public sealed class AgencySignatureTests(PostgresFixture postgres)
{
    private const string SubmitMethod = "/creditexchange.records.v1.RecordService/SubmitRecord";
    private const string BatchMethod = "/creditexchange.records.v1.RecordService/SubmitRecords";

    private static readonly Dictionary<string, string?> CourtRequired = new() { ["Hub:Signatures:RequiredAgencies:0"] = "court" };

    [Fact]
    public async Task SdkWrites_SignedByThemselves_KeptWithEachVersion_ReceiptCarriesTheRequestHash()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), CourtRequired);
        using var court = DotnetSdkTests.Connect(hub.Address, "court");
        var submission = ToSdk<Sdk.Records.V1.SubmitRecordRequest>(TestData.Submission());

        var submitted = await court.Records.SubmitRecordAsync(submission);
        var correction = ToSdk<Sdk.Lifecycle.V1.CorrectRecordRequest>(new CorrectRecordRequest
        {
            RecordId = submitted.Record.RecordId,
            ExpectedVersion = 1,
            Reason = "案号更正",
            Content = FromSdk<Contracts.Records.V1.RecordContent>(submitted.Record.Content),
        });
        correction.Content.DecisionDocumentNumber = "(2025)内01执124号";
        await court.Lifecycle.CorrectRecordAsync(correction);

        var payload = ReceiptPayload.Parser.ParseFrom(submitted.Receipt.SignedPayload);
        var (versions, signatures, certificates) = await StoredAsync(hub, Guid.Parse(submitted.Record.RecordId));
        Assert.Equal(2, versions.Count);
        Assert.All(versions, v => Assert.NotNull(v.RequestSignatureId));
        var first = signatures.Single(s => s.Id == versions[0].RequestSignatureId);
        var second = signatures.Single(s => s.Id == versions[1].RequestSignatureId);
        Assert.Equal(SubmitMethod, first.Method);
        Assert.Equal("/creditexchange.lifecycle.v1.LifecycleService/CorrectRecord", second.Method);
        Assert.All(signatures, s => Assert.Equal("court", s.AgencyId));
        // The receipt names the signed request it answers: SHA-256 of the bytes the court signed.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first.SigningInput)), payload.RequestSha256);
        Assert.Equal(Convert.ToHexStringLower(first.RequestSha256), payload.RequestSha256);
        // What is kept proves itself: the court's certificate verifies the signature over the kept bytes, which hold the request.
        var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificates.Single().Der);
        Assert.Equal(TestCertificates.Agency("court").Thumbprint, certificate.Thumbprint);
        using var key = certificate.GetECDsaPublicKey()!;
        Assert.True(key.VerifyData(first.SigningInput, first.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        var input = Contracts.Api.V1.SigningInput.Parser.ParseFrom(first.SigningInput);
        Assert.Equal("court", input.AgencyId);
        Assert.Equal(submission.SourceRecordId, SubmitRecordRequest.Parser.ParseFrom(input.Request).SourceRecordId);
    }

    [Fact]
    public async Task Unsigned_FromAgencyRequiredToSign_RefusedSignatureRequired_FromOptionalAgency_Accepted()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), CourtRequired);
        var unsigned = TestData.Submission();

        var refusal = await Assert.ThrowsAsync<RpcException>(async () => await hub.Records("court").SubmitRecordAsync(unsigned));
        var accepted = await hub.Records("supervision").SubmitRecordAsync(TestData.Submission(category: Category.DisciplinarySanction, subject: TestData.CivilServantSubject()));

        AssertRefused(refusal, "SIGNATURE_REQUIRED", "signature");
        Assert.Equal(1, hub.CountRecords());
        // An unsigned request's receipt still names it: SHA-256 of its SigningInput without time or nonce.
        var payload = ReceiptPayload.Parser.ParseFrom(accepted.Receipt.SignedPayload);
        Assert.Equal(64, payload.RequestSha256.Length);
        var (_, signatures, _) = await StoredAsync(hub, Guid.Parse(accepted.Record.RecordId));
        Assert.Empty(signatures);
    }

    [Fact]
    public async Task SignedByAnotherAgencysKey_OrAlteredAfterSigning_RefusedSignatureInvalid()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), CourtRequired);
        var court = hub.Records("court");

        var foreign = Sign("supervision", SubmitMethod, TestData.Submission(), agencyId: "court");
        var altered = Sign("court", SubmitMethod, TestData.Submission());
        altered.Record.DecisionDocumentNumber = "(2025)内01执125号";
        var otherMethod = Sign("court", BatchMethod, TestData.Submission());

        AssertRefused(await Assert.ThrowsAsync<RpcException>(async () => await court.SubmitRecordAsync(foreign)), "SIGNATURE_INVALID", "signature.signature");
        AssertRefused(await Assert.ThrowsAsync<RpcException>(async () => await court.SubmitRecordAsync(altered)), "SIGNATURE_INVALID", "signature.signature");
        AssertRefused(await Assert.ThrowsAsync<RpcException>(async () => await court.SubmitRecordAsync(otherMethod)), "SIGNATURE_INVALID", "signature.signature");
        Assert.Equal(0, hub.CountRecords());
    }

    [Fact]
    public async Task ReplayedNonce_RefusedSignatureReplayed_EvenForTheSameRequest()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), CourtRequired);
        var court = hub.Records("court");
        var signed = Sign("court", SubmitMethod, TestData.Submission());
        // Another request re-using the nonce, signed properly.
        var sameNonce = Sign("court", SubmitMethod, TestData.Submission(), nonce: signed.Signature.Nonce);

        await court.SubmitRecordAsync(signed);
        var replay = await Assert.ThrowsAsync<RpcException>(async () => await court.SubmitRecordAsync(signed));
        var reused = await Assert.ThrowsAsync<RpcException>(async () => await court.SubmitRecordAsync(sameNonce));

        AssertRefused(replay, "SIGNATURE_REPLAYED", "signature.nonce");
        AssertRefused(reused, "SIGNATURE_REPLAYED", "signature.nonce");
        Assert.Equal(1, hub.CountRecords());
    }

    [Fact]
    public async Task ReplayedNonce_OnTheEmbeddedSqliteDefault_RefusedSignatureReplayed()
    {
        await using var hub = await HubHost.StartAsync(null, CourtRequired);
        var court = hub.Records("court");
        var signed = Sign("court", SubmitMethod, TestData.Submission());

        await court.SubmitRecordAsync(signed);
        var replay = await Assert.ThrowsAsync<RpcException>(async () => await court.SubmitRecordAsync(signed));

        AssertRefused(replay, "SIGNATURE_REPLAYED", "signature.nonce");
        Assert.Equal(1, hub.CountRecords());
    }

    [Fact]
    public async Task HostileSignatureFields_RefusedAsInvalidArgument_NeverInternal()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), CourtRequired);
        var court = hub.Records("court");
        var farFuture = Sign("court", SubmitMethod, TestData.Submission());
        farFuture.Signature.SignedAt = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = long.MaxValue, Nanos = -1 };
        var shortNonce = Sign("court", SubmitMethod, TestData.Submission());
        shortNonce.Signature.Nonce = ByteString.CopyFrom(1, 2, 3);
        var noTime = Sign("court", SubmitMethod, TestData.Submission());
        noTime.Signature.SignedAt = null;
        var garbage = Sign("court", SubmitMethod, TestData.Submission());
        garbage.Signature.Signature = ByteString.CopyFrom(new byte[1024]);

        foreach (var request in new[] { farFuture, shortNonce, noTime, garbage })
        {
            var e = await Assert.ThrowsAsync<RpcException>(async () => await court.SubmitRecordAsync(request));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }

        Assert.Equal(0, hub.CountRecords());
    }

    [Fact]
    public async Task SignedOutsideTheClockWindow_RefusedSignatureInvalid()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), CourtRequired);
        var stale = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-10));

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await hub.Records("court").SubmitRecordAsync(Sign("court", SubmitMethod, TestData.Submission(), time: stale)));

        AssertRefused(e, "SIGNATURE_INVALID", "signature.signed_at");
    }

    [Fact]
    public async Task BatchItems_EachSigned_ReplayedItemRefusedAlone()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), CourtRequired);
        using var sdkCourt = DotnetSdkTests.Connect(hub.Address, "court");

        var viaSdk = await sdkCourt.SubmitBatchAsync(Enumerable.Range(0, 3).Select(_ => ToSdk<Sdk.Records.V1.SubmitRecordsRequest>(
            new SubmitRecordsRequest { Item = TestData.Submission() }).Item).ToList());
        Assert.All(viaSdk, r => Assert.NotNull(r.Record));

        var first = SignItem(TestData.Submission());
        var replayed = SignItem(TestData.Submission(), first.Signature.Nonce);
        var unsigned = new SubmitRecordsRequest { Item = TestData.Submission() };
        using var call = hub.Records("court").SubmitRecords();
        foreach (var item in new[] { first, replayed, unsigned })
        {
            await call.RequestStream.WriteAsync(item);
        }

        await call.RequestStream.CompleteAsync();
        var response = await call;

        Assert.NotNull(response.Results[0].Record);
        Assert.Equal("SIGNATURE_REPLAYED", response.Results[1].Error.Reason);
        Assert.Equal("signature.nonce", response.Results[1].Error.FieldViolations.Single().Field);
        Assert.Equal("SIGNATURE_REQUIRED", response.Results[2].Error.Reason);
        Assert.Equal(4, hub.CountRecords());
        var payload = ReceiptPayload.Parser.ParseFrom(response.Results[0].Receipt.SignedPayload);
        var (versions, signatures, _) = await StoredAsync(hub, Guid.Parse(response.Results[0].Record.RecordId));
        Assert.Equal(Convert.ToHexStringLower(signatures.Single(s => s.Id == versions.Single().RequestSignatureId).RequestSha256), payload.RequestSha256);
    }

    private static SubmitRecordsRequest SignItem(SubmitRecordRequest item, ByteString? nonce = null) =>
        Sign("court", BatchMethod, new SubmitRecordsRequest { Item = item }, nonce: nonce);

    /// <summary>The request signed by the SDK's signer with <paramref name="keyOf"/>'s certificate key, as agency <paramref name="agencyId"/>.</summary>
    private static T Sign<T>(string keyOf, string method, T request, string? agencyId = null, ByteString? nonce = null, TimeProvider? time = null)
        where T : IMessage<T>, new()
    {
        var signer = new Client.RequestSigner(TestCertificates.Agency(keyOf), agencyId ?? keyOf, time: time);
        var sdkRequest = (IMessage)Activator.CreateInstance(SdkType<T>())!;
        sdkRequest.MergeFrom(request.ToByteArray());
        var signed = signer.Sign(method, sdkRequest);
        var hubRequest = new MessageParser<T>(() => new T()).ParseFrom(signed.ToByteArray());
        if (nonce is not null)
        {
            // Re-sign over the given nonce (what a replaying client would send with a request of its choice).
            var field = hubRequest.Descriptor.FindFieldByName("signature");
            var signature = (Contracts.Api.V1.RequestSignature)field.Accessor.GetValue(hubRequest);
            var input = Client.RequestSigner.SigningInputBytes(method, agencyId ?? keyOf, sdkRequest,
                Google.Protobuf.WellKnownTypes.Timestamp.Parser.ParseFrom(signature.SignedAt.ToByteArray()), nonce);
            using var key = TestCertificates.Agency(keyOf).GetECDsaPrivateKey()!;
            signature.Nonce = nonce;
            signature.Signature = ByteString.CopyFrom(key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        return hubRequest;
    }

    private static Type SdkType<T>() => typeof(Client.RequestSigner).Assembly.GetType(typeof(T).FullName!)!;

    private static void AssertRefused(RpcException e, string reason, string field)
    {
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var status = e.GetRpcStatus()!;
        Assert.Equal(reason, status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Contains(status.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == field);
    }

    private static async Task<(List<Storage.Entities.RecordVersionEntity> Versions, List<Storage.Entities.RequestSignatureEntity> Signatures, List<Storage.Entities.SigningCertificateEntity> Certificates)> StoredAsync(HubHost hub, Guid recordId)
    {
        using var scope = hub.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
        var versions = await db.RecordVersions.AsNoTracking().Where(v => v.RecordId == recordId).OrderBy(v => v.Version).ToListAsync();
        var ids = versions.Where(v => v.RequestSignatureId != null).Select(v => v.RequestSignatureId!.Value).ToList();
        var signatures = await db.RequestSignatures.AsNoTracking().Where(s => ids.Contains(s.Id)).ToListAsync();
        var hashes = signatures.Select(s => s.CertificateSha256).ToList();
        var certificates = (await db.SigningCertificates.AsNoTracking().ToListAsync()).Where(c => hashes.Any(h => h.SequenceEqual(c.Sha256))).ToList();
        return (versions, signatures, certificates);
    }

    private static T ToSdk<T>(IMessage message)
        where T : IMessage<T>, new() => new MessageParser<T>(() => new T()).ParseFrom(message.ToByteArray());

    private static T FromSdk<T>(IMessage message)
        where T : IMessage<T>, new() => new MessageParser<T>(() => new T()).ParseFrom(message.ToByteArray());
}
