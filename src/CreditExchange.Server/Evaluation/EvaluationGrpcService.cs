using CreditExchange.Contracts.Evaluation.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Server.Calls;
using Grpc.Core;
using Standards = CreditExchange.Domain.Evaluation;
using RankedRegion = CreditExchange.Contracts.Evaluation.V1.RankedRegion;

namespace CreditExchange.Server.Evaluation;

/// <summary>Thin gRPC surface of integrity evaluation: <see cref="Evaluations"/> reads and publishes, the domain scores.</summary>
public sealed class EvaluationGrpcService(Evaluations evaluations, Standards.IntegrityStandardBook standards, CallContext call) : EvaluationService.EvaluationServiceBase
{
    public override async Task<EvaluateIntegrityResponse> EvaluateIntegrity(EvaluateIntegrityRequest request, ServerCallContext context)
    {
        call.Agency.EnsureMayQuery("Evaluations read");
        return new EvaluateIntegrityResponse
        {
            Evaluation = await evaluations.EvaluateAsync(request.Scope, request.Period, request.StandardVersion, context.CancellationToken),
        };
    }

    public override async Task<PublishEvaluationResponse> PublishEvaluation(PublishEvaluationRequest request, ServerCallContext context)
    {
        call.Agency.EnsureMayQuery("Evaluations read");
        var (evaluation, added) = await evaluations.PublishAsync(request.Scope, request.Period, request.StandardVersion, context.CancellationToken);
        return new PublishEvaluationResponse { Evaluation = evaluation, NewlyPublished = added };
    }

    public override async Task<RankRegionsResponse> RankRegions(RankRegionsRequest request, ServerCallContext context)
    {
        call.Agency.EnsureMayQuery("Evaluations read");
        var (regions, version) = await evaluations.RankAsync(request.ParentDivisionCode, request.Period, request.StandardVersion, context.CancellationToken);
        var response = new RankRegionsResponse { StandardVersion = version };
        response.Regions.AddRange(regions.Select(r => new RankedRegion
        {
            Rank = r.Rank, DivisionCode = r.DivisionCode, ScoreHundredths = r.ScoreHundredths, Grade = r.Grade, Published = r.Published,
        }));
        return response;
    }

    /// <summary>The shipped standards, oldest first: public data, so no query rights are needed.</summary>
    public override Task<ListIntegrityStandardsResponse> ListIntegrityStandards(ListIntegrityStandardsRequest request, ServerCallContext context)
    {
        var response = new ListIntegrityStandardsResponse();
        response.Standards.AddRange(standards.Standards.Select(s => ToContract(s, ReferenceEquals(s, standards.Standards[^1]))));
        return Task.FromResult(response);
    }

    private static IntegrityStandard ToContract(Standards.IntegrityStandard standard, bool latest)
    {
        var result = new IntegrityStandard
        {
            Version = standard.Version,
            Source = standard.Source,
            PeriodKind = (PeriodKind)(int)standard.PeriodKind,
            RegionWarning = ToContract(standard.RegionWarning),
            GovernmentBodyWarning = ToContract(standard.GovernmentBodyWarning),
            Latest = latest,
        };
        result.Indicators.AddRange(standard.Indicators.Select(i =>
        {
            var indicator = new IndicatorDefinition { Code = i.Code, Name = i.Name, Kind = (IndicatorKind)(int)i.Kind, Weight = i.Weight, Threshold = i.Threshold };
            indicator.Categories.AddRange(i.Categories.Order().Select(c => (Contracts.Records.V1.Category)(int)c));
            indicator.Severities.AddRange(i.Severities.Order().Select(v => (Contracts.Records.V1.Severity)(int)v));
            return indicator;
        }));
        result.Grades.AddRange(standard.Grades.Select(g => new GradeBand { Grade = g.Grade, MinimumHundredths = g.MinimumHundredths }));
        return result;
    }

    private static WarningThresholds ToContract(CreditExchange.Domain.Statistics.WarningThresholds t) =>
        new() { RecordCount = t.RecordCount, SeriousCount = t.SeriousCount, ArrearsFen = t.ArrearsFen };
}
