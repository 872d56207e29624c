using System.Diagnostics.Metrics;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Server.Receipts;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Audit;

/// <summary>Where time-stamping stands, as the checkpointer last saw it: for health and metrics.</summary>
public sealed class AuditTimestampStatus
{
    private long _unstamped;

    public AuditTimestampStatus(IMeterFactory meters)
    {
        meters.Create(Telemetry.HubMetrics.MeterName).CreateObservableGauge(
            "creditexchange.audit.checkpoints_unstamped",
            () => Interlocked.Read(ref _unstamped),
            "{checkpoint}",
            "Stored audit checkpoints the time-stamping authority (Hub:Audit:TsaUrl) has not time-stamped yet: all of them when none is configured.");
    }

    /// <summary>Checkpoints waiting for a time-stamp.</summary>
    public long Unstamped
    {
        get => Interlocked.Read(ref _unstamped);
        set => Interlocked.Exchange(ref _unstamped, value);
    }

    /// <summary>Why the authority last failed, while it fails; null once it answers.</summary>
    public string? Failure { get; set; }

    /// <summary>Since when it fails.</summary>
    public DateTime? FailingSince { get; set; }
}

/// <summary>
/// Stores a signed checkpoint of the chain head this hub sealed, every <see cref="AuditOptions.CheckpointInterval"/>
/// when it sealed something since the last checkpoint (of several hubs, one at a time writes, under a PostgreSQL
/// advisory lock, and a chain position is checkpointed once: a unique index), then has every checkpoint not yet
/// time-stamped stamped by the authority (<see cref="TimestampAuthorityClient"/>). An unreachable authority never
/// stops the hub: the checkpoints stay pending, health and the metric creditexchange.audit.checkpoints_unstamped show
/// the backlog, and the next interval stamps it once the authority answers. Only a head the process sealed itself
/// (<see cref="AuditSegments.LastSealed"/>) is checkpointed: never one read back from a database someone else could write.
/// </summary>
public sealed class AuditCheckpointer(
    IServiceScopeFactory scopes, AuditSegments segments, ChainCheckpoints checkpoints, TimestampAuthorityClient authority, AuditTimestampStatus status,
    IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditCheckpointer> logger)
    : BackgroundService
{
    private const int StampBatch = 100;
    private readonly Database.LoopFailures _failures = new(logger, "Audit checkpoints");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckpointOnceAsync(stoppingToken);
                await StampBacklogAsync(stoppingToken);
                _failures.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _failures.Failed(e);
            }
        }
    }

    /// <summary>Stores a checkpoint of the head this process sealed last when it is beyond the last stored one; answers its number, or null.</summary>
    public async Task<long?> CheckpointOnceAsync(CancellationToken ct)
    {
        if (segments.LastSealed is not { } head)
        {
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<AuditCheckpointStore>();
        long? stored = null;
        await store.WriteExclusivelyAsync(
            async () =>
            {
                var latest = await store.LatestAsync(ct);
                if (latest is not null && (latest.ChainSegment > head.Segment || (latest.ChainSegment == head.Segment && latest.ChainPosition >= head.Position)))
                {
                    return;
                }

                var now = time.GetUtcNow();
                var number = (latest?.Number ?? 0) + 1;
                var entries = scope.ServiceProvider.GetRequiredService<AuditStore>();
                var from = await ChainCheckpoints.NextTreeStartAsync(entries, store, head.Segment, ct);
                var tree = await ChainCheckpoints.TreeAsync(entries, scope.ServiceProvider.GetRequiredService<Privacy.PersonalDataProtector>(), head.Segment, from, head.Position, ct);
                var (statement, keyId, signature) = checkpoints.Sign(head.Segment, head.Position, head.Hash, now, number, tree);
                store.Add(new AuditCheckpointEntity
                {
                    Number = number,
                    ChainSegment = head.Segment,
                    ChainPosition = head.Position,
                    EntryHash = head.Hash,
                    Statement = statement,
                    KeyId = keyId,
                    Signature = signature,
                    CreatedAt = now.UtcDateTime,
                    StampStatus = Storage.Entities.CheckpointStampStatus.Pending,
                });
                stored = number;
            },
            ct);
        if (stored is { } written)
        {
            Log.AuditCheckpointStored(logger, written, head.Segment, head.Position);
        }

        return stored;
    }

    /// <summary>Has the checkpoints not yet time-stamped stamped, oldest first, until the authority fails; answers how many it stamped.</summary>
    public async Task<int> StampBacklogAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<AuditCheckpointStore>();
        var stamped = 0;
        try
        {
            if (!authority.Configured)
            {
                return 0;
            }

            while (true)
            {
                var batch = await store.UnstampedAsync(StampBatch, ct);
                foreach (var checkpoint in batch)
                {
                    try
                    {
                        var (token, at) = await authority.StampAsync(checkpoint.Statement, ct);
                        if (await store.StampAsync(checkpoint.Number, token, at, ct))
                        {
                            stamped++;
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TimestampRejectedException || (e is TaskCanceledException && !ct.IsCancellationRequested))
                    {
                        var why = e is TaskCanceledException ? $"it did not answer within {options.Value.TsaTimeout}." : e.Message;
                        if (status.Failure is null)
                        {
                            status.FailingSince = time.GetUtcNow().UtcDateTime;
                        }

                        status.Failure = why;
                        Log.AuditTimestampFailed(logger, authority.Url!.ToString(), checkpoint.Number, why, await store.CountUnstampedAsync(ct), options.Value.CheckpointInterval);
                        return stamped;
                    }
                }

                if (batch.Count < StampBatch)
                {
                    break;
                }
            }

            if (status.Failure is not null)
            {
                Log.AuditTimestampsCaughtUp(logger, authority.Url!.ToString(), stamped);
            }

            status.Failure = null;
            status.FailingSince = null;
            return stamped;
        }
        finally
        {
            status.Unstamped = await store.CountUnstampedAsync(ct);
        }
    }
}

/// <summary>
/// Health of the time-stamping of audit checkpoints: Degraded while checkpoints wait because the authority fails (the
/// hub keeps serving: not part of readiness), Healthy otherwise, saying so when no authority is configured.
/// </summary>
public sealed class AuditTimestampHealthCheck(AuditTimestampStatus status, TimestampAuthorityClient authority) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["unstamped"] = status.Unstamped };
        if (!authority.Configured)
        {
            return Task.FromResult(HealthCheckResult.Healthy(
                "No time-stamping authority is configured (Hub:Audit:TsaUrl): audit checkpoints are signed by the hub but not time-stamped.", data));
        }

        return Task.FromResult(status.Failure is { } failure && status.Unstamped > 0
            ? HealthCheckResult.Degraded(
                $"{status.Unstamped} audit checkpoints wait for a time-stamp: the authority at {authority.Url} fails since {status.FailingSince:u}: {failure}", data: data)
            : HealthCheckResult.Healthy($"Audit checkpoints are time-stamped by {authority.Url}; {status.Unstamped} waiting.", data));
    }
}
