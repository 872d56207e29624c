using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CreditExchange.Tests.Feed;

/// <summary>
/// The publication routes over HTTP JSON (gRPC JSON transcoding) as the website's back end meets them, over mutual
/// TLS: every refusal is the HTTP status of its gRPC code with a google.rpc.Status JSON body carrying its ErrorInfo
/// reason, and Retry-After when it says when to retry — never 500 for a refusal.
/// </summary>
[Collection("postgres")]
public sealed class PublicationHttpErrorTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // Thursday 2026-11-26, 10:00 Beijing
    private readonly ReadFailure _outage = new();
    private HubHost _hub = null!;

    public async Task InitializeAsync() =>
        _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock, services: s => s.AddSingleton<IInterceptor>(_outage));

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task HttpJson_EveryRefusal_ItsHttpStatusAndReason_Never500()
    {
        var record = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: "2026-11-20"))).Record;
        using var anonymous = HubHost.Http(TestCertificates.Agency("drc"));
        using var drc = HubHost.Http(TestCertificates.Agency("drc"));
        drc.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _hub.TokenAsync("drc"));
        using var court = HubHost.Http(TestCertificates.Agency("court"));
        court.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _hub.TokenAsync("court"));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(drc, $"v1/publications/{record.RecordId}")).Status);
        Assert.Equal((HttpStatusCode.Unauthorized, 16, "TOKEN_REQUIRED"), Refusal(await SendAsync(anonymous, "v1/publications")));
        Assert.Equal((HttpStatusCode.Forbidden, 7, "SCOPE_MISSING"), Refusal(await SendAsync(court, "v1/publications/changes")));
        Assert.Equal((HttpStatusCode.NotFound, 5, "PUBLICATION_NOT_FOUND"), Refusal(await SendAsync(drc, $"v1/publications/{Guid.NewGuid()}")));
        foreach (var bad in new[] { "v1/publications?asOfDate=2026-13-45", "v1/publications?asOfDate=2027-01-01", "v1/publications?pageSize=100000", "v1/publications/not-a-uuid", "v1/publications?pageToken=forged" })
        {
            var (status, code, reason) = Refusal(await SendAsync(drc, bad));
            Assert.True((status, code) == (HttpStatusCode.BadRequest, 3), $"{bad}: {status} {code} {reason}");
            Assert.False(string.IsNullOrEmpty(reason), bad);
        }

        Assert.Equal((HttpStatusCode.BadRequest, 11, "FEED_SEQUENCE_NOT_REACHED"), Refusal(await SendAsync(drc, "v1/publications/changes?afterSequence=999999")));

        _outage.Failing = true;
        var outage = await SendAsync(drc, "v1/publications");
        _outage.Failing = false;
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 14, "STORAGE_UNAVAILABLE"), Refusal(outage));
        Assert.True(outage.RetryAfter is { } after && after >= TimeSpan.FromSeconds(1), "503 without Retry-After");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(drc, "v1/publications")).Status);
    }

    [Fact]
    public async Task HttpJson_RateLimited_429WithRetryAfterAndReason()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Hub:Limits:TokenLimit"] = "3",
            ["Hub:Limits:TokensPerPeriod"] = "3",
            ["Hub:Limits:ReplenishmentPeriod"] = "00:00:10",
        });
        using var drc = HubHost.Http(TestCertificates.Agency("drc"));
        drc.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await hub.TokenAsync("drc"));

        Answer? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            var answer = await SendAsync(drc, "v1/publications", hub);
            if (answer.Status != HttpStatusCode.OK)
            {
                limited = answer;
            }
        }

        Assert.NotNull(limited);
        Assert.Equal((HttpStatusCode.TooManyRequests, 8, "RATE_LIMITED"), Refusal(limited));
        Assert.True(limited.RetryAfter is { } after && after >= TimeSpan.FromSeconds(1), "429 without Retry-After");
    }

    private sealed record Answer(HttpStatusCode Status, string? MediaType, string Body, TimeSpan? RetryAfter);

    private async Task<Answer> SendAsync(HttpClient http, string path, HubHost? hub = null)
    {
        using var response = await http.GetAsync(new Uri((hub ?? _hub).Address, path));
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.Delta);
    }

    /// <summary>The HTTP status, and the google.rpc.Status code and ErrorInfo reason of the JSON body.</summary>
    private static (HttpStatusCode Status, int Code, string? Reason) Refusal(Answer answer)
    {
        Assert.True(answer.MediaType == "application/json", $"{answer.Status}: {answer.MediaType} {answer.Body}");
        using var json = JsonDocument.Parse(answer.Body);
        var root = json.RootElement;
        var info = root.GetProperty("details").EnumerateArray()
            .Where(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.ErrorInfo")
            .Select(d => (Reason: d.GetProperty("reason").GetString(), Domain: d.GetProperty("domain").GetString()))
            .Single();
        Assert.Equal("creditexchange.gov", info.Domain);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("message").GetString()));
        return (answer.Status, root.GetProperty("code").GetInt32(), info.Reason);
    }

    /// <summary>The database unreachable for reads while <see cref="Failing"/>: what an outage looks like to the hub.</summary>
    private sealed class ReadFailure : DbCommandInterceptor
    {
        private volatile bool _failing;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            _failing && command.CommandText.Contains("records", StringComparison.Ordinal)
                ? throw new NpgsqlException("Failed to connect", new SocketException(111))
                : base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}
