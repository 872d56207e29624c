using System.Diagnostics;
using System.Text.Json;
using CreditExchange.DevCerts;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Tests.Tools;

/// <summary>
/// The README's hand-held calls, made with `buf curl --protocol grpc` through server reflection and
/// an agency certificate, exactly as an operator would (grpcurl is not installable here).
/// </summary>
[Collection("postgres")]
public sealed class BufCurlTests(PostgresFixture postgres) : IAsyncLifetime
{
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task BufCurl_ListDescribeSubmitGet_ThroughReflection()
    {
        // Reflection needs the certificate only; the RecordService calls need a bound token too.
        var methods = await BufCurl("court", "--list-methods", BaseUrl);
        Assert.Contains("creditexchange.records.v1.RecordService/SubmitRecord", methods, StringComparison.Ordinal);
        Assert.Contains("grpc.health.v1.Health/Check", methods, StringComparison.Ordinal);

        // The README's own example: a judgment-debtor listing (record.json).
        var submit = ReadmeRecord("court-2025-000123");
        using var submitted = JsonDocument.Parse(await BufCurl("court", "-H", await Bearer("court"), "-d", submit, BaseUrl + "/creditexchange.records.v1.RecordService/SubmitRecord"));
        var recordId = submitted.RootElement.GetProperty("record").GetProperty("recordId").GetString();

        using var got = JsonDocument.Parse(await BufCurl("drc", "-H", await Bearer("drc"), "-d", $$"""{"recordId":"{{recordId}}"}""", BaseUrl + "/creditexchange.records.v1.RecordService/GetRecord"));
        var record = got.RootElement.GetProperty("record");
        Assert.Equal("111501000123456712", record.GetProperty("content").GetProperty("subject").GetProperty("governmentBody").GetProperty("creditCode").GetString());
        Assert.Equal("(2025)内01执123号", record.GetProperty("content").GetProperty("judgmentDebtor").GetProperty("enforcementCaseNumber").GetString());
        Assert.True(record.GetProperty("listing").GetProperty("listingIndefinite").GetBoolean());
        Assert.Equal("RECORD_STATUS_ACTIVE", got.RootElement.GetProperty("record").GetProperty("status").GetString());
    }

    [Fact]
    public async Task BufCurl_PppRecordProjectListAndCreditFile_AsInTheReadme()
    {
        using var submitted = JsonDocument.Parse(await BufCurl(
            "court", "-H", await Bearer("court"), "-d", ReadmeRecord("court-2025-000124"), BaseUrl + "/creditexchange.records.v1.RecordService/SubmitRecord"));
        using var project = JsonDocument.Parse(await BufCurl(
            "drc", "-H", await Bearer("drc"), "-d", """{"projectCode": "PPP-150102-2019-0007"}""", BaseUrl + "/creditexchange.records.v1.RecordService/ListProjectRecords"));
        using var file = JsonDocument.Parse(await BufCurl(
            "drc", "-H", await Bearer("drc"), "-d", """{"subject": {"residentId": "150102197503150020"}}""", BaseUrl + "/creditexchange.creditfile.v1.CreditFileService/GetCreditFile"));

        var recordId = submitted.RootElement.GetProperty("record").GetProperty("recordId").GetString();
        Assert.Equal(recordId, Assert.Single(project.RootElement.GetProperty("records").EnumerateArray()).GetProperty("recordId").GetString());
        var entry = Assert.Single(file.RootElement.GetProperty("creditFile").GetProperty("entries").EnumerateArray());
        Assert.Equal((recordId, "RESPONSIBLE_ROLE_PRINCIPAL"), (entry.GetProperty("record").GetProperty("recordId").GetString(), entry.GetProperty("responsibleRole").GetString()));
    }

    /// <summary>The JSON of the README's grpcurl SubmitRecord example with this source record id (its record.json and ppp.json).</summary>
    private static string ReadmeRecord(string sourceRecordId)
    {
        var readme = File.ReadAllText(RepositoryFile("README.md"));
        var blocks = readme.Split("<<'JSON'\n", StringSplitOptions.None).Skip(1).Select(b => b[..b.IndexOf("\nJSON\n", StringComparison.Ordinal)]);
        return blocks.Single(b => b.Contains($"\"sourceRecordId\": \"{sourceRecordId}\"", StringComparison.Ordinal));
    }

    private static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, name)) && Directory.Exists(Path.Combine(dir.FullName, "protos")))
            {
                return Path.Combine(dir.FullName, name);
            }
        }

        throw new InvalidOperationException($"{name} was not found above {AppContext.BaseDirectory}.");
    }

    [Fact]
    public async Task BufCurl_FileObjectionAndHistory_AsInTheReadme()
    {
        var submitted = await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: "2026-10-15"));
        var recordId = submitted.Record.RecordId;

        using var filed = JsonDocument.Parse(await BufCurl(
            "drc", "-H", await Bearer("drc"), "-d", $$"""{"recordId":"{{recordId}}","expectedVersion":1,"grounds":"被执行人已履行全部给付义务，记录事实有误。"}""",
            BaseUrl + "/creditexchange.lifecycle.v1.LifecycleService/FileObjection"));
        using var history = JsonDocument.Parse(await BufCurl(
            "court", "-H", await Bearer("court"), "-d", $$"""{"recordId":"{{recordId}}"}""", BaseUrl + "/creditexchange.lifecycle.v1.LifecycleService/GetRecordHistory"));

        Assert.Equal("RECORD_STATUS_IN_DISPUTE", filed.RootElement.GetProperty("record").GetProperty("status").GetString());
        Assert.Equal("OBJECTION_STATE_OPEN", filed.RootElement.GetProperty("objection").GetProperty("state").GetString());
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", filed.RootElement.GetProperty("objection").GetProperty("answerDueDate").GetString());
        Assert.Equal(
            ["RECORD_CHANGE_SUBMITTED", "RECORD_CHANGE_OBJECTION_FILED"],
            history.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("change").GetString()));
    }

    [Fact]
    public async Task BufCurl_AcknowledgeAndPublications_AsInTheReadme()
    {
        var submitted = await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: "2026-10-15"));
        await _hub.Services.GetRequiredService<CreditExchange.Server.Feed.FeedPublisher>().PublishAllAsync(CancellationToken.None);

        using var ack = JsonDocument.Parse(await BufCurl(
            "drc", "-H", await Bearer("drc"), "-d", """{"subscription":"punishments","sequence":"1"}""",
            BaseUrl + "/creditexchange.feed.v1.FeedService/AcknowledgeEvents"));
        using var list = JsonDocument.Parse(await BufCurl(
            "drc", "-H", await Bearer("drc"), "-d", """{"pageSize":20}""", BaseUrl + "/creditexchange.publication.v1.PublicationService/ListPublications"));

        Assert.Equal("1", ack.RootElement.GetProperty("acknowledgedSequence").GetString());
        Assert.Equal(submitted.Record.RecordId, list.RootElement.GetProperty("publications")[0].GetProperty("recordId").GetString());
    }

    [Fact]
    public async Task BufCurl_InvalidCreditCode_InvalidArgumentWithFieldViolation()
    {
        var bearer = await Bearer("drc");
        var e = await Assert.ThrowsAsync<BufCurlException>(() => BufCurl(
            "drc", "-H", bearer, "-d", """{"subject":{"creditCode":"91110108551385082F"}}""", BaseUrl + "/creditexchange.records.v1.RecordService/ListSubjectRecords"));

        Assert.Contains("invalid_argument", e.Output, StringComparison.Ordinal);
        Assert.Contains("subject.credit_code", e.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BufCurl_CheckCandidates_AsInTheReadme()
    {
        var code = TestData.NewCreditCode();
        var residentId = TestData.NewResidentId();
        var request = $$"""
            {"purpose": {"appraisalType": "APPRAISAL_TYPE_HONORS", "caseReference": "内组评〔2026〕7号"},
             "subjects": [{"creditCode": "{{code}}"}, {"residentId": "{{residentId}}"}]}
            """;

        using var answer = JsonDocument.Parse(await BufCurl("drc", "-H", await Bearer("drc"), "-d", request, BaseUrl + "/creditexchange.appraisal.v1.AppraisalService/CheckCandidates"));

        var results = answer.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal("DECISION_PRIORITY", r.GetProperty("decision").GetString()));
        Assert.Equal(2, answer.RootElement.GetProperty("priorityCount").GetInt32());
    }

    [Theory]
    [InlineData("google.rpc.ErrorInfo", "google/rpc/error_details.proto")]
    [InlineData("google.rpc.BadRequest", "google/rpc/error_details.proto")]
    [InlineData("google.rpc.RetryInfo", "google/rpc/error_details.proto")]
    [InlineData("google.rpc.LocalizedMessage", "google/rpc/error_details.proto")]
    [InlineData("google.rpc.Status", "google/rpc/status.proto")]
    [InlineData("creditexchange.errors.v1.ErrorReason", "creditexchange/errors/v1/errors.proto")]
    public async Task BufCurl_ReflectionAskedForErrorDetailType_ServesItsFile(string symbol, string file)
    {
        // What grpcurl does to print a detail as JSON: ask reflection for the file that defines its type.
        using var answer = JsonDocument.Parse(await BufCurl(
            "court", "-d", $$"""{"fileContainingSymbol":"{{symbol}}"}""", BaseUrl + "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"));

        var descriptors = answer.RootElement.GetProperty("fileDescriptorResponse").GetProperty("fileDescriptorProto").EnumerateArray()
            .Select(d => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(d.GetBytesFromBase64()).Name);
        Assert.Contains(file, descriptors);
    }

    [Fact]
    public async Task BufCurl_ListMethods_OnlyMappedServices()
    {
        var methods = await BufCurl("court", "--list-methods", BaseUrl);

        Assert.Contains("creditexchange.lifecycle.v1.LifecycleService/FileObjection", methods, StringComparison.Ordinal);
        Assert.DoesNotContain("google.rpc", methods, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BufCurl_InvalidResidentId_ErrorDetailsPrintedAsJson()
    {
        var e = await Assert.ThrowsAsync<BufCurlException>(async () => await BufCurl(
            "drc", "-H", await Bearer("drc"), "-d", """{"subject":{"residentId":"36042619910102009X"}}""",
            BaseUrl + "/creditexchange.records.v1.RecordService/ListSubjectRecords"));

        using var error = ErrorJson(e.Output);
        Assert.Equal("invalid_argument", error.RootElement.GetProperty("code").GetString());
        Assert.Equal("INVALID_REQUEST", Detail(error, "google.rpc.ErrorInfo").GetProperty("reason").GetString());
        Assert.Equal("creditexchange.gov", Detail(error, "google.rpc.ErrorInfo").GetProperty("domain").GetString());
        Assert.Equal(
            "subject.resident_id",
            Detail(error, "google.rpc.BadRequest").GetProperty("fieldViolations")[0].GetProperty("field").GetString());
        Assert.Equal("en-US", Detail(error, "google.rpc.LocalizedMessage").GetProperty("locale").GetString());
    }

    [Fact]
    public async Task BufCurl_CompetenceRefusalAskedInChinese_LocalizedMessageZhCn()
    {
        // The court may not submit administrative penalties; the refusal is readable in Chinese.
        var submission = TestData.Submission();
        submission.Record.Category = Contracts.Records.V1.Category.AdministrativePenalty;
        var body = Google.Protobuf.JsonFormatter.Default.Format(submission);
        var e = await Assert.ThrowsAsync<BufCurlException>(async () => await BufCurl(
            "court", "-H", await Bearer("court"), "-H", "accept-language: zh-CN", "-d", body,
            BaseUrl + "/creditexchange.records.v1.RecordService/SubmitRecord"));

        using var error = ErrorJson(e.Output);
        Assert.Equal("permission_denied", error.RootElement.GetProperty("code").GetString());
        Assert.Equal("CATEGORY_NOT_IN_COMPETENCE", Detail(error, "google.rpc.ErrorInfo").GetProperty("reason").GetString());
        var localized = Detail(error, "google.rpc.LocalizedMessage");
        Assert.Equal("zh-CN", localized.GetProperty("locale").GetString());
        Assert.Contains("职权范围", localized.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BufCurl_RateLimited_RetryInfoPrintedAsJson()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Hub:Limits:TokenLimit"] = "1",
            ["Hub:Limits:TokensPerPeriod"] = "1",
            ["Hub:Limits:ReplenishmentPeriod"] = "01:00:00",
        });
        var bearer = "authorization: Bearer " + await hub.TokenAsync("drc");
        var url = hub.Address.ToString().TrimEnd('/') + "/creditexchange.receipts.v1.ReceiptService/GetReceiptKeys";
        await BufCurl("drc", "-H", bearer, "-d", "{}", url);

        var e = await Assert.ThrowsAsync<BufCurlException>(() => BufCurl("drc", "-H", bearer, "-d", "{}", url));

        using var error = ErrorJson(e.Output);
        Assert.Equal("resource_exhausted", error.RootElement.GetProperty("code").GetString());
        Assert.Equal("RATE_LIMITED", Detail(error, "google.rpc.ErrorInfo").GetProperty("reason").GetString());
        Assert.EndsWith("s", Detail(error, "google.rpc.RetryInfo").GetProperty("retryDelay").GetString(), StringComparison.Ordinal);
    }

    /// <summary>buf curl writes a failed call as one JSON object (code, message, details) on stderr.</summary>
    private static JsonDocument ErrorJson(string output)
    {
        var start = output.IndexOf('{', StringComparison.Ordinal);
        Assert.True(start >= 0, output);
        return JsonDocument.Parse(output[start..]);
    }

    /// <summary>
    /// One error detail as JSON: buf curl's own "debug" rendering when it has the type compiled in (1.75 has
    /// none of google.rpc's detail types), else its base64 "value" decoded with `buf convert` over protos/,
    /// as the README tells a reader to do.
    /// </summary>
    private static JsonElement Detail(JsonDocument error, string type)
    {
        var detail = error.RootElement.GetProperty("details").EnumerateArray().Single(d => d.GetProperty("type").GetString() == type);
        if (detail.TryGetProperty("debug", out var debug))
        {
            return debug;
        }

        var value = detail.GetProperty("value").GetString()!;
        var bytes = Convert.FromBase64String(value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '='));
        return JsonDocument.Parse(RunBuf(bytes, "convert", ProtosFolder(), "--type", type).GetAwaiter().GetResult()).RootElement;
    }

    private string BaseUrl => _hub.Address.ToString().TrimEnd('/');

    private async Task<string> Bearer(string agency) => "authorization: Bearer " + await _hub.TokenAsync(agency);

    private static Task<string> BufCurl(string agency, params string[] args)
    {
        var certs = TestCertificates.Set;
        return RunBuf(null, [.. new[] { "curl", "--protocol", "grpc", "--cacert", certs.CaCertificate, "--cert", certs.AgencyCertificate(agency), "--key", certs.AgencyKey(agency) }, .. args]);
    }

    private static async Task<string> RunBuf(byte[]? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(FindBuf())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new BufCurlException(await stdout + await stderr);
        }

        return await stdout;
    }

    private static string ProtosFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "protos", "buf.yaml")))
            {
                return Path.Combine(dir.FullName, "protos");
            }
        }

        throw new InvalidOperationException("protos/buf.yaml was not found above the test binaries.");
    }

    /// <summary>The buf pinned in package.json (installed by `npm ci`, as tests/test.sh does), else buf on PATH.</summary>
    private static string FindBuf()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var local = Path.Combine(dir.FullName, "node_modules", ".bin", "buf");
            if (File.Exists(local))
            {
                return local;
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(p => Path.Combine(p, "buf")).FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException("buf was not found: run `npm ci` at the repository root (tests/test.sh does).");
    }

    private sealed class BufCurlException(string output) : Exception(output)
    {
        public string Output { get; } = output;
    }
}
