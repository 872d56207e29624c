using CreditExchange.Contracts.Evidence.V1;
using CreditExchange.Server.Calls;
using Google.Protobuf;
using Grpc.Core;

namespace CreditExchange.Server.Evidence;

/// <summary>Exports a record's evidence bundle (docs/evidence.md); who may, and what, <see cref="EvidenceExport"/> decides.</summary>
public sealed class EvidenceGrpcService(EvidenceExport export, CallContext call) : EvidenceService.EvidenceServiceBase
{
    public override async Task<ExportEvidenceResponse> ExportEvidence(ExportEvidenceRequest request, ServerCallContext context)
    {
        var row = await export.AuthorizeAsync(call.Agency, Guid.Parse(request.RecordId), request.IncludeSignedRequests, context.CancellationToken);
        var (bundle, manifestSha256) = await export.ExportAsync(row, call.Agency, request.IncludeSignedRequests, context.CancellationToken);
        return new ExportEvidenceResponse
        {
            Bundle = ByteString.CopyFrom(bundle),
            FileName = $"evidence-{row.Id}.zip",
            ManifestSha256 = manifestSha256,
        };
    }
}
