using System.Data.Common;
using System.Diagnostics;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Appraisal;
using CreditExchange.Server.Database;
using CreditExchange.Server.Limits;
using CreditExchange.Tests.Appraisal;
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
/// answered at once; an agency that holds its share waits behind itself while another agency is answered; bulk calls wait in a lane of their own, which a bulk call beside short ones keeps for its share of the time; a full queue refuses at once; a call whose deadline passes in the queue ends with it; the hub's own background batches wait for the calls, within their share.
/// </summary>
[Collection("postgres")]
public sealed class CallGateTests(PostgresFixture postgres)
{
    /// <summary>One turn in the bulk lane, sixteen in the gate.</summary>
    private static readonly Dictionary<string, string?> OneBulkTurn = new() { ["Hub:Limits:MaxConcurrentBulkCalls"] = "1", ["Hub:Limits:MaxConcurrentCalls"] = "16" };

    /// <summary>A hub on a fresh database (its connection string extended by <paramref name="connectionSettings"/>) whose record reads a test can hold.</summary>
    private async Task<(HubHost Hub, RecordReadGate Reads)> StartWithReadGateAsync(Dictionary<string, string?>? settings = null, string connectionSettings = "")
    {
        var reads = new RecordReadGate();
        var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync() + connectionSettings, settings, services: s => s.AddSingleton<IInterceptor>(reads));
        return (hub, reads);
    }

    /// <summary>A hub with one turn (Hub:Limits:MaxConcurrentCalls = 1), held by a GetRecord whose query waits until the reads open.</summary>
    private async Task<(HubHost Hub, RecordReadGate Reads, string Id, Task<GetRecordResponse> Running)> HoldTheOnlyTurnAsync(int queued, int turns = 1, int turnsPerAgency = 1)
    {
        var (hub, reads) = await StartWithReadGateAsync(new Dictionary<string, string?>
        {
            ["Hub:Limits:MaxConcurrentCalls"] = turns.ToString(),
            ["Hub:Limits:MaxConcurrentCallsPerAgency"] = turnsPerAgency.ToString(),
            ["Hub:Limits:MaxQueuedCalls"] = queued.ToString(),
        });
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
    public async Task AgencyHoldsItsOnlyTurn_ItsNextCallWaits_AnotherAgencyIsAnsweredMeanwhile()
    {
        // Two turns for the hub, one per agency: the DRC's held call takes its agency's only turn.
        var (hub, reads, id, running) = await HoldTheOnlyTurnAsync(queued: 100, turns: 2, turnsPerAgency: 1);
        await using var _ = hub;
        var gate = hub.Services.GetRequiredService<CallGate>();

        var waiting = hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync;
        await Eventually.HoldsAsync(() => gate.Queued == 1);

        // The hub's second turn stayed free for the court: without the agency's bound the DRC's second call had taken it.
        var keys = await new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("court")).GetReceiptKeysAsync(new GetReceiptKeysRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.NotEmpty(keys.Keys);
        Assert.False(running.IsCompleted);
        Assert.False(waiting.IsCompleted);

        reads.Open();
        Assert.Equal(id, (await running).Record.RecordId);
        Assert.Equal(id, (await waiting).Record.RecordId);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task BulkLaneFull_NextBulkCallWaits_ShortCallsAnsweredMeanwhile()
    {
        // GetCreditFile is bulk in the contract.
        var (hub, reads) = await StartWithReadGateAsync(OneBulkTurn);
        await using var _ = hub;
        var submission = TestData.Submission();
        await hub.Records("court").SubmitRecordAsync(submission);
        var file = new CreditFileService.CreditFileServiceClient(hub.AgencyChannel("drc"));
        var request = new GetCreditFileRequest { Subject = new SubjectKey { CreditCode = submission.Record.Subject.GovernmentBody.CreditCode } };
        Assert.Equal(1, (await file.GetCreditFileAsync(request)).CreditFile.TotalEntries);
        var gate = hub.Services.GetRequiredService<CallGate>();

        reads.Close();
        var running = file.GetCreditFileAsync(request).ResponseAsync;
        await reads.HeldAsync();
        var waiting = file.GetCreditFileAsync(request).ResponseAsync;
        await Eventually.HoldsAsync(() => gate.Queued == 1);

        var keys = await new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("drc")).GetReceiptKeysAsync(new GetReceiptKeysRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.NotEmpty(keys.Keys);
        Assert.Equal(1, reads.Held);
        Assert.False(waiting.IsCompleted);

        reads.Open();
        Assert.Equal(1, (await running).CreditFile.TotalEntries);
        Assert.Equal(1, (await waiting).CreditFile.TotalEntries);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task SubjectWithManyRecords_ItsNextCheckWaitsInTheBulkLane_OtherChecksDoNot()
    {
        var (hub, reads) = await StartWithReadGateAsync(OneBulkTurn);
        await using var _ = hub;
        var hot = AppraisalTestData.Body();
        var start = new DateOnly(2025, 1, 1);
        await AppraisalTestData.SubmitAllAsync(hub, Enumerable.Range(0, HotSubjects.Threshold).Select(i =>
            AppraisalTestData.Record(hot, Category.JudicialJudgment, Severity.General, start.AddDays(i % 300))));
        var cold = AppraisalTestData.Body();
        await AppraisalTestData.SubmitAsync(hub, AppraisalTestData.Record(cold, Category.JudicialJudgment, Severity.General, start));
        var checks = new AppraisalService.AppraisalServiceClient(hub.AgencyChannel("organization"));
        CheckCandidateRequest Check(Subject subject) => new() { Subject = AppraisalTestData.KeyOf(subject), Purpose = new Purpose { AppraisalType = AppraisalType.Honors, CaseReference = "内组评〔2026〕7号" } };
        // The first check of the subject finds its records: from then on it is hot on this hub.
        Assert.NotEqual(Decision.Unspecified, (await checks.CheckCandidateAsync(Check(hot))).Result.Decision);
        var gate = hub.Services.GetRequiredService<CallGate>();

        // A credit file holds the only turn of the bulk lane.
        reads.Close();
        var file = new CreditFileService.CreditFileServiceClient(hub.AgencyChannel("drc"))
            .GetCreditFileAsync(new GetCreditFileRequest { Subject = AppraisalTestData.KeyOf(cold) }).ResponseAsync;
        await Eventually.HoldsAsync(() => reads.Held == 1);

        var hotCheck = checks.CheckCandidateAsync(Check(hot)).ResponseAsync;
        await Eventually.HoldsAsync(() => gate.Queued == 1);
        var coldCheck = checks.CheckCandidateAsync(Check(cold)).ResponseAsync;
        await Eventually.HoldsAsync(() => reads.Held == 2); // in its turn, at its read: not queued behind the lane
        Assert.Equal(1, gate.Queued);
        Assert.False(hotCheck.IsCompleted);

        reads.Open();
        Assert.Equal(1, (await file).CreditFile.TotalEntries);
        Assert.NotEqual(Decision.Unspecified, (await coldCheck).Result.Decision);
        Assert.NotEqual(Decision.Unspecified, (await hotCheck).Result.Decision);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task BulkCallEndsWhileAShortCallWaits_ItsLaneTurnStaysTakenForItsShare_TheShortCallGoesOnAtOnce()
    {
        // One turn for the hub and one for the bulk lane; bulk calls may take a fifth of the lane's time beside short ones.
        var (hub, reads) = await StartWithReadGateAsync(new Dictionary<string, string?>
        {
            ["Hub:Limits:MaxConcurrentBulkCalls"] = "1",
            ["Hub:Limits:MaxConcurrentCalls"] = "1",
            ["Hub:Limits:BulkLaneShare"] = "20",
        });
        await using var _ = hub;
        var submission = TestData.Submission();
        var id = (await hub.Records("court").SubmitRecordAsync(submission)).Record.RecordId;
        var file = new CreditFileService.CreditFileServiceClient(hub.AgencyChannel("drc"));
        var request = new GetCreditFileRequest { Subject = new SubjectKey { CreditCode = submission.Record.Subject.GovernmentBody.CreditCode } };
        Assert.Equal(1, (await file.GetCreditFileAsync(request)).CreditFile.TotalEntries);
        var gate = hub.Services.GetRequiredService<CallGate>();
        Assert.True(gate.BulkLaneIdle); // nothing beside it: the turn came back at once

        // The credit file runs at least a second, while a short call waits for the hub's only turn.
        reads.Close();
        var bulk = file.GetCreditFileAsync(request).ResponseAsync;
        await reads.HeldAsync();
        var ran = System.Diagnostics.Stopwatch.StartNew();
        var shortCall = hub.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync;
        await Eventually.HoldsAsync(() => gate.Queued == 1);
        await Task.Delay(TimeSpan.FromSeconds(1) - ran.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        reads.Open();

        Assert.Equal(1, (await bulk).CreditFile.TotalEntries);
        var answered = System.Diagnostics.Stopwatch.StartNew();
        // The short call had the hub's turn as soon as the bulk call ended; the lane stays taken (4 × at least 1 s).
        Assert.Equal(id, (await shortCall).Record.RecordId);
        Assert.False(gate.BulkLaneIdle);
        await Eventually.HoldsAsync(() => gate.BulkLaneIdle, seconds: 60);
        Assert.True(answered.Elapsed >= TimeSpan.FromSeconds(2), $"the lane was back after {answered.Elapsed}");

        // The next bulk call, alone, gives its turn back at once.
        Assert.Equal(1, (await file.GetCreditFileAsync(request)).CreditFile.TotalEntries);
        Assert.True(gate.BulkLaneIdle);
    }

    [Fact]
    public async Task EveryPooledConnectionHeldByCalls_HealthStillServing()
    {
        // The hub's pool has two connections, both held by calls whose record reads wait: the probe writes through its own.
        var (hub, reads) = await StartWithReadGateAsync(connectionSettings: ";Maximum Pool Size=2;Timeout=30");
        await using var _ = hub;
        var id = (await hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record.RecordId;
        reads.Close();
        var held = new[]
        {
            hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync,
            hub.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync,
        };
        await Eventually.HoldsAsync(() => reads.Held == 2);

        // Older than the probe interval, the last probe is not reused: this check writes anew.
        await Task.Delay(StorageStatus.ProbeInterval + TimeSpan.FromMilliseconds(100));
        var health = await new Health.HealthClient(hub.Channel(TestCertificates.Agency("drc")))
            .CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.All(held, call => Assert.False(call.IsCompleted));

        reads.Open();
        foreach (var call in held)
        {
            Assert.Equal(id, (await call).Record.RecordId);
        }
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
    [Fact]
    public async Task BackgroundBatch_WhileACallRuns_WaitsUntilTheCallEnds_WithNoCall_GoesOnAtOnce()
    {
        var (hub, reads, id, running) = await HoldTheOnlyTurnAsync(queued: 100);
        await using var _ = hub;
        var gate = hub.Services.GetRequiredService<CallGate>();
        var pacing = hub.Services.GetRequiredService<BackgroundPacing>();
        Assert.True(gate.Busy);

        // A batch of 10 s may wait up to 90 s (10 % share): it waits for the call, not for the 90 s.
        var afterBatch = pacing.AfterBatchAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        await Task.Delay(BackgroundPacing.Poll * 20);
        Assert.False(afterBatch.IsCompleted);
        reads.Open();
        Assert.Equal(id, (await running).Record.RecordId);
        await afterBatch.WaitAsync(TimeSpan.FromSeconds(60));

        await Eventually.HoldsAsync(() => !gate.Busy);
        await pacing.AfterBatchAsync(TimeSpan.FromSeconds(10), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task BackgroundBatch_CallsThatDoNotEnd_GoesOnAfterNineTimesItsOwnTime()
    {
        var (hub, reads, id, running) = await HoldTheOnlyTurnAsync(queued: 100);
        await using var _ = hub;
        var pacing = hub.Services.GetRequiredService<BackgroundPacing>();

        var batch = TimeSpan.FromMilliseconds(50);
        var waited = Stopwatch.StartNew();
        await pacing.AfterBatchAsync(batch, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(waited.Elapsed >= BackgroundPacing.LongestWait(batch, 10), $"went on after {waited.Elapsed.TotalMilliseconds:N0} ms");
        Assert.Equal(TimeSpan.FromMilliseconds(450), BackgroundPacing.LongestWait(batch, 10));
        Assert.False(running.IsCompleted);

        reads.Open();
        Assert.Equal(id, (await running).Record.RecordId);
    }

    private sealed class RecordReadGate : DbCommandInterceptor
    {
        private readonly CommandHold _hold = new();

        public void Close() => _hold.Close();

        public void Open() => _hold.Open();

        public Task HeldAsync() => _hold.HeldAsync();

        public int Held => _hold.Held;

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
