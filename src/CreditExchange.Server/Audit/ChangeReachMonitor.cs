using System.Diagnostics.Metrics;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Storage;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Audit;

/// <summary>
/// Counts, every Hub:Audit:ReachRefreshInterval, the changes each agency received an earlier version of and has not
/// acknowledged — the gauge creditexchange.reach.unacknowledged_changes, by agency and whether past the
/// "change-acknowledgement" limit (no personal data in its labels) — and warns when some are past it.
/// </summary>
public sealed class ChangeReachMonitor : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeLimits _limits;
    private readonly WorkingDayCalendar _calendar;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger<ChangeReachMonitor> _logger;
    private readonly Database.LoopFailures _failures;
    private volatile IReadOnlyList<Measurement<long>> _counts = [];
    private int _lastOverdue;

    public ChangeReachMonitor(
        IServiceScopeFactory scopes, TimeLimits limits, WorkingDayCalendar calendar, TimeProvider time, IOptions<AuditOptions> options, IMeterFactory meters, ILogger<ChangeReachMonitor> logger)
    {
        _scopes = scopes;
        _limits = limits;
        _calendar = calendar;
        _time = time;
        _interval = options.Value.ReachRefreshInterval;
        _logger = logger;
        _failures = new Database.LoopFailures(logger, "Change reach count", time);
        meters.Create(Telemetry.HubMetrics.MeterName).CreateObservableGauge(
            "creditexchange.reach.unacknowledged_changes",
            () => _counts,
            "{change}",
            "Changes of records that an agency received an earlier version of and has not acknowledged, by agency and past_limit (the change-acknowledgement time limit).");
    }

    /// <summary>The last count: per agency, unacknowledged changes within and past the limit.</summary>
    public IReadOnlyList<Measurement<long>> Counts => _counts;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
                _failures.Succeeded();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                _failures.Failed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }

    /// <summary>Counts now (the loop does every interval).</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var today = ChinaCalendar.DateOf(now);
        await using var scope = _scopes.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<ReachStore>().UnacknowledgedAsync(now, null, ct);
        var due = ChangeReachReport.AcknowledgementDue(_limits, _calendar);
        var counts = rows
            .GroupBy(r => (r.AgencyId, PastLimit: Overdue.ChangeAcknowledgement(due(r.OccurredAt), today)))
            .OrderBy(g => g.Key.AgencyId, StringComparer.Ordinal)
            .ToList();
        _counts = counts
            .Select(g => new Measurement<long>(g.Count(), new KeyValuePair<string, object?>("agency", g.Key.AgencyId), new KeyValuePair<string, object?>("past_limit", g.Key.PastLimit)))
            .ToList();

        var overdue = counts.Where(g => g.Key.PastLimit).ToList();
        var total = overdue.Sum(g => g.Count());
        if (total > 0 && total != _lastOverdue)
        {
            Log.ChangesUnacknowledged(_logger, overdue.SelectMany(g => g.Select(r => r.Sequence)).Distinct().Count(), string.Join(", ", overdue.Select(g => $"{g.Key.AgencyId} {g.Count()}")));
        }

        _lastOverdue = total;
    }
}
