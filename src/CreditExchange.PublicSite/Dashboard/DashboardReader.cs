using System.Globalization;
using CreditExchange.Client;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Statistics.V1;
using Microsoft.Extensions.Options;

namespace CreditExchange.PublicSite.Dashboard;

/// <summary>One child region's bar: its records in force by severity.</summary>
public sealed record RegionCount(string Code, RegionLevel Level, long Minor, long General, long Serious, long Other)
{
    public long Total => Minor + General + Serious + Other;
}

/// <summary>Records in force decided in one year, by category or severity (the key is the enum's number).</summary>
public sealed record YearCounts(string Year, IReadOnlyDictionary<int, long> ByCategory, IReadOnlyDictionary<int, long> BySeverity)
{
    public long Total => ByCategory.Values.Sum();
}

/// <summary>An objection, repair application or complaint past its due date.</summary>
public sealed record OverdueItem(string Kind, string Id, string RecordId, string SourceAgencyId, string DueDate, string Rule);

/// <summary>Everything one dashboard page shows, as the hub answered it for the drc.</summary>
public sealed record DashboardModel(
    string Region,
    RegionLevel ChildLevel,
    string AsOfDate,
    string From,
    string To,
    long TotalRecords,
    IReadOnlyList<RegionCount> Children,
    IReadOnlyList<YearCounts> Years,
    IReadOnlyList<Warning> Warnings,
    IReadOnlyList<OverdueItem> Overdue,
    bool OverdueTruncated,
    GetChangeReachStatisticsResponse Reach,
    ListSubscriptionsResponse Subscriptions,
    long MirrorPosition);

/// <summary>
/// Reads a dashboard page from the hub with the drc's certificate and token: StatisticsService (records in force by
/// region and severity, by category, severity and year; warnings), LifecycleService.ListOverdueObjections (overdue
/// objections, repairs, complaints), AuditService.GetChangeReachStatistics (which agencies have not acknowledged
/// changes: the feed's lag per recipient) and FeedService.ListSubscriptions. Read-only; no hub RPC was added for it.
/// </summary>
public sealed class DashboardReader(IOptions<PublicSiteOptions> options, MirrorStore mirror, TimeProvider clock) : IDisposable
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.CreateCustomTimeZone("Beijing", TimeSpan.FromHours(8), "Beijing", "Beijing");
    private readonly Lock _gate = new();
    private CreditExchangeClient? _hub;

    public async Task<DashboardModel> ReadAsync(string region, CancellationToken cancellationToken)
    {
        var hub = Hub();
        var year = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Beijing).Year;
        var from = $"{year - Math.Clamp(options.Value.DashboardYears, 1, 30) + 1:D4}-01-01";
        var to = $"{year:D4}-12-31";
        var childLevel = Regions.ChildLevel(region);

        var byRegion = hub.Statistics.GetRecordStatisticsAsync(new GetRecordStatisticsRequest
        {
            DecisionDateFrom = from, DecisionDateTo = to, DivisionCode = region, RegionLevel = childLevel,
            GroupBy = { Dimension.Region, Dimension.Severity },
        }, cancellationToken: cancellationToken).ResponseAsync;
        var overTime = hub.Statistics.GetRecordStatisticsAsync(new GetRecordStatisticsRequest
        {
            DecisionDateFrom = from, DecisionDateTo = to, DivisionCode = region, Period = Period.Year,
            GroupBy = { Dimension.Category, Dimension.Severity, Dimension.Period },
        }, cancellationToken: cancellationToken).ResponseAsync;
        var warnings = hub.Statistics.ListWarningsAsync(new ListWarningsRequest
        {
            DecisionDateFrom = from, DecisionDateTo = to, RegionLevel = childLevel,
        }, cancellationToken: cancellationToken).ResponseAsync;
        var overdue = hub.Lifecycle.ListOverdueObjectionsAsync(new ListOverdueObjectionsRequest { PageSize = 200 }, cancellationToken: cancellationToken).ResponseAsync;
        var reach = hub.Audit.GetChangeReachStatisticsAsync(new GetChangeReachStatisticsRequest
        {
            RegionLevel = childLevel == RegionLevel.Township ? RegionLevel.County : childLevel,
            DivisionCode = region.Length == 6 && region != Regions.Root ? region : "",
            PageSize = 20,
        }, cancellationToken: cancellationToken).ResponseAsync;
        var subscriptions = hub.Feed.ListSubscriptionsAsync(new ListSubscriptionsRequest(), cancellationToken: cancellationToken).ResponseAsync;
        try
        {
            await Task.WhenAll(byRegion, overTime, warnings, overdue, reach, subscriptions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            Reset(hub); // read the certificate files again next time
            throw;
        }

        var regionStats = await byRegion;
        var children = regionStats.Groups
            .GroupBy(g => g.Region.DivisionCode, StringComparer.Ordinal)
            .Select(g => new RegionCount(
                g.Key,
                g.First().Region.Level,
                Sum(g, Severity.Minor),
                Sum(g, Severity.General),
                Sum(g, Severity.Serious),
                g.Where(x => x.Severity is not (Severity.Minor or Severity.General or Severity.Serious)).Sum(x => x.RecordCount)))
            .OrderByDescending(c => c.Total).ThenBy(c => c.Code, StringComparer.Ordinal)
            .ToList();

        var timeStats = await overTime;
        var years = timeStats.Groups
            .GroupBy(g => g.Period, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new YearCounts(
                g.Key,
                g.GroupBy(x => (int)x.Category).ToDictionary(x => x.Key, x => x.Sum(y => y.RecordCount)),
                g.GroupBy(x => (int)x.Severity).ToDictionary(x => x.Key, x => x.Sum(y => y.RecordCount))))
            .ToList();

        var prefix = region == Regions.Root ? region[..2] : region.TrimEnd('0');
        var warningList = (await warnings).Warnings
            .Where(w => w.Target != WarningTarget.Region || w.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();

        var late = await overdue;
        var items = late.Objections.Select(o => new OverdueItem("异议", o.ObjectionId, o.RecordId, o.SourceAgencyId, o.AnswerDueDate, o.TimeLimit?.Rule ?? ""))
            .Concat(late.Repairs.Select(r => new OverdueItem("信用修复", r.RepairId, r.RecordId, r.SourceAgencyId, r.DecisionDueDate, r.TimeLimit?.Rule ?? "")))
            .Concat(late.Complaints.Select(c => new OverdueItem("投诉", c.ComplaintId, c.RecordId, c.SourceAgencyId, c.ReviewDueDate, c.TimeLimit?.Rule ?? "")))
            .OrderBy(i => i.DueDate, StringComparer.Ordinal)
            .ToList();

        return new DashboardModel(
            region, childLevel, regionStats.AsOfDate, from, to, regionStats.TotalRecordCount, children, years, warningList,
            items, late.NextPageToken.Length > 0, await reach, await subscriptions, mirror.Position());
    }

    private static long Sum(IEnumerable<StatisticsGroup> groups, Severity severity) => groups.Where(g => g.Severity == severity).Sum(g => g.RecordCount);

    private CreditExchangeClient Hub()
    {
        var settings = options.Value;
        lock (_gate)
        {
            return _hub ??= CreditExchangeClient.Create(new CreditExchangeClientOptions
            {
                Address = settings.HubAddress,
                AgencyId = settings.AgencyId,
                CertificatePath = settings.CertificatePath,
                KeyPath = settings.KeyPath,
                HubCaPath = settings.HubCaPath,
            });
        }
    }

    private void Reset(CreditExchangeClient hub)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_hub, hub))
            {
                _hub = null;
                hub.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _hub?.Dispose();
            _hub = null;
        }
    }

    internal static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
