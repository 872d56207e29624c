using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Audit;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Feed;

/// <summary>
/// Every agency that received a record learns when it changes (issue 25, items 1–3), through the public RPCs on real
/// PostgreSQL with a fake clock: the recipient ledger kept from what calls answered, the received_only feed filter,
/// GetChangeReach, the reach statistics and their metric.
/// </summary>
[Collection("postgres")]
public sealed class ChangeReachTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // Thursday 2026-11-26, Beijing
    private HubHost _hub = null!;
    private string _database = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(_database = await postgres.CreateDatabaseAsync(), time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private AuditService.AuditServiceClient Audit(string agency = "drc") => new(_hub.AgencyChannel(agency));

    [Fact]
    public async Task ReaderThatNeverSubscribed_GetsExactlyTheCorrection_OthersNothing_ReachShowsDeliveredThenAcknowledged()
    {
        var record = await _hub.SubmitAsync();
        var other = await _hub.SubmitAsync(); // organization never reads this one
        var read = await _hub.Records("organization").GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId });
        Assert.Equal(1, read.Record.Version);

        // Before the change: a past recipient of nothing yet.
        await _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, Content = LifecycleKit.Corrected(record.Content), Reason = "文书更正",
        });
        await _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = other.RecordId, ExpectedVersion = 1, Content = LifecycleKit.Corrected(other.Content), Reason = "文书更正",
        });
        await _hub.PublishAsync();

        var reach = await Audit().GetChangeReachAsync(new GetChangeReachRequest { RecordId = record.RecordId, Version = 2 });
        Assert.Equal((RecordChange.Corrected, "court", 2L), (reach.Change, reach.ChangedByAgencyId, reach.Version));
        Assert.True(reach.Sequence > 0);
        Assert.Equal(("change-acknowledgement", "2026-12-01"), (reach.AcknowledgementLimit.Rule, reach.AcknowledgementLimit.DueDate));
        var before = Assert.Single(reach.Recipients);
        Assert.Equal(("organization", 1L, 1L, false, false), (before.AgencyId, before.FirstVersion, before.LatestVersion, before.Delivered, before.Acknowledged));

        // The follower of "changes to records I received" gets exactly that UPDATE, though it asked for no category.
        using (var follower = _hub.Feed("organization").Subscribe(new SubscribeRequest { AfterSequence = 0, ReceivedOnly = true, HeartbeatSeconds = 1 }))
        {
            var (events, _) = await ReadUntilEvaluatedAsync(follower, reach.Sequence + 1);
            var update = Assert.Single(events);
            Assert.Equal((record.RecordId, 2L, RecordChange.Corrected, PunishmentAction.Update), (update.RecordId, update.RecordVersion, update.Change, update.Action));
            Assert.NotNull(update.Record);
        }

        // An agency that never received the record gets nothing.
        using (var stranger = _hub.Feed("hrss").Subscribe(new SubscribeRequest { AfterSequence = 0, ReceivedOnly = true, HeartbeatSeconds = 1 }))
        {
            var (events, _) = await ReadUntilEvaluatedAsync(stranger, reach.Sequence + 1);
            Assert.Empty(events);
        }

        // Delivered once the feed batch's audit entry (and the ledger with it) committed.
        await Eventually.HoldsAsync(async () => (await Reach(record.RecordId, 2)).Recipients.Single().Delivered, seconds: 60);
        var delivered = Assert.Single((await Reach(record.RecordId, 2)).Recipients);
        Assert.Equal((2L, false), (delivered.LatestVersion, delivered.Acknowledged));

        await _hub.Feed("organization").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "changes", Sequence = reach.Sequence });
        var acknowledged = await Reach(record.RecordId, 2);
        var recipient = Assert.Single(acknowledged.Recipients);
        Assert.True(recipient.Acknowledged);
        Assert.Equal(_clock.GetUtcNow(), recipient.AcknowledgedAt.ToDateTimeOffset());
        Assert.Equal((1, 1), (acknowledged.DeliveredCount, acknowledged.AcknowledgedCount));

        // The other record's change reached nobody: organization never received it, court made it.
        Assert.Empty((await Reach(other.RecordId, 2)).Recipients);
    }

    [Fact]
    public async Task SameVersionReadAgain_LedgerRowNeitherWrittenNorLocked_NextVersionRead_Widens()
    {
        var record = await _hub.SubmitAsync();
        await _hub.Records("organization").GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId });
        var first = await LedgerRowAsync(record.RecordId, "organization");

        // Read again, the same version: the ledger already says so; its row is not touched (no new row version, no lock).
        await _hub.Records("organization").GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId });
        await _hub.Records("organization").GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId });
        Assert.Equal(first, await LedgerRowAsync(record.RecordId, "organization"));
        Assert.Equal((1L, 1L, "0"), (first.First, first.Latest, first.Xmax));

        // The next version read: the row widens to it, its first version kept.
        await _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, Content = LifecycleKit.Corrected(record.Content), Reason = "文书更正",
        });
        await _hub.Records("organization").GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId });
        var widened = await LedgerRowAsync(record.RecordId, "organization");
        Assert.Equal((1L, 2L), (widened.First, widened.Latest));
        Assert.NotEqual(first.Xmin, widened.Xmin);
    }

    /// <summary>The ledger row of a record and agency, with its row version (xmin) and lock mark (xmax) as PostgreSQL keeps them.</summary>
    private async Task<(long First, long Latest, string Xmin, string Xmax)> LedgerRowAsync(string recordId, string agency)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            """SELECT "FirstVersion", "LatestVersion", xmin::text, xmax::text FROM record_deliveries WHERE "RecordId" = @id AND "AgencyId" = @agency""", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(recordId));
        command.Parameters.AddWithValue("agency", agency);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no ledger row");
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3));
    }

    [Fact]
    public async Task RepairedRecord_EventReachesPastRecipientWithoutContent()
    {
        var record = await _hub.SubmitAsync(decisionDate: "2026-07-01", agency: "finance");
        await _hub.Records("organization").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = Appraisal.AppraisalTestData.KeyOf(record.Content.Subject) });
        var applied = await _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺守信",
        });
        await _hub.Lifecycle("finance").DecideRepairAsync(new DecideRepairRequest
        {
            RepairId = applied.Repair.RepairId, ExpectedVersion = 2, Decision = RepairState.Approved, Reason = "义务已履行，承诺已作出。",
        });
        await _hub.PublishAsync();
        var repaired = await Reach(record.RecordId, 3);
        Assert.Equal(RecordChange.RepairDecided, repaired.Change);

        using var follower = _hub.Feed("organization").Subscribe(new SubscribeRequest { AfterSequence = 0, ReceivedOnly = true, HeartbeatSeconds = 1 });
        var (events, _) = await ReadUntilEvaluatedAsync(follower, repaired.Sequence + 1);
        Assert.Equal([2L, 3L], events.Select(e => e.RecordVersion));
        var lift = events[^1];
        Assert.Equal((RecordChange.RepairDecided, PunishmentAction.Lift), (lift.Change, lift.Action));
        Assert.Null(lift.Record); // sharing stopped: the id and the action tell what to lift

        await Eventually.HoldsAsync(async () => (await Reach(record.RecordId, 3)).Recipients.Single(r => r.AgencyId == "organization").Delivered, seconds: 60);
    }

    [Fact]
    public async Task ReachStatistics_WarnPastTheLimitPerAgencyAndRegion_UntilAcknowledged_MetricCounts()
    {
        var record = await _hub.SubmitAsync();
        await _hub.Records("organization").GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId });
        await _hub.Records("hrss").GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId });
        await _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Reason = "判决撤销" });
        await _hub.PublishAsync();
        var change = await Reach(record.RecordId, 2);
        Assert.Equal(2, change.Recipients.Count);

        // Thursday 26 November: due Tuesday 1 December (Fri 27, Mon 30, Tue 1); nothing is late on the 1st.
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 1), 20));
        Assert.Empty((await Statistics()).Warnings);

        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 2), 9));
        await _hub.Feed("hrss").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "all", Sequence = change.Sequence });
        var late = await Statistics();
        var warning = Assert.Single(late.Warnings);
        Assert.Equal((record.RecordId, 2L, RecordChange.Revoked, "2026-12-01"), (warning.RecordId, warning.Version, warning.Change, warning.DueDate));
        Assert.Equal((2, 0, 1), (warning.RecipientCount, warning.DeliveredCount, warning.AcknowledgedCount));
        Assert.Equal(["organization"], warning.UnacknowledgedAgencyIds);
        var group = Assert.Single(late.Groups);
        Assert.Equal(("organization", 1L, 1L), (group.AgencyId, group.ChangeCount, group.UndeliveredCount));
        Assert.Equal(6, group.DivisionCode.Length);
        Assert.Equal(("change-acknowledgement", 3), (late.AcknowledgementLimit.Rule, late.AcknowledgementLimit.WorkingDays));
        Assert.Contains("国办发〔2025〕22号", late.AcknowledgementLimit.Source, StringComparison.Ordinal);

        // A longer limit asked for: not late yet. Another region: nothing.
        Assert.Empty((await Statistics(new GetChangeReachStatisticsRequest { WorkingDays = 10 })).Warnings);
        Assert.Empty((await Statistics(new GetChangeReachStatisticsRequest { DivisionCode = "110000" })).Groups);

        // The metric: per agency, past the limit, no personal data in its labels.
        var monitor = _hub.Services.GetRequiredService<ChangeReachMonitor>();
        await monitor.RefreshAsync(CancellationToken.None);
        var measurement = Assert.Single(monitor.Counts);
        Assert.Equal(1, measurement.Value);
        Assert.Equal(["agency=organization", "past_limit=True"], measurement.Tags.ToArray().Select(t => $"{t.Key}={t.Value}").Order());

        await _hub.Feed("organization").AcknowledgeEventsAsync(new AcknowledgeEventsRequest { Subscription = "all", Sequence = change.Sequence });
        var done = await Statistics();
        Assert.Empty(done.Warnings);
        Assert.Empty(done.Groups);
        await monitor.RefreshAsync(CancellationToken.None);
        Assert.Empty(monitor.Counts);
    }

    [Fact]
    public async Task AppraisalCheck_DeliversItsDecidingRecords_FailedReadDeliversNothing()
    {
        var record = await _hub.SubmitAsync(severity: Severity.Serious);
        var check = await new Contracts.Appraisal.V1.AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("organization")).CheckCandidateAsync(
            new Contracts.Appraisal.V1.CheckCandidateRequest
            {
                Subject = Appraisal.AppraisalTestData.KeyOf(record.Content.Subject),
                Purpose = new Contracts.Appraisal.V1.Purpose { AppraisalType = Contracts.Appraisal.V1.AppraisalType.Promotion, CaseReference = "2026-干部-001" },
            });
        var deciding = Assert.Single(check.Result.DecidingRecords);
        Assert.Equal((record.RecordId, 1L), (deciding.RecordId, deciding.RecordVersion));

        // court may not read finance's records (no query rights): refused, and nothing delivered.
        var finance = await _hub.SubmitAsync(decisionDate: "2026-07-01", agency: "finance");
        var refused = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = finance.RecordId }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);

        await _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Reason = "判决撤销" });
        await _hub.Lifecycle("finance").RevokeRecordAsync(new RevokeRecordRequest { RecordId = finance.RecordId, ExpectedVersion = 1, Reason = "撤销" });
        await _hub.PublishAsync();
        Assert.Equal("organization", Assert.Single((await Reach(record.RecordId, 2)).Recipients).AgencyId);
        Assert.Empty((await Reach(finance.RecordId, 2)).Recipients);
    }

    [Fact]
    public async Task GetChangeReach_UnknownVersion_NotFound_OnlyForAuditReaders()
    {
        var record = await _hub.SubmitAsync();
        var missing = await Assert.ThrowsAsync<RpcException>(() => Audit().GetChangeReachAsync(new GetChangeReachRequest { RecordId = record.RecordId, Version = 2 }).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, "RECORD_NOT_FOUND"), (missing.StatusCode, TestData.Reason(missing)));
        var version1 = await Assert.ThrowsAsync<RpcException>(() => Audit().GetChangeReachAsync(new GetChangeReachRequest { RecordId = record.RecordId, Version = 1 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, version1.StatusCode);
        var court = await Assert.ThrowsAsync<RpcException>(() => Audit("court").GetChangeReachAsync(new GetChangeReachRequest { RecordId = record.RecordId, Version = 2 }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, court.StatusCode);
        Assert.NotNull(await Audit("supervision").GetChangeReachStatisticsAsync(new GetChangeReachStatisticsRequest()));
    }

    private Task<GetChangeReachResponse> Reach(string recordId, long version) =>
        Audit().GetChangeReachAsync(new GetChangeReachRequest { RecordId = recordId, Version = version }).ResponseAsync;

    private Task<GetChangeReachStatisticsResponse> Statistics(GetChangeReachStatisticsRequest? request = null) =>
        Audit().GetChangeReachStatisticsAsync(request ?? new GetChangeReachStatisticsRequest()).ResponseAsync;

    /// <summary>The events of a stream until a heartbeat says it evaluated the feed up to <paramref name="sequence"/>.</summary>
    private static async Task<(List<FeedEvent> Events, Heartbeat Heartbeat)> ReadUntilEvaluatedAsync(AsyncServerStreamingCall<SubscribeResponse> call, long sequence)
    {
        var events = new List<FeedEvent>();
        while (true)
        {
            var (heartbeat, more) = await call.ReadHeartbeatAsync(seconds: 60);
            events.AddRange(more);
            if (heartbeat.ResumeAfterSequence >= sequence - 1 && heartbeat.LatestSequence >= sequence - 1 && events.All(e => e.Sequence < sequence))
            {
                if (heartbeat.ResumeAfterSequence >= heartbeat.LatestSequence)
                {
                    return (events, heartbeat);
                }
            }
        }
    }
}
