using CreditExchange.Contracts.Evaluation.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Server.Calls;
using Grpc.Core;
using RankedRegion = CreditExchange.Contracts.Evaluation.V1.RankedRegion;

namespace CreditExchange.Server.Evaluation;

/// <summary>Thin gRPC surface of integrity evaluation: <see cref="Evaluations"/> reads and publishes, the domain scores.</summary>
public sealed class EvaluationGrpcService(Evaluations evaluations, CallContext call) : EvaluationService.EvaluationServiceBase
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
}
