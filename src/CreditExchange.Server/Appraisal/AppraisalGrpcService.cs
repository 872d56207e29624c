using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Server.Calls;
using Grpc.Core;

namespace CreditExchange.Server.Appraisal;

/// <summary>Thin gRPC surface of appraisal checks: check, delegate, map.</summary>
public sealed class AppraisalGrpcService(AppraisalChecks checks, CallContext call) : AppraisalService.AppraisalServiceBase
{
    public override async Task<CheckCandidateResponse> CheckCandidate(CheckCandidateRequest request, ServerCallContext context)
    {
        var outcome = await checks.CheckAsync(
            call.Agency,
            (Domain.Appraisal.AppraisalType)request.Purpose.AppraisalType,
            request.Purpose.CaseReference,
            [request.Subject],
            context.CancellationToken);
        return new CheckCandidateResponse
        {
            Result = AppraisalMapping.ToProto(outcome.Candidates[0], 0),
            Rules = AppraisalMapping.ToProto(outcome),
            CheckId = outcome.CheckId.ToString(),
            CheckedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(outcome.CheckedAt),
        };
    }

    public override async Task<CheckCandidatesResponse> CheckCandidates(CheckCandidatesRequest request, ServerCallContext context)
    {
        var outcome = await checks.CheckAsync(
            call.Agency,
            (Domain.Appraisal.AppraisalType)request.Purpose.AppraisalType,
            request.Purpose.CaseReference,
            request.Subjects,
            context.CancellationToken);
        var response = new CheckCandidatesResponse
        {
            Results = { outcome.Candidates.Select(AppraisalMapping.ToProto) },
            Rules = AppraisalMapping.ToProto(outcome),
            CheckId = outcome.CheckId.ToString(),
            CheckedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(outcome.CheckedAt),
        };
        response.IneligibleCount = response.Results.Count(r => r.Decision == Decision.Ineligible);
        response.EligibleCount = response.Results.Count(r => r.Decision == Decision.Eligible);
        response.PriorityCount = response.Results.Count(r => r.Decision == Decision.Priority);
        return response;
    }
}
