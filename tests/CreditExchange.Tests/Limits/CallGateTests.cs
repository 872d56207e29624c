using System.Data.Common;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Limits;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Tests.Limits;

/// <summary>
/// The unary call gate (Hub:Limits:MaxConcurrentCalls): a call beyond it waits its turn while health is
/// answered at once; a full queue refuses at once; a call whose deadline passes in the queue ends with it.
/// </summary>
[Collection("postgres")]
public sealed class CallGateTests(PostgresFixture postgres)
{
    /// <summary>A hub with one turn (Hub:Limits:MaxConcurrentCalls = 1), held by a GetRecord whose query waits until the reads open.</summary>
    private async Task<(HubHost Hub, RecordReadGate Reads, string Id, Task<GetRecordResponse> Running)> HoldTheOnlyTurnAsync(int queued)
    {
        var reads = new RecordReadGate();
        var hub = await HubHost.StartAsync(
            await postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?> { ["Hub:Limits:MaxConcurrentCalls"] = "1", ["Hub:Limits:MaxQueuedCalls"] = queued.ToString() },
            services: s => s.AddSingleton<IInterceptor>(reads));
        var id = (await hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record.RecordId;
        await hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id }); // warm: token, channel
        reads.Close();
        var running = hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync;
        await reads.HeldAsync();
        return (hub, reads, id, running);
    }

    [Fact]
    public async Task GateFull_NextCallWaitsItsTurn_HealthAnsweredMeanwhile()
    {
        var (hub, reads, id, running) = await HoldTheOnlyTurnAsync(queued: 100);
        await using var _ = hub;
        var gate = hub.Services.GetRequiredService<CallGate>();

        var waiting = hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync;
        await Eventually.HoldsAsync(() => gate.Queued == 1);

        var health = await new Health.HealthClient(hub.Channel(TestCertificates.Agency("drc")))
            .CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.False(running.IsCompleted);
        Assert.False(waiting.IsCompleted);

        reads.Open();
        Assert.Equal(id, (await running).Record.RecordId);
        Assert.Equal(id, (await waiting).Record.RecordId);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task QueueFull_CallRefusedAtOnce_RateLimitedWithRetryInfo()
    {
        var (hub, reads, id, running) = await HoldTheOnlyTurnAsync(queued: 0);
        await using var _ = hub;

        var refused = await Assert.ThrowsAsync<RpcException>(() => hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync);
        reads.Open();
        await running;

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("RATE_LIMITED", TestData.Reason(refused));
        Assert.NotNull(refused.GetRpcStatus()?.GetDetail<RetryInfo>());
        Assert.Equal(id, (await hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id })).Record.RecordId);
    }

    [Fact]
    public async Task DeadlinePassesInTheQueue_DeadlineExceeded_GateStillWorks()
    {
        var (hub, reads, id, running) = await HoldTheOnlyTurnAsync(queued: 100);
        await using var _ = hub;
        var gate = hub.Services.GetRequiredService<CallGate>();

        var late = await Assert.ThrowsAsync<RpcException>(() =>
            hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id }, deadline: DateTime.UtcNow.AddMilliseconds(500)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, late.StatusCode);
        await Eventually.HoldsAsync(() => gate.Queued == 0);
        reads.Open();

        await running;
        Assert.Equal(id, (await hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id })).Record.RecordId);
    }

    /// <summary>Holds, while closed, every query of the records table until opened: a call that keeps its turn.</summary>
    private sealed class RecordReadGate : DbCommandInterceptor
    {
        private readonly CommandHold _hold = new();

        public void Close() => _hold.Close();

        public void Open() => _hold.Open();

        public Task HeldAsync() => _hold.HeldAsync();

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            var text = command.CommandText.TrimStart();
            if (text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && text.Contains("FROM records AS", StringComparison.Ordinal))
            {
                await _hold.PassAsync();
            }

            return await base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
