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
    private async Task<(HubHost Hub, RecordReadGate Reads, string RecordId)> StartAsync(int queued)
    {
        var reads = new RecordReadGate();
        var hub = await HubHost.StartAsync(
            await postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?> { ["Hub:Limits:MaxConcurrentCalls"] = "1", ["Hub:Limits:MaxQueuedCalls"] = queued.ToString() },
            services: s => s.AddSingleton<IInterceptor>(reads));
        var submitted = await hub.Records("court").SubmitRecordAsync(TestData.Submission());
        await hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = submitted.Record.RecordId }); // warm: token, channel
        return (hub, reads, submitted.Record.RecordId);
    }

    [Fact]
    public async Task GateFull_NextCallWaitsItsTurn_HealthAnsweredMeanwhile()
    {
        var (hub, reads, id) = await StartAsync(queued: 100);
        await using var _ = hub;
        var drc = hub.Records("drc");
        var gate = hub.Services.GetRequiredService<CallGate>();

        reads.Close();
        var running = drc.GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync;
        await reads.HeldAsync();
        var waiting = drc.GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync;
        await WaitUntilAsync(() => gate.Queued == 1);

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
        var (hub, reads, id) = await StartAsync(queued: 0);
        await using var _ = hub;
        var drc = hub.Records("drc");

        reads.Close();
        var running = drc.GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync;
        await reads.HeldAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(() => drc.GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync);
        reads.Open();
        await running;

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("RATE_LIMITED", TestData.Reason(refused));
        Assert.NotNull(refused.GetRpcStatus()?.GetDetail<RetryInfo>());
        Assert.Equal(id, (await drc.GetRecordAsync(new GetRecordRequest { RecordId = id })).Record.RecordId);
    }

    [Fact]
    public async Task DeadlinePassesInTheQueue_DeadlineExceeded_GateStillWorks()
    {
        var (hub, reads, id) = await StartAsync(queued: 100);
        await using var _ = hub;
        var drc = hub.Records("drc");
        var gate = hub.Services.GetRequiredService<CallGate>();

        reads.Close();
        var running = drc.GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync;
        await reads.HeldAsync();
        var late = await Assert.ThrowsAsync<RpcException>(() =>
            drc.GetRecordAsync(new GetRecordRequest { RecordId = id }, deadline: DateTime.UtcNow.AddMilliseconds(500)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, late.StatusCode);
        await WaitUntilAsync(() => gate.Queued == 0);
        reads.Open();

        await running;
        Assert.Equal(id, (await drc.GetRecordAsync(new GetRecordRequest { RecordId = id })).Record.RecordId);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    /// <summary>Holds the next query of the records table, while closed, until opened: a call that keeps its turn.</summary>
    private sealed class RecordReadGate : DbCommandInterceptor
    {
        private readonly Lock _lock = new();
        private TaskCompletionSource _open = Completed();
        private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Close()
        {
            lock (_lock)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Open()
        {
            lock (_lock)
            {
                _open.TrySetResult();
            }
        }

        public Task HeldAsync()
        {
            lock (_lock)
            {
                return _held.Task;
            }
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            var text = command.CommandText.TrimStart();
            if (text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && text.Contains("FROM records AS", StringComparison.Ordinal))
            {
                Task open;
                lock (_lock)
                {
                    open = _open.Task;
                    if (!open.IsCompleted)
                    {
                        _held.TrySetResult();
                    }
                }

                await open;
            }

            return await base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        private static TaskCompletionSource Completed()
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.SetResult();
            return done;
        }
    }
}
