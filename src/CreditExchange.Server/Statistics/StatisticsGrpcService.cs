using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Statistics.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;
using CreditExchange.Server.Calls;
using CreditExchange.Storage;
using Google.Protobuf.Collections;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RecordStatus = CreditExchange.Contracts.Records.V1.RecordStatus;
using RegionLevel = CreditExchange.Contracts.Statistics.V1.RegionLevel;
using StatisticsGroup = CreditExchange.Contracts.Statistics.V1.StatisticsGroup;
using Warning = CreditExchange.Contracts.Statistics.V1.Warning;
using WarningReason = CreditExchange.Contracts.Statistics.V1.WarningReason;
using WarningTarget = CreditExchange.Contracts.Statistics.V1.WarningTarget;

namespace CreditExchange.Server.Statistics;

/// <summary>Thin gRPC surface of statistics and warnings: the store groups, the domain rolls up and judges thresholds.</summary>
public sealed class StatisticsGrpcService(StatisticsStore store, IOptions<StatisticsOptions> options, CallContext call) : StatisticsService.StatisticsServiceBase
{
    public override async Task<GetRecordStatisticsResponse> GetRecordStatistics(GetRecordStatisticsRequest request, ServerCallContext context)
    {
        call.Agency.EnsureMayQuery("Statistics aggregate");
        var query = Query(request.DecisionDateFrom, request.DecisionDateTo, request.Statuses, request.DivisionCode, request.AsOfDate);
        var cells = await store.CellsAsync(query, context.CancellationToken);
        var level = Level(request.RegionLevel);
        var groups = StatisticsAggregator.Aggregate(
            cells,
            request.GroupBy.Select(d => (StatisticsDimension)d).ToHashSet(),
            level,
            request.Period == Period.Month ? PeriodLength.Month : PeriodLength.Year);

        var arrears = ArrearsSums.Sum(groups.Select(g => g.Arrears));
        var response = new GetRecordStatisticsResponse
        {
            TotalRecordCount = groups.Sum(g => g.RecordCount),
            TotalArrearsFen = arrears.Owed,
            TotalOutstandingArrearsFen = arrears.Outstanding,
            TotalProjectPaymentArrearsFen = arrears.ProjectPayments,
            TotalMigrantWorkersWageArrearsFen = arrears.MigrantWorkersWages,
            AsOfDate = Iso(query.AsOf),
        };
        response.Groups.AddRange(groups.Select(g => ToProto(g, level)));
        return response;
    }

    public override async Task<ListWarningsResponse> ListWarnings(ListWarningsRequest request, ServerCallContext context)
    {
        call.Agency.EnsureMayQuery("Statistics aggregate");
        var query = Query(request.DecisionDateFrom, request.DecisionDateTo, [], "", request.AsOfDate);
        var level = Level(request.RegionLevel);
        var thresholds = options.Value.Warnings;
        var bodies = WarningRules.Evaluate(
            Domain.Statistics.WarningTarget.GovernmentBody,
            await store.GovernmentBodyTalliesAsync(query, context.CancellationToken),
            Thresholds(thresholds.GovernmentBody));
        var regions = WarningRules.Evaluate(
            Domain.Statistics.WarningTarget.Region,
            WarningRules.RegionTallies(await store.CellsAsync(query, context.CancellationToken), level),
            Thresholds(thresholds.Region));

        var response = new ListWarningsResponse { AsOfDate = Iso(query.AsOf) };
        response.Warnings.AddRange(bodies.Concat(regions).Select(w => new Warning
        {
            Target = (WarningTarget)w.Target,
            Key = w.Tally.Key,
            RegionLevel = w.Target == Domain.Statistics.WarningTarget.Region ? (RegionLevel)level : RegionLevel.Unspecified,
            Reasons = { w.Reasons.Select(r => (WarningReason)r) },
            RecordCount = w.Tally.RecordCount,
            SeriousCount = w.Tally.SeriousCount,
            ArrearsFen = w.Tally.Arrears.Owed,
            OutstandingArrearsFen = w.Tally.Arrears.Outstanding,
        }));
        return response;
    }


    /// <summary>The request is valid here (dates real, range ordered, as-of not in the future): RecordRules checked it.</summary>
    private StatisticsQuery Query(string from, string to, RepeatedField<RecordStatus> statuses, string divisionCode, string asOf) => new(
        Date(from),
        Date(to),
        statuses.Select(s => (int)s).Distinct().ToArray(),
        divisionCode.Length == 0 ? null : DivisionRollup.ScopePrefix(divisionCode),
        asOf.Length == 0 ? call.Today : Date(asOf));

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static DateOnly Date(string value) => ChinaCalendar.TryParseIsoDate(value, out var date)
        ? date
        : throw new InvalidOperationException("A date passed validation but does not parse.");

    private static Domain.Statistics.RegionLevel Level(RegionLevel level) =>
        level == RegionLevel.Unspecified ? Domain.Statistics.RegionLevel.Prefecture : (Domain.Statistics.RegionLevel)level;

    private static WarningThresholds Thresholds(ThresholdOptions o) => new(o.RecordCount, o.SeriousCount, o.ArrearsFen);

    private static StatisticsGroup ToProto(Domain.Statistics.StatisticsGroup g, Domain.Statistics.RegionLevel level)
    {
        var group = new StatisticsGroup
        {
            AgencyId = g.Key.AgencyId ?? "",
            Category = (Category)(g.Key.Category ?? 0),
            Severity = (Severity)(g.Key.Severity ?? 0),
            Period = g.Key.Period ?? "",
            RecordCount = g.RecordCount,
            ArrearsFen = g.Arrears.Owed,
            GovernmentDebtRecordCount = g.GovernmentDebtRecordCount,
            ProjectPaymentArrearsFen = g.Arrears.ProjectPayments,
            MigrantWorkersWageArrearsFen = g.Arrears.MigrantWorkersWages,
            OutstandingArrearsFen = g.Arrears.Outstanding,
            ArrearsRecordCount = g.Arrears.Records,
        };
        if (g.Key.Region is { } region)
        {
            group.Region = new Region { DivisionCode = region, Level = (RegionLevel)level };
        }

        return group;
    }
}
