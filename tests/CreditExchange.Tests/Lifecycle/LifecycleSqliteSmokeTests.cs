using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Tests.Feed;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Records;
using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Lifecycle;

/// <summary>The lifecycle on the embedded default: the same hub on a fresh SQLite file.</summary>
public sealed class LifecycleSqliteSmokeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock();
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(postgresConnectionString: null, time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task ObjectionCorrectionAndHistory_OnSqlite()
    {
        var record = await _hub.SubmitAsync();
        var filed = await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = "异议" });
        var answered = await _hub.Lifecycle("court").AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = filed.Objection.ObjectionId,
            ExpectedVersion = 2,
            Outcome = ObjectionState.Corrected,
            Answer = "已更正",
            CorrectedContent = LifecycleKit.Corrected(record.Content),
        });
        var stale = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 2, Reason = "撤销" }).ResponseAsync);
        var revoked = await _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 3, Reason = "撤销" });
        var history = await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId });

        Assert.Equal(RecordStatus.Corrected, answered.Record.Status);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal(RecordStatus.Revoked, revoked.Record.Status);
        Assert.Equal([1L, 2, 3, 4], history.Versions.Select(v => v.Version));
        Assert.Equal(record.Content, history.Versions[0].Content);
        Assert.Equal([1L, 2, 3, 4], _hub.Events(record.RecordId).Select(e => e.Version));
    }

    [Fact]
    public async Task ExpiryRepairAndOverdue_OnSqlite()
    {
        var minor = await _hub.SubmitAsync(Severity.Minor, "2026-10-15", "finance");
        var general = await _hub.SubmitAsync(Severity.General, "2026-10-15");
        await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = general.RecordId, ExpectedVersion = 1, Grounds = "异议" });
        var repair = await _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest { RecordId = minor.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺" });

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 10)));
        var overdue = await _hub.Lifecycle("drc").ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest());
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2027, 1, 15)));
        await _hub.ExpireDueAsync();
        var history = await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = minor.RecordId });

        Assert.True(Assert.Single(overdue.Objections).Overdue);
        Assert.Equal(RecordStatus.Expired, history.Record.Status);
        // Expiry ends publication only: the pending application stays for the source agency to decide.
        Assert.Equal(RepairState.Pending, Assert.Single(history.Repairs).State);
        Assert.Equal(repair.Repair.RepairId, history.Repairs[0].RepairId);
        Assert.Equal(RecordStatus.InDispute, (await _hub.GetAsync(general.RecordId)).Status);
        var decided = await _hub.Lifecycle("finance").DecideRepairAsync(new DecideRepairRequest
        {
            RepairId = repair.Repair.RepairId, ExpectedVersion = history.Record.Version, Decision = RepairState.Approved, Reason = "已履行",
        });
        Assert.Equal(RecordStatus.Repaired, decided.Record.Status);
    }

    [Fact]
    public async Task EffectEnd_AtTheDaysStart_OnSqlite()
    {
        // 警告 decided 2026-05-27: in force to 2026-11-26; the background sweep after midnight records its end.
        var warning = (await _hub.Records("supervision").SubmitRecordAsync(LawRecordsTestData.Sanction(SanctionKind.Warning, "2026-05-27"))).Record;
        using var feed = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0, Changes = { RecordChange.EffectEnded } });

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 11, 27)).AddSeconds(6));
        var lift = (await feed.ReadEventsAsync(1)).Single();

        Assert.Equal((warning.RecordId, PunishmentAction.Lift, 2L), (lift.RecordId, lift.Action, lift.RecordVersion));
        Assert.False(lift.Record.Standing.InForce);
        Assert.Equal(0, await _hub.Services.GetRequiredService<ExpirySweeper>().RecordEffectEndsAsync());
        Assert.Equal([1L, 2], _hub.Events(warning.RecordId).Select(e => e.Version));
    }
}
