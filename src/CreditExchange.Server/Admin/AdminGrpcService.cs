using CreditExchange.Contracts.Admin.V1;
using Scopes = CreditExchange.Domain.Agencies.Scopes;
using CreditExchange.Server.Calls;
using CreditExchange.Storage.Entities;
using Grpc.Core;

namespace CreditExchange.Server.Admin;

/// <summary>Thin gRPC surface of agency governance (scope admin): check, delegate, map. Every call is audited by the call pipeline; a change commits with its audit entry.</summary>
public sealed class AdminGrpcService(AgencyGovernance governance, CallContext call) : AdminService.AdminServiceBase
{
    public override async Task<ListAgenciesResponse> ListAgencies(ListAgenciesRequest request, ServerCallContext context)
    {
        var rows = await governance.ListAsync(context.CancellationToken);
        return new ListAgenciesResponse { Agencies = { rows.Select(ToProto) } };
    }

    public override async Task<RegisterAgencyResponse> RegisterAgency(RegisterAgencyRequest request, ServerCallContext context)
    {
        var row = await governance.RegisterAsync(
            request.AgencyId,
            request.DisplayName,
            ToCompetence(request.Competence),
            request.Certificate?.Uri,
            request.Certificate?.Subject,
            request.Certificate?.PinnedThumbprint,
            context.CancellationToken);
        return new RegisterAgencyResponse { Agency = ToProto(row) };
    }

    public override async Task<UpdateAgencyResponse> UpdateAgency(UpdateAgencyRequest request, ServerCallContext context)
    {
        var row = await governance.UpdateCompetenceAsync(request.AgencyId, ToCompetence(request.Competence), context.CancellationToken);
        return new UpdateAgencyResponse { Agency = ToProto(row) };
    }

    public override async Task<RotateAgencyCertificateResponse> RotateAgencyCertificate(RotateAgencyCertificateRequest request, ServerCallContext context)
    {
        var row = await governance.RotateCertificateAsync(
            request.AgencyId, request.Certificate.Uri, request.Certificate.Subject, request.Certificate.PinnedThumbprint, context.CancellationToken);
        return new RotateAgencyCertificateResponse { Agency = ToProto(row) };
    }

    public override async Task<SuspendAgencyResponse> SuspendAgency(SuspendAgencyRequest request, ServerCallContext context)
    {
        var row = await governance.SetSuspendedAsync(call.Agency.Id, request.AgencyId, suspended: true, context.CancellationToken);
        return new SuspendAgencyResponse { Agency = ToProto(row) };
    }

    public override async Task<ReinstateAgencyResponse> ReinstateAgency(ReinstateAgencyRequest request, ServerCallContext context)
    {
        var row = await governance.SetSuspendedAsync(call.Agency.Id, request.AgencyId, suspended: false, context.CancellationToken);
        return new ReinstateAgencyResponse { Agency = ToProto(row) };
    }

    public override Task<ReloadRevocationListResponse> ReloadRevocationList(ReloadRevocationListRequest request, ServerCallContext context) =>
        Task.FromResult(new ReloadRevocationListResponse { RevokedCount = governance.ReloadRevocationList() });

    private static AgencyCompetence ToCompetence(Competence c) => new(
        [.. c.Categories.Select(x => ((Domain.Records.RecordCategory)(int)x).ToString())],
        [.. c.Domains.Select(x => ((Domain.Records.RecordDomain)(int)x).ToString())],
        c.MayQuery,
        [.. c.Scopes]);

    private static Agency ToProto(AgencyEntity row)
    {
        var agency = new Agency
        {
            AgencyId = row.Id,
            DisplayName = row.DisplayName,
            MayQuery = row.MayQuery,
            CertificateUri = row.CertificateUri ?? "",
            CertificateSubject = row.CertificateSubject ?? "",
            PinnedThumbprint = row.PinnedThumbprint ?? "",
            Suspended = row.Suspended,
        };
        agency.Categories.AddRange(Split(row.Categories).Select(n => (Contracts.Records.V1.Category)(int)Enum.Parse<Domain.Records.RecordCategory>(n)));
        agency.Domains.AddRange(Split(row.Domains).Select(n => (Contracts.Records.V1.RecordDomain)(int)Enum.Parse<Domain.Records.RecordDomain>(n)));
        agency.Scopes.AddRange(Split(row.Scopes));
        return agency;
    }

    private static string[] Split(string csv) => csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
