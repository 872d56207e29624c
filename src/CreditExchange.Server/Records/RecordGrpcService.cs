using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Errors;
using RecordStatus = CreditExchange.Domain.Records.RecordStatus;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;
using CreditExchange.Server.Calls;
using CreditExchange.Domain.Agencies;
using CreditExchange.Server.Settings;
using CreditExchange.Server.Telemetry;
using CreditExchange.Server.Pipeline;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Receipts;
using CreditExchange.Server.Signing;
using CreditExchange.Server.Validation;
using CreditExchange.Storage;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Records;

/// <summary>Thin gRPC surface of record submission and query: check, delegate, map.</summary>
public sealed class RecordGrpcService(
    RecordIntake intake, RecordStore store, RequestValidator validator, IOptions<HubOptions> options, PersonalDataProtector protector,
    CallContext call, ReceiptSigner receipts, HubMetrics metrics, RequestSigning signing, SignatureStore signatures)
    : RecordService.RecordServiceBase
{
    private const int DefaultPageSize = 50;

    public override async Task<SubmitRecordResponse> SubmitRecord(SubmitRecordRequest request, ServerCallContext context)
    {
        var item = intake.Prepare(request);
        var result = (await intake.SubmitAsync([item], context.CancellationToken))[0];
        metrics.Submission(Outcome(result.Outcome));
        if (result.Outcome == SubmitOutcome.Conflict)
        {
            throw SourceIdConflict(request.SourceRecordId);
        }

        return new SubmitRecordResponse
        {
            Record = Answer(result, item),
            Duplicate = result.Outcome == SubmitOutcome.Duplicate,
            Receipt = receipts.Sign(result.Record, call.RequestSha256!),
        };
    }

    public override async Task<SubmitRecordsResponse> SubmitRecords(IAsyncStreamReader<SubmitRecordsRequest> requestStream, ServerCallContext context)
    {
        var max = options.Value.MaxBatchItems;
        var maxBytes = options.Value.MaxBatchBytes;
        long bytes = 0;
        var results = new List<SubmitRecordsResult>();
        var pending = new List<(SubmitRecordsResult Result, PreparedRecord Item, SignedRequest Signed)>();
        await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
        {
            bytes += message.CalculateSize();
            if (results.Count == max || bytes > maxBytes)
            {
                throw new DomainException(ErrorKind.InvalidArgument, ErrorReason.BatchTooLarge, $"A batch holds at most {max} items and {maxBytes} bytes; nothing was stored.");
            }

            var result = new SubmitRecordsResult { Index = results.Count, SourceRecordId = message.Item?.SourceRecordId ?? "" };
            results.Add(result);
            try
            {
                // The same validation, and the same refusal, as a single SubmitRecord of the item.
                if (message.Item is not { } item)
                {
                    throw DomainException.InvalidArgument(ErrorReason.InvalidRequest, [new FieldViolation("item", "value is required", FieldViolationReason.Required)]);
                }

                if (validator.Refusal(item, call.Today) is { } invalid)
                {
                    throw invalid;
                }

                // Each item carries its own signature (signed with the batch method), checked as a single request's is.
                if (message.Signature is { } itemSignature && validator.Validate(itemSignature, call.Today, "signature") is { Count: > 0 } badSignature)
                {
                    throw DomainException.InvalidArgument(ErrorReason.InvalidRequest, badSignature);
                }

                var signed = signing.Check(call, message);
                pending.Add((result, intake.Prepare(item), signed));
            }
            catch (DomainException e)
            {
                Refuse(result, e);
            }
        }

        if (results.Count == 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReason.BatchEmpty, "The batch has no items; nothing was stored.");
        }

        metrics.BatchReceived(results.Count);
        await SpendSignaturesAsync(pending, context.CancellationToken);
        var stored = await intake.SubmitAsync(pending.Select(p => p.Item).ToList(), context.CancellationToken);

        metrics.Submission("rejected", results.Count - pending.Count);
        foreach (var outcome in stored.GroupBy(r => r.Outcome))
        {
            metrics.Submission(Outcome(outcome.Key), outcome.Count());
        }

        for (var i = 0; i < pending.Count; i++)
        {
            var (result, item, signed) = pending[i];
            if (stored[i].Outcome == SubmitOutcome.Conflict)
            {
                Refuse(result, SourceIdConflict(result.SourceRecordId));
                continue;
            }

            result.Record = Answer(stored[i], item);
            result.Receipt = receipts.Sign(stored[i].Record, signed.RequestSha256);
            result.Duplicate = stored[i].Outcome == SubmitOutcome.Duplicate;
        }

        var response = new SubmitRecordsResponse { Results = { results } };
        response.RejectedCount = results.Count(r => r.OutcomeCase == SubmitRecordsResult.OutcomeOneofCase.Error);
        response.AcceptedCount = results.Count - response.RejectedCount;
        return response;
    }

    /// <summary>
    /// Keeps the signed items' signatures (their nonces spent) and points each item's version at its own; an item whose
    /// nonce was spent before is refused as SIGNATURE_REPLAYED and leaves the batch.
    /// </summary>
    private async Task SpendSignaturesAsync(List<(SubmitRecordsResult Result, PreparedRecord Item, SignedRequest Signed)> pending, CancellationToken ct)
    {
        // Positions in the batch of the signed items, in order: of two items with one nonce, the first is kept.
        var signed = Enumerable.Range(0, pending.Count).Where(i => pending[i].Signed.Signature is not null).ToList();
        if (signed.Count == 0)
        {
            return;
        }

        var ids = await RequestSigning.SpendAsync(signatures, call, signed.Select(i => pending[i].Signed.Signature!).ToList(), ct);
        // Last first, so that a refused item can leave the list without moving the positions still to come.
        for (var k = signed.Count - 1; k >= 0; k--)
        {
            var (result, item, request) = pending[signed[k]];
            if (ids[k] is { } id)
            {
                pending[signed[k]] = (result, item with { Row = item.Row with { RequestSignatureId = id } }, request);
            }
            else
            {
                Refuse(result, RequestSigning.Replayed());
                pending.RemoveAt(signed[k]);
            }
        }
    }

    /// <summary>
    /// The record as stored: an accepted one from the content in hand (what was just sealed is not opened again); a
    /// duplicate from its stored row (the first acceptance, perhaps corrected since).
    /// </summary>
    private Record Answer(SubmitResult result, PreparedRecord item) =>
        RecordMapping.ToProto(result.Record, protector, call.Today, result.Outcome == SubmitOutcome.Accepted ? item.Content : null);

    public override async Task<GetRecordResponse> GetRecord(GetRecordRequest request, ServerCallContext context)
    {
        var agency = call.Agency;
        var row = await store.FindAsync(Guid.Parse(request.RecordId), context.CancellationToken);
        if (row is null || !RecordVisibility.Shares(agency, row.AgencyId, (RecordStatus)row.Status))
        {
            // Not-entitled, repaired (no longer shared) and absent look the same: the caller learns nothing.
            throw new DomainException(ErrorKind.NotFound, ErrorReason.RecordNotFound, $"No record {request.RecordId} is visible to agency '{agency.Id}'.");
        }

        return new GetRecordResponse { Record = RecordMapping.ToProto(row, protector, call.Today) };
    }

    public override async Task<ListSubjectRecordsResponse> ListSubjectRecords(ListSubjectRecordsRequest request, ServerCallContext context)
    {
        var agency = call.Agency;
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var subjectKey = call.StoredKey(request.Subject);
        var query = new SubjectQuery(
            subjectKey,
            agency,
            request.Categories.Select(c => (int)c).ToList(),
            request.Statuses.Select(s => (int)s).ToList(),
            ParseOptionalDate(request.DecisionDateFrom),
            ParseOptionalDate(request.DecisionDateTo),
            PageTokens.Decode(request, NormalizeSubject),
            pageSize + 1);
        var rows = await store.ListBySubjectAsync(query, context.CancellationToken);
        var response = new ListSubjectRecordsResponse { Records = { Page(rows, pageSize, out var last) } };
        if (last is not null)
        {
            response.NextPageToken = PageTokens.Encode(request, last.DecisionDate, last.Sequence, NormalizeSubject);
        }

        return response;
    }

    private static string Outcome(SubmitOutcome outcome) => outcome switch
    {
        SubmitOutcome.Accepted => "accepted",
        SubmitOutcome.Duplicate => "duplicate",
        _ => "conflict",
    };

    public override async Task<ListProjectRecordsResponse> ListProjectRecords(ListProjectRecordsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var rows = await store.ListByProjectAsync(
            request.ProjectCode, call.Agency, PageTokens.Decode(request), pageSize + 1, context.CancellationToken);
        var response = new ListProjectRecordsResponse { Records = { Page(rows, pageSize, out var last) } };
        if (last is not null)
        {
            response.NextPageToken = PageTokens.Encode(request, last.DecisionDate, last.Sequence);
        }

        return response;
    }

    /// <summary>The first <paramref name="pageSize"/> rows as records; <paramref name="last"/> is the page's last row when more follow (one more was read), else null.</summary>
    private List<Record> Page(IReadOnlyList<Storage.Entities.RecordEntity> rows, int pageSize, out Storage.Entities.RecordEntity? last)
    {
        last = rows.Count > pageSize ? rows[pageSize - 1] : null;
        var today = call.Today;
        return rows.Take(pageSize).Select(r => RecordMapping.ToProto(r, protector, today)).ToList();
    }

    /// <summary>An item's refusal: the status a single SubmitRecord of it would end with (localized), and the older ItemError shape.</summary>
    private void Refuse(SubmitRecordsResult result, DomainException e)
    {
        var status = RpcErrors.StatusOf(e);
        CallErrors.AddLocalizedMessage(status, call.Http?.Request.Headers.AcceptLanguage.ToString());
        result.Status = status;
        var error = new ItemError { Code = status.Code, Reason = e.Reason, Message = e.Message };
        error.FieldViolations.AddRange(e.Violations.Select(v => new Contracts.Records.V1.FieldViolation
        {
            Field = v.Field,
            Description = v.Description,
            Reason = v.Reason,
        }));
        result.Error = error;
    }

    /// <summary>A list by a civil servant is bound to the normalised resident ID (a lowercase check character lists the same).</summary>
    private static void NormalizeSubject(ListSubjectRecordsRequest filters)
    {
        if (filters.Subject is { } subject)
        {
            filters.Subject = RecordSubjects.Normalize(subject);
        }
    }

    private static DomainException SourceIdConflict(string sourceRecordId) => new(
        ErrorKind.AlreadyExists,
        ErrorReason.SourceIdConflict,
        $"Source record id '{sourceRecordId}' was already used for a record with different content; nothing was changed.");

    private static DateOnly? ParseOptionalDate(string value) =>
        value.Length > 0 && Domain.Records.ChinaCalendar.TryParseIsoDate(value, out var date) ? date : null;
}
