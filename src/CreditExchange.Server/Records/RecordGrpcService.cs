using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Errors;
using RecordStanding = CreditExchange.Domain.Records.RecordStanding;
using RecordStatus = CreditExchange.Domain.Records.RecordStatus;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;
using CreditExchange.Server.Grpc;
using CreditExchange.Domain.Agencies;
using CreditExchange.Server.Settings;
using CreditExchange.Server.Telemetry;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Receipts;
using CreditExchange.Server.Tokens;
using CreditExchange.Server.Validation;
using CreditExchange.Storage;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Records;

/// <summary>Thin gRPC surface of record submission and query: check, delegate, map.</summary>
public sealed class RecordGrpcService(
    RecordIntake intake, RecordStore store, RequestValidator validator, IOptions<HubOptions> options, PersonalDataProtector protector,
    CallContext call, ReceiptSigner receipts, TimeProvider time, HubMetrics metrics)
    : RecordService.RecordServiceBase
{
    private const int DefaultPageSize = 50;

    [RequiresScope(Scopes.RecordsSubmit)]
    public override async Task<SubmitRecordResponse> SubmitRecord(SubmitRecordRequest request, ServerCallContext context)
    {
        var item = intake.Prepare(CallerInterceptor.Caller(context), request);
        var result = (await intake.SubmitAsync([item], context.CancellationToken))[0];
        metrics.Submission(Outcome(result.Outcome));
        if (result.Outcome == SubmitOutcome.Conflict)
        {
            throw SourceIdConflict(request.SourceRecordId);
        }

        return new SubmitRecordResponse
        {
            Record = RecordMapping.ToProto(result.Record, protector, Today()),
            Duplicate = result.Outcome == SubmitOutcome.Duplicate,
            Receipt = receipts.Sign(result.Record),
        };
    }

    [RequiresScope(Scopes.RecordsSubmit)]
    public override async Task<SubmitRecordsResponse> SubmitRecords(IAsyncStreamReader<SubmitRecordsRequest> requestStream, ServerCallContext context)
    {
        var agency = CallerInterceptor.Caller(context);
        var max = options.Value.MaxBatchItems;
        var maxBytes = options.Value.MaxBatchBytes;
        long bytes = 0;
        var results = new List<SubmitRecordsResult>();
        var pending = new List<(SubmitRecordsResult Result, NewRecord Item)>();
        await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
        {
            bytes += message.CalculateSize();
            if (results.Count == max || bytes > maxBytes)
            {
                throw new DomainException(ErrorKind.InvalidArgument, ErrorReason.BatchTooLarge, $"A batch holds at most {max} items and {maxBytes} bytes; nothing was stored.");
            }

            var result = new SubmitRecordsResult { Index = results.Count, SourceRecordId = message.Item?.SourceRecordId ?? "" };
            results.Add(result);
            if (Refusal(message) is { } refused)
            {
                result.Error = refused;
                continue;
            }

            try
            {
                pending.Add((result, intake.Prepare(agency, message.Item!)));
            }
            catch (DomainException e)
            {
                result.Error = ToItemError(e);
            }
        }

        if (results.Count == 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReason.BatchEmpty, "The batch has no items; nothing was stored.");
        }

        metrics.BatchReceived(results.Count);
        var stored = await intake.SubmitAsync(pending.Select(p => p.Item).ToList(), context.CancellationToken);
        metrics.Submission("rejected", results.Count - pending.Count);
        foreach (var outcome in stored.GroupBy(r => r.Outcome))
        {
            metrics.Submission(Outcome(outcome.Key), outcome.Count());
        }

        var today = Today();
        for (var i = 0; i < pending.Count; i++)
        {
            var (result, _) = pending[i];
            if (stored[i].Outcome == SubmitOutcome.Conflict)
            {
                result.Error = ToItemError(SourceIdConflict(result.SourceRecordId));
                continue;
            }

            result.Record = RecordMapping.ToProto(stored[i].Record, protector, today);
            result.Receipt = receipts.Sign(stored[i].Record);
            result.Duplicate = stored[i].Outcome == SubmitOutcome.Duplicate;
        }

        var response = new SubmitRecordsResponse { Results = { results } };
        response.RejectedCount = results.Count(r => r.OutcomeCase == SubmitRecordsResult.OutcomeOneofCase.Error);
        response.AcceptedCount = results.Count - response.RejectedCount;
        return response;
    }

    [RequiresScope(Scopes.RecordsRead)]
    public override async Task<GetRecordResponse> GetRecord(GetRecordRequest request, ServerCallContext context)
    {
        var agency = CallerInterceptor.Caller(context);
        var row = await store.FindAsync(Guid.Parse(request.RecordId), context.CancellationToken);
        if (row is null || !RecordStanding.SharedWith(agency, row.AgencyId, (RecordStatus)row.Status))
        {
            // Not-entitled, repaired (no longer shared) and absent look the same: the caller learns nothing.
            throw new DomainException(ErrorKind.NotFound, ErrorReason.RecordNotFound, $"No record {request.RecordId} is visible to agency '{agency.Id}'.");
        }

        return new GetRecordResponse { Record = RecordMapping.ToProto(row, protector, Today()) };
    }

    [RequiresScope(Scopes.RecordsRead)]
    public override async Task<ListSubjectRecordsResponse> ListSubjectRecords(ListSubjectRecordsRequest request, ServerCallContext context)
    {
        var agency = CallerInterceptor.Caller(context);
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var subjectKey = call.StoredKey(request.Subject);
        var query = new SubjectQuery(
            subjectKey,
            agency.MayQuery ? null : agency.Id,
            request.Categories.Select(c => (int)c).ToList(),
            request.Statuses.Select(s => (int)s).ToList(),
            ParseOptionalDate(request.DecisionDateFrom),
            ParseOptionalDate(request.DecisionDateTo),
            PageToken.Decode(request),
            pageSize + 1,
            SharedFor: agency.MayQuery ? agency.Id : null);
        var rows = await store.ListBySubjectAsync(query, context.CancellationToken);
        var response = new ListSubjectRecordsResponse { Records = { Page(rows, pageSize, out var last) } };
        if (last is not null)
        {
            response.NextPageToken = PageToken.Encode(request, last.DecisionDate, last.Sequence);
        }

        return response;
    }

    private static string Outcome(SubmitOutcome outcome) => outcome switch
    {
        SubmitOutcome.Accepted => "accepted",
        SubmitOutcome.Duplicate => "duplicate",
        _ => "conflict",
    };

    [RequiresScope(Scopes.RecordsRead)]
    public override async Task<ListProjectRecordsResponse> ListProjectRecords(ListProjectRecordsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var rows = await store.ListByProjectAsync(
            request.ProjectCode, Visibility.For(CallerInterceptor.Caller(context)), PageToken.Decode(request), pageSize + 1, context.CancellationToken);
        var response = new ListProjectRecordsResponse { Records = { Page(rows, pageSize, out var last) } };
        if (last is not null)
        {
            response.NextPageToken = PageToken.Encode(request, last.DecisionDate, last.Sequence);
        }

        return response;
    }

    /// <summary>The first <paramref name="pageSize"/> rows as records; <paramref name="last"/> is the page's last row when more follow (one more was read), else null.</summary>
    private List<Record> Page(IReadOnlyList<Storage.Entities.RecordEntity> rows, int pageSize, out Storage.Entities.RecordEntity? last)
    {
        last = rows.Count > pageSize ? rows[pageSize - 1] : null;
        var today = Today();
        return rows.Take(pageSize).Select(r => RecordMapping.ToProto(r, protector, today)).ToList();
    }

    private ItemError? Refusal(SubmitRecordsRequest message)
    {
        if (message.Item is null)
        {
            return ToItemError(DomainException.InvalidArgument(ErrorReason.InvalidRecord, [new FieldViolation("item", "value is required", "required")]));
        }

        var violations = validator.Validate(message.Item);
        return violations.Count == 0 ? null : ToItemError(DomainException.InvalidArgument(ErrorReason.InvalidRecord, violations));
    }

    private static ItemError ToItemError(DomainException e)
    {
        var error = new ItemError { Code = (int)RpcErrors.ToCode(e.Kind), Reason = e.Reason, Message = e.Message };
        error.FieldViolations.AddRange(e.Violations.Select(v => new Contracts.Records.V1.FieldViolation
        {
            Field = v.Field,
            Description = v.Description,
            Reason = v.Reason,
        }));
        return error;
    }

    private static DomainException SourceIdConflict(string sourceRecordId) => new(
        ErrorKind.AlreadyExists,
        ErrorReason.SourceIdConflict,
        $"Source record id '{sourceRecordId}' was already used for a record with different content; nothing was changed.");

    private DateOnly Today() => Domain.Records.ChinaCalendar.Today(time);

    private static DateOnly? ParseOptionalDate(string value) =>
        value.Length > 0 && Domain.Records.ChinaCalendar.TryParseIsoDate(value, out var date) ? date : null;
}
