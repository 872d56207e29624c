using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using Grpc.Core;
using DomainComplaintGround = CreditExchange.Domain.Lifecycle.ComplaintGround;
using DomainComplaintState = CreditExchange.Domain.Lifecycle.ComplaintState;
using DomainObjection = CreditExchange.Domain.Lifecycle.ObjectionState;
using DomainRepair = CreditExchange.Domain.Lifecycle.RepairState;

namespace CreditExchange.Server.Lifecycle;

/// <summary>Thin gRPC surface of the record lifecycle: check, delegate, map. The rules are in RecordLifecycle.</summary>
public sealed class LifecycleGrpcService(
    LifecycleOperations operations, ComplaintOperations complaints, ComplaintRules reviewers, TimeLimits limits, PersonalDataProtector protector, CallContext call)
    : LifecycleService.LifecycleServiceBase
{
    private const int DefaultPageSize = 50;

    public override async Task<FileObjectionResponse> FileObjection(FileObjectionRequest request, ServerCallContext context)
    {
        var (record, objection) = await operations.FileObjectionAsync(
            call.Agency, Guid.Parse(request.RecordId), request.ExpectedVersion, request.Grounds, context.CancellationToken);
        return new FileObjectionResponse { Record = RecordMapping.ToProto(record, protector, call.Today), Objection = LifecycleMapping.ToProto(objection, call.Today, protector, limits) };
    }

    public override async Task<AnswerObjectionResponse> AnswerObjection(AnswerObjectionRequest request, ServerCallContext context)
    {
        var (record, objection, content) = await operations.AnswerObjectionAsync(
            call.Agency, Guid.Parse(request.ObjectionId), request.ExpectedVersion,
            (DomainObjection)request.Outcome, request.Answer, request.CorrectedContent, context.CancellationToken);
        return new AnswerObjectionResponse { Record = RecordMapping.ToProto(record, protector, call.Today, content), Objection = LifecycleMapping.ToProto(objection, call.Today, protector, limits) };
    }

    public override async Task<ExtendObjectionAnswerResponse> ExtendObjectionAnswer(ExtendObjectionAnswerRequest request, ServerCallContext context)
    {
        var (record, objection) = await operations.ExtendObjectionAsync(
            call.Agency, Guid.Parse(request.ObjectionId), request.ExpectedVersion, Day(request.NewAnswerDueDate), request.Reason, context.CancellationToken);
        return new ExtendObjectionAnswerResponse { Record = RecordMapping.ToProto(record, protector, call.Today), Objection = LifecycleMapping.ToProto(objection, call.Today, protector, limits) };
    }

    public override async Task<CorrectRecordResponse> CorrectRecord(CorrectRecordRequest request, ServerCallContext context)
    {
        var (record, content) = await operations.CorrectAsync(
            call.Agency, Guid.Parse(request.RecordId), request.ExpectedVersion, request.Content, request.Reason, context.CancellationToken);
        return new CorrectRecordResponse { Record = RecordMapping.ToProto(record, protector, call.Today, content) };
    }

    public override async Task<RevokeRecordResponse> RevokeRecord(RevokeRecordRequest request, ServerCallContext context)
    {
        var record = await operations.RevokeAsync(
            call.Agency, Guid.Parse(request.RecordId), request.ExpectedVersion, request.Reason, context.CancellationToken);
        return new RevokeRecordResponse { Record = RecordMapping.ToProto(record, protector, call.Today) };
    }

    public override async Task<ApplyForRepairResponse> ApplyForRepair(ApplyForRepairRequest request, ServerCallContext context)
    {
        var (record, repair) = await operations.ApplyForRepairAsync(
            call.Agency, Guid.Parse(request.RecordId), request.ExpectedVersion,
            request.ObligationsFulfilled, request.ObligationsEvidence, request.CreditCommitment, context.CancellationToken);
        return new ApplyForRepairResponse { Record = RecordMapping.ToProto(record, protector, call.Today), Repair = LifecycleMapping.ToProto(repair, call.Today, protector, limits) };
    }

    public override async Task<DecideRepairResponse> DecideRepair(DecideRepairRequest request, ServerCallContext context)
    {
        var (record, repair) = await operations.DecideRepairAsync(
            call.Agency, Guid.Parse(request.RepairId), request.ExpectedVersion,
            (DomainRepair)request.Decision, request.Reason, context.CancellationToken);
        return new DecideRepairResponse { Record = RecordMapping.ToProto(record, protector, call.Today), Repair = LifecycleMapping.ToProto(repair, call.Today, protector, limits) };
    }

    public override async Task<ListOverdueObjectionsResponse> ListOverdueObjections(ListOverdueObjectionsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var page = await operations.OverduePageAsync(
            call.Agency, reviewers.IsReviewer(call.Agency), Position(PageTokens.Decode(request, lists: 3)), pageSize, context.CancellationToken);
        var today = call.Today;
        return new ListOverdueObjectionsResponse
        {
            Objections = { page.Objections.Select(o => LifecycleMapping.ToProto(o, today, protector, limits)) },
            Complaints = { page.Complaints.Select(c => LifecycleMapping.ToProto(c, today, protector, limits)) },
            Repairs = { page.Repairs.Select(r => LifecycleMapping.ToProto(r, today, protector, limits)) },
            NextPageToken = page.Next is { } next ? PageTokens.Encode(request, [next.Objections, next.Complaints, next.Repairs]) : "",
        };
    }

    public override async Task<GetRecordHistoryResponse> GetRecordHistory(GetRecordHistoryRequest request, ServerCallContext context)
    {
        var history = await operations.HistoryAsync(call.Agency, Guid.Parse(request.RecordId), context.CancellationToken);
        var today = call.Today;
        return new GetRecordHistoryResponse
        {
            Record = RecordMapping.ToProto(history.Record, protector, today),
            Versions = { history.Versions.Select(v => LifecycleMapping.ToProto(v, protector)) },
            Objections = { history.Objections.Select(o => LifecycleMapping.ToProto(o, today, protector, limits)) },
            Repairs = { history.Repairs.Select(r => LifecycleMapping.ToProto(r, today, protector, limits)) },
            Complaints = { history.Complaints.Select(c => LifecycleMapping.ToProto(c, today, protector, limits)) },
        };
    }

    public override async Task<RemoveJudgmentDebtorListingResponse> RemoveJudgmentDebtorListing(RemoveJudgmentDebtorListingRequest request, ServerCallContext context)
    {
        var record = await operations.RemoveListingAsync(
            call.Agency, Guid.Parse(request.RecordId), request.ExpectedVersion,
            (Domain.Records.ListingRemovalGround)request.Ground, request.Reason, context.CancellationToken);
        return new RemoveJudgmentDebtorListingResponse { Record = RecordMapping.ToProto(record, protector, call.Today) };
    }

    public override async Task<ReviewSanctionResponse> ReviewSanction(ReviewSanctionRequest request, ServerCallContext context)
    {
        var record = await operations.ReviewSanctionAsync(
            call.Agency, Guid.Parse(request.RecordId), request.ExpectedVersion, (Domain.Lifecycle.SanctionReviewOutcome)request.Outcome,
            request.SanctionKind == Contracts.Records.V1.SanctionKind.Unspecified ? null : (Domain.Records.SanctionKind)request.SanctionKind,
            request.DecisionDocumentNumber, DateOnly.ParseExact(request.DecisionDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), request.Reason, context.CancellationToken);
        return new ReviewSanctionResponse { Record = RecordMapping.ToProto(record, protector, call.Today) };
    }

    public override async Task<FileComplaintResponse> FileComplaint(FileComplaintRequest request, ServerCallContext context)
    {
        var complaint = await complaints.FileAsync(
            call.Agency,
            request.ConcernsCase == FileComplaintRequest.ConcernsOneofCase.ObjectionId ? Guid.Parse(request.ObjectionId) : null,
            request.ConcernsCase == FileComplaintRequest.ConcernsOneofCase.RepairId ? Guid.Parse(request.RepairId) : null,
            (DomainComplaintGround)request.Ground, request.Grounds, context.CancellationToken);
        return new FileComplaintResponse { Complaint = LifecycleMapping.ToProto(complaint, call.Today, protector, limits) };
    }

    public override async Task<ReviewComplaintResponse> ReviewComplaint(ReviewComplaintRequest request, ServerCallContext context)
    {
        var complaint = await complaints.ReviewAsync(
            call.Agency, Guid.Parse(request.ComplaintId), (DomainComplaintState)request.Decision, request.DecisionText, context.CancellationToken);
        return new ReviewComplaintResponse { Complaint = LifecycleMapping.ToProto(complaint, call.Today, protector, limits) };
    }

    /// <summary>A date the contract's pattern let through; INVALID_ARGUMENT when it is no real date.</summary>
    private static DateOnly Day(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
            ? day
            : throw DomainException.InvalidArgument(ErrorReason.InvalidRequest, [new FieldViolation("new_answer_due_date", "must be a real date", FieldViolationReason.ImpossibleDate)]);

    /// <summary>Where the previous page of the overdue list ended: in the objections, the complaints and the repair applications.</summary>
    private static OverduePosition Position((DateOnly Day, long Sequence)?[] positions) => new(positions[0], positions[1], positions[2]);
}
