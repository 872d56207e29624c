using System.Text;
using CreditExchange.Contracts.Publication.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Paging;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Records;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CreditExchange.Server.Publication;

/// <summary>
/// Thin gRPC (and HTTP JSON) surface of the public disclosure list: which records the standing lets
/// be published, in their masked public form, and the feed of changes to the list.
/// </summary>
public sealed class PublicationGrpcService(PublicList list, FeedStore feed, RecordStore records, CallContext call)
    : PublicationService.PublicationServiceBase
{
    private const int DefaultPageSize = 100;
    private const int DefaultChangesPageSize = 200;

    public override async Task<ListPublicationsResponse> ListPublications(ListPublicationsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var asOf = request.AsOfDate.Length == 0 ? call.Today : Iso(request.AsOfDate);
        // Bound to the day listed, whether it was named or defaulted to today.
        var query = new ListPublicationsRequest(request) { AsOfDate = RecordMapping.Date(asOf) };
        var after = PageTokens.Decode(query)?.Sequence ?? 0;
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var head = await feed.HeadAsync(ct);
        var rows = await list.ListAsync(asOf, asOf == call.Today, after, pageSize + 1, ct);
        var response = new ListPublicationsResponse { AsOfDate = RecordMapping.Date(asOf), AsOfSequence = head };
        response.Publications.AddRange(rows.Take(pageSize).Select(r => r.Form));
        if (rows.Count > pageSize)
        {
            response.NextPageToken = PageTokens.Encode(query, asOf, rows[pageSize - 1].Sequence);
        }

        return response;
    }

    public override async Task<ListPublicationChangesResponse> ListPublicationChanges(ListPublicationChangesRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var head = await feed.HeadAsync(ct);
        if (request.AfterSequence > head)
        {
            throw new DomainException(ErrorKind.OutOfRange, ErrorReason.FeedSequenceNotReached, $"The feed's head is sequence {head}; sequence {request.AfterSequence} has not been reached.");
        }

        var pageSize = request.PageSize == 0 ? DefaultChangesPageSize : request.PageSize;
        var events = await feed.ReadAfterAsync(request.AfterSequence, pageSize, ct);
        var rows = events.Count == 0 ? [] : await feed.RecordsAsync(events.Select(e => e.RecordId).Distinct().ToList(), ct);
        var histories = await list.HistoriesAsync(rows, ct);
        var response = new ListPublicationChangesResponse
        {
            NextAfterSequence = events.Count == 0 ? request.AfterSequence : events[^1].FeedPosition!.Value,
            CaughtUp = events.Count < pageSize,
        };
        foreach (var e in events)
        {
            // The version the event made; an event whose version did not change the list is skipped.
            if (histories.GetValueOrDefault(e.RecordId)?.Find(s => s.Version.Version == e.Version) is { Changed: true } step)
            {
                response.Changes.Add(Change(e, step));
            }
        }

        return response;
    }

    public override async Task<GetPublicationResponse> GetPublication(GetPublicationRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var row = await records.FindAsync(Guid.Parse(request.RecordId), ct);
        var form = row is null ? null : await list.FindAsync(row, call.Today, ct);
        return form is null
            ? throw new DomainException(ErrorKind.NotFound, ErrorReason.PublicationNotFound, $"Record {request.RecordId} is not on the public list today.")
            : new GetPublicationResponse { Publication = form };
    }

    /// <summary>What the event's version did to the list: the public form it put there, or a withdrawal.</summary>
    private static PublicationChange Change(RecordEventEntity e, PublicList.Step step)
    {
        var change = new PublicationChange { Sequence = e.FeedPosition!.Value, RecordId = e.RecordId.ToString(), OccurredAt = Timestamp.FromDateTimeOffset(e.OccurredAt) };
        if (step.Form is { } form)
        {
            change.Kind = PublicationChangeKind.Published;
            change.Publication = form;
        }
        else
        {
            change.Kind = PublicationChangeKind.Withdrawn;
        }

        return change;
    }

    private static DateOnly Iso(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
