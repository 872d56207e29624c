using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;

namespace CreditExchange.Tests.Limits;

/// <summary>Per-agency rate limits and the server-side deadline, over real PostgreSQL.</summary>
[Collection("postgres")]
public sealed class LimitTests(PostgresFixture postgres) : IAsyncLifetime
{
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(
        await postgres.CreateDatabaseAsync(),
        new Dictionary<string, string?>
        {
            ["Hub:Limits:TokenLimit"] = "3",
            ["Hub:Limits:TokensPerPeriod"] = "3",
            ["Hub:Limits:ReplenishmentPeriod"] = "00:00:01",
            ["Hub:Limits:MaxCallDuration"] = "00:00:01.500",
        });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task RateLimit_Exceeded_ResourceExhaustedWithRetryInfo_ThenRecovers()
    {
        var court = new ReceiptService.ReceiptServiceClient(_hub.AgencyChannel("court"));
        RpcException? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            try
            {
                await court.GetReceiptKeysAsync(new GetReceiptKeysRequest());
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("RATE_LIMITED", TestData.Reason(refused));
        var retry = refused.GetRpcStatus()?.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));

        // Other agencies have their own buckets.
        await new ReceiptService.ReceiptServiceClient(_hub.AgencyChannel("drc")).GetReceiptKeysAsync(new GetReceiptKeysRequest());
        await Task.Delay(retry.RetryDelay.ToTimeSpan() + TimeSpan.FromMilliseconds(200));
        Assert.NotEmpty((await court.GetReceiptKeysAsync(new GetReceiptKeysRequest())).Keys);
    }

    [Fact]
    public async Task OpenStream_LongerThanMaxCallDuration_DeadlineExceededAndAudited()
    {
        using var stream = _hub.Records("supervision").SubmitRecords();
        await stream.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission(Category.DisciplinarySanction) });

        var closed = await Task.WhenAny(stream.ResponseAsync, Task.Delay(TimeSpan.FromSeconds(5)));

        Assert.Same(stream.ResponseAsync, closed);
        var e = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        await Task.Delay(300);
        var entries = (await new AuditService.AuditServiceClient(_hub.AgencyChannel("drc"))
            .ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "supervision" })).Entries;
        Assert.Contains(entries, x => x.Method.EndsWith("/SubmitRecords", StringComparison.Ordinal) && x.Outcome.Code == (int)StatusCode.DeadlineExceeded);
    }
}
