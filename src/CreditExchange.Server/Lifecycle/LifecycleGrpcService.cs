using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Grpc;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using CreditExchange.Server.Tokens;
using Grpc.Core;
using DomainComplaintGround = CreditExchange.Domain.Lifecycle.ComplaintGround;
using DomainComplaintState = CreditExchange.Domain.Lifecycle.ComplaintState;
using DomainObjection = CreditExchange.Domain.Lifecycle.ObjectionState;
using DomainRepair = CreditExchange.Domain.Lifecycle.RepairState;

namespace CreditExchange.Server.Lifecycle;

/// <summary>Thin gRPC surface of the record lifecycle: check, delegate, map. The rules are in RecordLifecycle.</summary>
public sealed class LifecycleGrpcService(LifecycleOperations operations, ComplaintOperations complaints, PersonalDataProtector protector, TimeProvider time)
    : LifecycleService.LifecycleServiceBase
{
    private const int DefaultPageSize = 50;

    [RequiresScope(Scopes.LifecycleManage)]
    public override async Task<FileObjectionResponse> FileObjection(FileObjectionRequest request, ServerCallContext context)
    {
        var (record, objection) = await operations.FileObjectionAsync(
            CallerInterceptor.Caller(context), Guid.Parse(request.RecordId), request.ExpectedVersion, request.Grounds, context.CancellationToken);
        return new FileObjectionResponse { Record = RecordMapping.ToProto(record, protector, Today()), Objection = LifecycleMapping.ToProto(objection, Today(), protector) };
    }

    [RequiresScope(Scopes.LifecycleManage)]
    public override async Task<AnswerObjectionResponse> AnswerObjection(AnswerObjectionRequest request, ServerCallContext context)
    {
        var (record, objection) = await operations.AnswerObjectionAsync(
            CallerInterceptor.Caller(context), Guid.Parse(request.ObjectionId), request.ExpectedVersion,
            (DomainObjection)request.Outcome, request.Answer, request.CorrectedContent, context.CancellationToken);
        return new AnswerObjectionResponse { Record = RecordMapping.ToProto(record, protector, Today()), Objection = LifecycleMapping.ToProto(objection, Today(), protector) };
    }

    [RequiresScope(Scopes.LifecycleManage)]
    public override async Task<CorrectRecordResponse> CorrectRecord(CorrectRecordRequest request, ServerCallContext context)
    {
        var record = await operations.CorrectAsync(
            CallerInterceptor.Caller(context), Guid.Parse(request.RecordId), request.ExpectedVersion, request.Content, request.Reason, context.CancellationToken);
        return new CorrectRecordResponse { Record = RecordMapping.ToProto(record, protector, Today()) };
    }

    [RequiresScope(Scopes.LifecycleManage)]
    public override async Task<RevokeRecordResponse> RevokeRecord(RevokeRecordRequest request, ServerCallContext context)
    {
        var record = await operations.RevokeAsync(
            CallerInterceptor.Caller(context), Guid.Parse(request.RecordId), request.ExpectedVersion, request.Reason, context.CancellationToken);
        return new RevokeRecordResponse { Record = RecordMapping.ToProto(record, protector, Today()) };
    }

    [RequiresScope(Scopes.LifecycleManage)]
    public override async Task<ApplyForRepairResponse> ApplyForRepair(ApplyForRepairRequest request, ServerCallContext context)
    {
        var (record, repair) = await operations.ApplyForRepairAsync(
            CallerInterceptor.Caller(context), Guid.Parse(request.RecordId), request.ExpectedVersion,
            request.ObligationsFulfilled, request.ObligationsEvidence, request.CreditCommitment, context.CancellationToken);
        return new ApplyForRepairResponse { Record = RecordMapping.ToProto(record, protector, Today()), Repair = LifecycleMapping.ToProto(repair, protector) };
    }

    [RequiresScope(Scopes.LifecycleManage)]
    public override async Task<DecideRepairResponse> DecideRepair(DecideRepairRequest request, ServerCallContext context)
    {
        var (record, repair) = await operations.DecideRepairAsync(
            CallerInterceptor.Caller(context), Guid.Parse(request.RepairId), request.ExpectedVersion,
            (DomainRepair)request.Decision, request.Reason, context.CancellationToken);
        return new DecideRepairResponse { Record = RecordMapping.ToProto(record, protector, Today()), Repair = LifecycleMapping.ToProto(repair, protector) };
    }

    [RequiresScope(Scopes.RecordsRead)]
    public override async Task<ListOverdueObjectionsResponse> ListOverdueObjections(ListOverdueObjectionsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var page = await operations.OverduePageAsync(
            CallerInterceptor.Caller(context), OverduePageToken.Decode(request.PageToken), pageSize, context.CancellationToken);
        var today = Today();
        return new ListOverdueObjectionsResponse
        {
            Objections = { page.Objections.Select(o => LifecycleMapping.ToProto(o, today, protector)) },
            Complaints = { page.Complaints.Select(c => LifecycleMapping.ToProto(c, today, protector)) },
            NextPageToken = page.Next is { } next ? OverduePageToken.Encode(next) : "",
        };
    }

    [RequiresScope(Scopes.RecordsRead)]
    public override async Task<GetRecordHistoryResponse> GetRecordHistory(GetRecordHistoryRequest request, ServerCallContext context)
    {
        var history = await operations.HistoryAsync(CallerInterceptor.Caller(context), Guid.Parse(request.RecordId), context.CancellationToken);
        var today = Today();
        return new GetRecordHistoryResponse
        {
            Record = RecordMapping.ToProto(history.Record, protector, today),
            Versions = { history.Versions.Select(v => LifecycleMapping.ToProto(v, protector)) },
            Objections = { history.Objections.Select(o => LifecycleMapping.ToProto(o, today, protector)) },
            Repairs = { history.Repairs.Select(r => LifecycleMapping.ToProto(r, protector)) },
            Complaints = { history.Complaints.Select(c => LifecycleMapping.ToProto(c, today, protector)) },
        };
    }

    [RequiresScope(Scopes.LifecycleManage)]
    public override async Task<RemoveJudgmentDebtorListingResponse> RemoveJudgmentDebtorListing(RemoveJudgmentDebtorListingRequest request, ServerCallContext context)
    {
        var record = await operations.RemoveListingAsync(
            CallerInterceptor.Caller(context), Guid.Parse(request.RecordId), request.ExpectedVersion,
            (Domain.Records.ListingRemovalGround)request.Ground, request.Reason, context.CancellationToken);
        return new RemoveJudgmentDebtorListingResponse { Record = RecordMapping.ToProto(record, protector, Today()) };
    }

    [RequiresScope(Scopes.LifecycleManage)]
    public override async Task<FileComplaintResponse> FileComplaint(FileComplaintRequest request, ServerCallContext context)
    {
        var complaint = await complaints.FileAsync(
            CallerInterceptor.Caller(context),
            request.ConcernsCase == FileComplaintRequest.ConcernsOneofCase.ObjectionId ? Guid.Parse(request.ObjectionId) : null,
            request.ConcernsCase == FileComplaintRequest.ConcernsOneofCase.RepairId ? Guid.Parse(request.RepairId) : null,
            (DomainComplaintGround)request.Ground, request.Grounds, context.CancellationToken);
        return new FileComplaintResponse { Complaint = LifecycleMapping.ToProto(complaint, Today(), protector) };
    }

    [RequiresScope(Scopes.LifecycleManage)]
    public override async Task<ReviewComplaintResponse> ReviewComplaint(ReviewComplaintRequest request, ServerCallContext context)
    {
        var complaint = await complaints.ReviewAsync(
            CallerInterceptor.Caller(context), Guid.Parse(request.ComplaintId), (DomainComplaintState)request.Decision, request.DecisionText, context.CancellationToken);
        return new ReviewComplaintResponse { Complaint = LifecycleMapping.ToProto(complaint, Today(), protector) };
    }

    private DateOnly Today() => ChinaCalendar.Today(time);
}
