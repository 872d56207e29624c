extern alias sdk;

using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CreditExchange.Contracts.Evidence.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.DevTsa;
using CreditExchange.Receipts;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.ClientSdk;
using Google.Protobuf;
using Grpc.Core;
using Sdk = sdk::CreditExchange.Contracts;

namespace CreditExchange.Tests.Evidence;

/// <summary>
/// Evidence bundles (docs/evidence.md) over real Kestrel, TLS, PostgreSQL and the development time-stamping authority:
/// a record's whole life written through the C# SDK (which signs by itself) exports a bundle that the verifier accepts
/// from its bytes and the two trust anchors alone; one changed byte in any part is named by its path; the
/// creditexchange-verify tool answers 0, 1 and 2; only drc, supervision and the source agency may export, only drc with
/// the signed requests. Set CREDITEXCHANGE_WRITE_EVIDENCE_SAMPLE=1 to rewrite clients/testdata/evidence/ (the TypeScript
/// and Python verifiers' test data).
/// </summary>
[Collection("postgres")]
public sealed class EvidenceExportTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private const string Purpose = "（2026）内01民初1号案件调查取证";
    private DevTimestampAuthority _authority = null!;
    private HubHost _hub = null!;

    /// <summary>Part of each kind, as the bundle names it, to change one byte of.</summary>
    private static readonly string[] TamperedKinds = ["version", "signing-input", "receipt", "audit-entry", "checkpoint", "timestamp", "manifest"];

    public async Task InitializeAsync()
    {
        _authority = TestTimestampAuthority.Start();
        _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), TestTimestampAuthority.Settings(_authority));
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _authority.DisposeAsync();
    }

    [Fact]
    public async Task RecordsWholeLife_ExportVerifiesOffline_AndEveryChangedPartIsNamed()
    {
        var recordId = await RecordWithAWholeLifeAsync();

        var exported = await Export("drc", recordId, includeSignedRequests: true);
        var parts = Parts(exported.Bundle.ToByteArray());
        var result = EvidenceVerifier.Verify(exported.Bundle.ToByteArray(), Trust());

        Assert.True(result.Ok, $"{result.FailedPart}: {result.Reason}");
        Assert.Equal($"evidence-{recordId}.zip", exported.FileName);
        Assert.Equal(recordId, result.RecordId);
        // Five versions, the submission's signed request and receipt, every part kind, and a proof for every audit entry.
        Assert.Equal(5, parts.Keys.Count(p => p.EndsWith("/version.json", StringComparison.Ordinal)));
        Assert.Equal(5, parts.Keys.Count(p => p.EndsWith("/signing-input.bin", StringComparison.Ordinal)));
        Assert.Contains("versions/0001/receipt.bin", parts.Keys);
        Assert.Contains(parts.Keys, p => p.StartsWith("checkpoints/", StringComparison.Ordinal) && p.EndsWith(".tsr", StringComparison.Ordinal));
        Assert.Contains(parts.Keys, p => p.StartsWith("certs/agency-", StringComparison.Ordinal));
        Assert.True(parts.Keys.Count(p => p.StartsWith("audit/", StringComparison.Ordinal)) >= 5);
        Assert.Contains(result.Timeline, t => t.Kind == "timestamp");
        var manifest = JsonDocument.Parse(parts["manifest.json"]).RootElement;
        Assert.Equal("signed-requests-included", manifest.GetProperty("personal_data").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(parts["manifest.json"])), exported.ManifestSha256);

        var tampered = TamperedKinds.ToDictionary(kind => kind, kind => Tamper(parts, kind));
        foreach (var (kind, (path, bundle)) in tampered)
        {
            var failed = EvidenceVerifier.Verify(bundle, Trust());
            Assert.False(failed.Ok, kind);
            Assert.Equal(path, failed.FailedPart);
        }

        // Any byte of any part: one flipped in the middle of each part in turn is named by that part's path.
        foreach (var path in parts.Keys.Where(p => p != "manifest.sig"))
        {
            var failed = EvidenceVerifier.Verify(Tamper(parts, path, byPath: true).Bundle, Trust());
            Assert.False(failed.Ok, path);
            Assert.True(path == failed.FailedPart, $"{path} changed, {failed.FailedPart} named: {failed.Reason}");
        }

        // The masked bundle of supervision (no clear request) verifies as well; nothing in it holds the subject's name.
        var masked = await Export("supervision", recordId);
        Assert.True(EvidenceVerifier.Verify(masked.Bundle.ToByteArray(), Trust()).Ok);
        Assert.DoesNotContain(Parts(masked.Bundle.ToByteArray()).Keys, p => p.EndsWith("signing-input.bin", StringComparison.Ordinal));

        if (Environment.GetEnvironmentVariable("CREDITEXCHANGE_WRITE_EVIDENCE_SAMPLE") == "1")
        {
            WriteSample(exported.Bundle.ToByteArray(), tampered);
        }

        // The tool: 0 when everything verifies, 1 naming the failing part, 2 for usage errors.
        var folder = Directory.CreateTempSubdirectory("evidence-").FullName;
        var good = Path.Combine(folder, "good.zip");
        var bad = Path.Combine(folder, "bad.zip");
        await File.WriteAllBytesAsync(good, exported.Bundle.ToByteArray());
        await File.WriteAllBytesAsync(bad, tampered["receipt"].Bundle);
        var (okCode, okOut) = await RunToolAsync(good, "--ca", TestCertificates.Set.CaCertificate, "--tsa", TestTimestampAuthority.Certificate);
        var (badCode, badOut) = await RunToolAsync(bad, "--ca", TestCertificates.Set.CaCertificate, "--tsa", TestTimestampAuthority.Certificate);
        var (usageCode, _) = await RunToolAsync(good, "--tsa", TestTimestampAuthority.Certificate);
        Assert.True(okCode == 0, okOut);
        Assert.Contains("OK", okOut, StringComparison.Ordinal);
        Assert.Equal(1, badCode);
        Assert.Contains("FAILED versions/0001/receipt.bin:", badOut, StringComparison.Ordinal);
        Assert.Equal(2, usageCode);
    }

    [Fact]
    public async Task Rights_DrcSupervisionAndSourceAgency_OthersDenied_SignedRequestsOnlyForDrc()
    {
        var submitted = await _hub.Records("court").SubmitRecordAsync(TestData.Submission());
        var recordId = submitted.Record.RecordId;

        Assert.True(EvidenceVerifier.Verify((await Export("court", recordId)).Bundle.ToByteArray(), Trust()).Ok);
        var other = await Assert.ThrowsAsync<RpcException>(() => Export("procuratorate", recordId));
        var clear = await Assert.ThrowsAsync<RpcException>(() => Export("supervision", recordId, includeSignedRequests: true));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Export("drc", Guid.NewGuid().ToString()));

        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Equal("NOT_SOURCE_AGENCY", TestData.Reason(other));
        Assert.Equal(StatusCode.PermissionDenied, clear.StatusCode);
        Assert.Equal("NOT_SUBJECT_REPRESENTATIVE", TestData.Reason(clear));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task HubWithoutAuthority_BundleUnstamped_FailsAtTheTokenUnlessUnstampedAllowed()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Hub:Audit:CheckpointInterval"] = "00:00:01" });
        var recordId = (await hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record.RecordId;

        var bundle = (await Export(hub, "drc", recordId)).Bundle.ToByteArray();
        var strict = EvidenceVerifier.Verify(bundle, Trust());
        var lenient = Trust();
        lenient.AllowUnstamped = true;
        var allowed = EvidenceVerifier.Verify(bundle, lenient);

        // No authority: the checkpoints carry the hub's signature only, and the verifier says which token is missing.
        Assert.DoesNotContain(Parts(bundle).Keys, p => p.EndsWith(".tsr", StringComparison.Ordinal));
        Assert.False(strict.Ok);
        Assert.Matches(@"^checkpoints/\d+\.tsr$", strict.FailedPart);
        Assert.True(allowed.Ok, $"{allowed.FailedPart}: {allowed.Reason}");
        Assert.DoesNotContain(allowed.Timeline, t => t.Kind == "timestamp");
    }

    [Fact]
    public async Task ReceiptKeyRotation_EarlierBundleStillVerifies_LaterExportCarriesBothKeysCertificates()
    {
        var keys = Directory.CreateTempSubdirectory("creditexchange-evidence-keys-").FullName;
        var database = await postgres.CreateDatabaseAsync();
        Dictionary<string, string?> Settings(string current, params string[] ids)
        {
            var settings = TestTimestampAuthority.Settings(_authority);
            settings["Hub:Receipts:CurrentSigningKey"] = current;
            foreach (var id in ids)
            {
                settings[$"Hub:Receipts:SigningKeys:{id}"] = Server.Receipts.ReceiptKeys.MintIfMissing(Path.Combine(keys, $"receipt-{id}.key"));
            }

            return settings;
        }

        string recordId;
        byte[] before;
        await using (var first = await HubHost.StartAsync(database, Settings("r1", "r1")))
        {
            recordId = (await first.Records("court").SubmitRecordAsync(TestData.Submission())).Record.RecordId;
            before = (await Export(first, "drc", recordId)).Bundle.ToByteArray();
        }

        await using var second = await HubHost.StartAsync(database, Settings("r2", "r1", "r2"));
        await new RecordService.RecordServiceClient(second.AgencyChannel("drc")).GetRecordAsync(new GetRecordRequest { RecordId = recordId });
        var after = (await Export(second, "drc", recordId)).Bundle.ToByteArray();

        Assert.True(EvidenceVerifier.Verify(before, Trust()).Ok);
        var verified = EvidenceVerifier.Verify(after, Trust());
        Assert.True(verified.Ok, $"{verified.FailedPart}: {verified.Reason}");
        var parts = Parts(after);
        Assert.Contains("certs/hub-r1.crt", parts.Keys);
        Assert.Contains("certs/hub-r2.crt", parts.Keys);
        Directory.Delete(keys, recursive: true);
    }

    [Fact]
    public async Task HubKeyWithoutCertificate_ExportRefusedEvidenceUnavailable()
    {
        // The CA certificate alone, without its key beside it: no development certificate can be minted for the hub key.
        var folder = Directory.CreateTempSubdirectory("creditexchange-ca-only-").FullName;
        var ca = Path.Combine(folder, "ca.crt");
        File.Copy(TestCertificates.Set.CaCertificate, ca);
        var keys = Path.Combine(folder, "receipt-lone.key");
        var settings = TestTimestampAuthority.Settings(_authority);
        settings["Hub:Tls:CaCertificate"] = ca;
        settings["Hub:Receipts:CurrentSigningKey"] = "lone";
        settings["Hub:Receipts:SigningKeys:lone"] = Server.Receipts.ReceiptKeys.MintIfMissing(keys);
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), settings);
        var recordId = (await hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record.RecordId;

        var refusal = await Assert.ThrowsAsync<RpcException>(() => Export(hub, "drc", recordId));

        Assert.Equal(StatusCode.FailedPrecondition, refusal.StatusCode);
        Assert.Equal("EVIDENCE_UNAVAILABLE", TestData.Reason(refusal));
        Directory.Delete(folder, recursive: true);
    }

    private async Task<string> RecordWithAWholeLifeAsync()
    {
        using var court = DotnetSdkTests.Connect(_hub.Address, "court");
        using var drc = DotnetSdkTests.Connect(_hub.Address, "drc");
        var submitted = await court.Records.SubmitRecordAsync(ToSdk<Sdk.Records.V1.SubmitRecordRequest>(TestData.Submission()));
        var recordId = submitted.Record.RecordId;
        var correction = new CorrectRecordRequest
        {
            RecordId = recordId,
            ExpectedVersion = 1,
            Reason = "案号更正",
            Content = RecordContent.Parser.ParseFrom(submitted.Record.Content.ToByteArray()),
        };
        correction.Content.DecisionDocumentNumber = "(2025)内01执124号";
        await court.Lifecycle.CorrectRecordAsync(ToSdk<Sdk.Lifecycle.V1.CorrectRecordRequest>(correction));
        var objection = await drc.Lifecycle.FileObjectionAsync(ToSdk<Sdk.Lifecycle.V1.FileObjectionRequest>(
            new FileObjectionRequest { RecordId = recordId, ExpectedVersion = 2, Grounds = "事实有误。" }));
        await court.Lifecycle.AnswerObjectionAsync(ToSdk<Sdk.Lifecycle.V1.AnswerObjectionRequest>(
            new AnswerObjectionRequest { ObjectionId = objection.Objection.ObjectionId, ExpectedVersion = 3, Outcome = ObjectionState.Dismissed, Answer = "维持原记录。" }));
        await court.Lifecycle.RevokeRecordAsync(ToSdk<Sdk.Lifecycle.V1.RevokeRecordRequest>(
            new RevokeRecordRequest { RecordId = recordId, ExpectedVersion = 4, Reason = "判决被撤销。" }));
        return recordId;
    }

    private Task<ExportEvidenceResponse> Export(string agency, string recordId, bool includeSignedRequests = false) =>
        Export(_hub, agency, recordId, includeSignedRequests);

    private static Task<ExportEvidenceResponse> Export(HubHost hub, string agency, string recordId, bool includeSignedRequests = false) =>
        new EvidenceService.EvidenceServiceClient(hub.AgencyChannel(agency)).ExportEvidenceAsync(
            new ExportEvidenceRequest { RecordId = recordId, Purpose = Purpose, IncludeSignedRequests = includeSignedRequests },
            deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync;

    private static EvidenceTrust Trust()
    {
        var trust = new EvidenceTrust();
        trust.Ca.ImportFromPemFile(TestCertificates.Set.CaCertificate);
        trust.Tsa.ImportFromPemFile(TestTimestampAuthority.Certificate);
        return trust;
    }

    private static Dictionary<string, byte[]> Parts(byte[] bundle)
    {
        using var archive = new ZipArchive(new MemoryStream(bundle));
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    /// <summary>The bundle with one byte of the first part of <paramref name="kind"/> changed (its middle byte, XOR 0x01).</summary>
    private static (string Path, byte[] Bundle) Tamper(Dictionary<string, byte[]> parts, string kind, bool byPath = false)
    {
        var path = byPath ? kind : kind == "manifest"
            ? "manifest.json"
            : JsonDocument.Parse(parts["manifest.json"]).RootElement.GetProperty("parts").EnumerateArray()
                .First(p => p.GetProperty("kind").GetString() == kind).GetProperty("path").GetString()!;
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in parts)
            {
                var copy = (byte[])bytes.Clone();
                if (name == path)
                {
                    copy[copy.Length / 2] ^= 0x01;
                }

                using var stream = archive.CreateEntry(name).Open();
                stream.Write(copy);
            }
        }

        return (path, zip.ToArray());
    }

    private static void WriteSample(byte[] bundle, Dictionary<string, (string Path, byte[] Bundle)> tampered)
    {
        var folder = Path.Combine(RepositoryRoot(), "clients", "testdata", "evidence");
        Directory.CreateDirectory(Path.Combine(folder, "tampered"));
        File.WriteAllBytes(Path.Combine(folder, "sample.zip"), bundle);
        File.Copy(TestCertificates.Set.CaCertificate, Path.Combine(folder, "ca.crt"), overwrite: true);
        File.Copy(TestTimestampAuthority.Certificate, Path.Combine(folder, "tsa.crt"), overwrite: true);
        foreach (var (kind, (_, changed)) in tampered)
        {
            File.WriteAllBytes(Path.Combine(folder, "tampered", kind + ".zip"), changed);
        }

        var expected = tampered.Select(t => new { file = $"tampered/{t.Key}.zip", kind = t.Key, failed_part = t.Value.Path, change = "the part's middle byte XOR 0x01" });
        File.WriteAllText(Path.Combine(folder, "tampered.json"), JsonSerializer.Serialize(expected, Indented) + "\n");
    }

    private static async Task<(int Code, string Output)> RunToolAsync(params string[] args)
    {
        var tool = Path.Combine(RepositoryRoot(), "src", "CreditExchange.Verify", "bin", "Release", "net10.0", "CreditExchange.Verify.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tool);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreditExchange.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (CreditExchange.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static T ToSdk<T>(IMessage message)
        where T : IMessage<T>, new() => new MessageParser<T>(() => new T()).ParseFrom(message.ToByteArray());
}
