using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CreditExchange.Contracts.Evaluation.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Microsoft.Extensions.Time.Testing;
using static CreditExchange.Tests.Appraisal.AppraisalTestData;

namespace CreditExchange.Tests.OpenData;

/// <summary>
/// The open figures for third parties (seed clause 四(三)) on their own HTTPS listener without a client certificate,
/// over real Kestrel and PostgreSQL: only public records, small cells suppressed with their complements, published
/// evaluations, ETag and 304, and 429 with Retry-After past the rate limit.
/// </summary>
[Collection("postgres")]
public sealed class OpenDataTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const int Permits = 12;

    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // Thursday 2026-11-26, Beijing
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(
        await postgres.CreateDatabaseAsync(),
        new Dictionary<string, string?>
        {
            ["Hub:OpenData:Url"] = "https://127.0.0.1:0",
            ["Hub:OpenData:PermitsPerWindow"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hub:OpenData:Window"] = "00:10:00",
            // The tests connect from loopback: as a trusted proxy, X-Forwarded-For names the client.
            ["Hub:OpenData:TrustedProxies:0"] = "127.0.0.1",
        },
        time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task RecordCounts_WithoutClientCertificate_OnlyPublicRecordsAndNoSmallCell()
    {
        var hohhot = Body("150102");
        var records = new List<SubmitRecordRequest>();
        records.AddRange(Enumerable.Range(1, 6).Select(d => Record(hohhot, Category.JudicialJudgment, Severity.General, new DateOnly(2026, 3, d))));
        records.AddRange(Enumerable.Range(1, 2).Select(d => Record(hohhot, Category.JudicialJudgment, Severity.General, new DateOnly(2026, 4, d))));
        records.AddRange(Enumerable.Range(1, 5).Select(d => Record(hohhot, Category.BreachOfCommitment, Severity.General, new DateOnly(2026, 5, d))));
        records.AddRange(Enumerable.Range(1, 3).Select(d => Record(Body("150203"), Category.JudicialJudgment, Severity.General, new DateOnly(2026, 6, d))));
        var sharedOnly = Enumerable.Range(10, 3).Select(d => Record(hohhot, Category.JudicialJudgment, Severity.General, new DateOnly(2026, 3, d))).ToList();
        sharedOnly.ForEach(r => r.Record.Disclosure = Disclosure.SharedOnly);  // not public: never counted
        var revoked = Record(hohhot, Category.JudicialJudgment, Severity.General, new DateOnly(2026, 3, 20));  // revoked: never counted
        var ids = await SubmitAllAsync(_hub, [.. records, .. sharedOnly, revoked]);
        await DriveToAsync(_hub, ids[revoked.SourceRecordId], RecordStatus.Revoked);

        using var http = new HttpClient(HubHost.Handler(clientCertificate: null)) { BaseAddress = _hub.OpenDataAddress };
        using var response = await http.GetAsync("/open-data/v1/record-counts?year=2026");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        AssertMatchesSchema(root);
        Assert.Equal((2026, "2026-11-26", 5), (root.GetProperty("year").GetInt32(), root.GetProperty("as_of_date").GetString(), root.GetProperty("minimum_cell_count").GetInt32()));

        // Hohhot: March 6 shown; April 2 suppressed (primary) and May 5 with it (complementary, the smallest shown
        // cell), so the shown total 13 less March gives only their sum. Baotou: 3, cell and total suppressed. Cells come
        // by region, then domain and category in the contract's order, then month.
        var cells = root.GetProperty("cells").EnumerateArray()
            .Select(c => (c.GetProperty("region").GetString(), c.GetProperty("domain").GetString(), c.GetProperty("category").GetString(), c.GetProperty("month").GetString(),
                c.GetProperty("count").ValueKind == JsonValueKind.Null ? (long?)null : c.GetProperty("count").GetInt64(), c.GetProperty("suppressed").GetBoolean()))
            .ToList();
        Assert.Equal(
            [
                ("150100", "procurement", "breach_of_commitment", "2026-05", null, true),
                ("150100", "other", "judicial_judgment", "2026-03", 6L, false),
                ("150100", "other", "judicial_judgment", "2026-04", null, true),
                ("150200", "other", "judicial_judgment", "2026-06", null, true),
            ],
            cells);
        var totals = root.GetProperty("region_totals").EnumerateArray()
            .Select(t => (t.GetProperty("region").GetString(), t.GetProperty("count").ValueKind == JsonValueKind.Null ? (long?)null : t.GetProperty("count").GetInt64(), t.GetProperty("suppressed").GetBoolean()))
            .ToList();
        Assert.Equal([("150100", 13L, false), ("150200", null, true)], totals);
        Assert.DoesNotContain(cells, c => c.Item5 is < 5);
        Assert.DoesNotContain(totals, t => t.Item2 is < 5);
        // A suppressed cell is never alone in a region whose total is shown.
        Assert.All(cells.Where(c => c.Item6).GroupBy(c => c.Item1).Where(g => totals.Single(t => t.Item1 == g.Key).Item2 is not null), g => Assert.True(g.Count() >= 2));
        Assert.DoesNotContain("150102", body.RootElement.GetRawText(), StringComparison.Ordinal);   // regions only at league/city level

        // Cacheable: Cache-Control and an ETag; the same ETag back gives 304 without a body.
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        var etag = Assert.IsType<EntityTagHeaderValue>(response.Headers.ETag);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/open-data/v1/record-counts?year=2026");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        // A bad year is a 400 naming the field, not a 500.
        using var badYear = await http.GetAsync("/open-data/v1/record-counts?year=20x6");
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);
    }

    [Fact]
    public async Task OpenDataListener_ServesOnlyOpenData_AndTheHubListenerNone()
    {
        using var open = new HttpClient(HubHost.Handler(clientCertificate: null)) { BaseAddress = _hub.OpenDataAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await open.GetAsync("/connect/token")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await open.GetAsync("/healthz/live")).StatusCode);
        using var grpc = new HttpRequestMessage(HttpMethod.Post, "/creditexchange.records.v1.RecordService/GetRecord") { Content = new ByteArrayContent([0, 0, 0, 0, 0]) };
        grpc.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        Assert.Equal(HttpStatusCode.NotFound, (await open.SendAsync(grpc)).StatusCode);

        // On the hub's own listener (client certificate required) the open figures are not served.
        using var hub = new HttpClient(HubHost.Handler(TestCertificates.Agency("drc"))) { BaseAddress = _hub.Address };
        Assert.Equal(HttpStatusCode.NotFound, (await hub.GetAsync("/open-data/v1/record-counts")).StatusCode);
        // And the hub's listener still refuses a connection without a certificate.
        using var bare = new HttpClient(HubHost.Handler(clientCertificate: null)) { BaseAddress = _hub.Address };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => bare.GetAsync("/open-data/v1/record-counts"));
    }

    [Fact]
    public async Task Evaluations_OnlyPublishedOnes_WithoutRecordIds()
    {
        using var http = new HttpClient(HubHost.Handler(clientCertificate: null)) { BaseAddress = _hub.OpenDataAddress };
        await SubmitAllAsync(_hub, [Record(Body("150102"), Category.JudicialJudgment, Severity.Serious, new DateOnly(2025, 5, 1))]);
        var evaluations = new EvaluationService.EvaluationServiceClient(_hub.AgencyChannel("drc"));
        var scope = new EvaluationScope { DivisionCode = "150100" };
        await evaluations.EvaluateIntegrityAsync(new EvaluateIntegrityRequest { Scope = scope, Period = "2025" });
        using (var before = JsonDocument.Parse(await http.GetStringAsync("/open-data/v1/evaluations")))
        {
            Assert.Empty(before.RootElement.GetProperty("evaluations").EnumerateArray());
        }

        var published = (await evaluations.PublishEvaluationAsync(new PublishEvaluationRequest { Scope = scope, Period = "2025" })).Evaluation;

        var text = await http.GetStringAsync("/open-data/v1/evaluations");
        using var after = JsonDocument.Parse(text);
        AssertMatchesSchema(after.RootElement);
        var only = Assert.Single(after.RootElement.GetProperty("evaluations").EnumerateArray());
        Assert.Equal(("region", "150100", "2025", published.ScoreHundredths, published.Grade),
            (only.GetProperty("scope").GetString(), only.GetProperty("key").GetString(), only.GetProperty("period").GetString(), only.GetProperty("score_hundredths").GetInt32(), only.GetProperty("grade").GetString()));
        Assert.Equal(published.Indicators.Select(i => (i.Code, i.PointsHundredths)),
            only.GetProperty("indicators").EnumerateArray().Select(i => (i.GetProperty("code").GetString()!, i.GetProperty("points_hundredths").GetInt32())));
        Assert.DoesNotContain("record_ids", text, StringComparison.Ordinal);
        Assert.DoesNotContain(published.Indicators.SelectMany(i => i.RecordIds), id => text.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecordCounts_PastTheRateLimit_429WithRetryAfter()
    {
        using var http = new HttpClient(HubHost.Handler(clientCertificate: null)) { BaseAddress = _hub.OpenDataAddress };
        for (var i = 0; i < Permits; i++)
        {
            using var allowed = await http.GetAsync("/open-data/v1/evaluations");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await http.GetAsync("/open-data/v1/record-counts");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = Assert.IsType<TimeSpan>(limited.Headers.RetryAfter?.Delta);
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task BehindTrustedProxy_LimitedPerForwardedClient_SpoofedHopsIgnored()
    {
        using var http = new HttpClient(HubHost.Handler(clientCertificate: null)) { BaseAddress = _hub.OpenDataAddress };

        async Task<HttpStatusCode> GetAsync(string forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/open-data/v1/evaluations");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        // The client the proxy saw is the rightmost hop; what the client itself wrote to its left is not believed.
        for (var i = 0; i < Permits; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await GetAsync($"198.51.100.{i + 1}, 203.0.113.7"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync("198.51.100.200, 203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync("203.0.113.7"));
        // Another client behind the same proxy has its own window.
        Assert.Equal(HttpStatusCode.OK, await GetAsync("203.0.113.8"));
    }

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5/32")]
    [InlineData(" 10.0.0.0/8 ", "10.0.0.0/8")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    public void TrustedProxies_AddressOrNetwork_Parsed(string entry, string expected) =>
        Assert.Equal(expected, CreditExchange.Server.Transport.OpenDataPort.ParseNetwork(entry).ToString());

    [Theory]
    [InlineData("proxy.example")]
    [InlineData("10.0.0.0/33")]
    [InlineData("")]
    public void TrustedProxies_Malformed_RefusedNamingTheEntry(string entry) =>
        Assert.Contains("Hub:OpenData:TrustedProxies", Assert.Throws<InvalidOperationException>(() => CreditExchange.Server.Transport.OpenDataPort.ParseNetwork(entry)).Message, StringComparison.Ordinal);

    /// <summary>Read once: the library registers a schema by its $id, and refuses a second registration.</summary>
    private static readonly Lazy<Json.Schema.JsonSchema> Schema = new(() =>
        Json.Schema.JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "open-data.schema.json"))));

    /// <summary>The answer is valid under the published schema, docs/open-data.schema.json.</summary>
    private static void AssertMatchesSchema(JsonElement answer)
    {
        var result = Schema.Value.Evaluate(answer, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
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
}
