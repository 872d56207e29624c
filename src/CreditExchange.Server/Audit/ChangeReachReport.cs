using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;
using CreditExchange.Server.Calls;
using CreditExchange.Storage;
using Google.Protobuf.WellKnownTypes;
using RecordChange = CreditExchange.Contracts.Lifecycle.V1.RecordChange;

namespace CreditExchange.Server.Audit;

/// <summary>
/// Who a change of a record reached, from the recipient ledger: one change's past recipients (delivered, acknowledged),
/// and per agency and region the changes past recipients have not acknowledged past the "change-acknowledgement" limit.
/// The rule of who is a past recipient is <see cref="Domain.Feed.ChangeReach"/>.
/// </summary>
public sealed class ChangeReachReport(ReachStore store, TimeLimits limits, WorkingDayCalendar calendar, CallContext call)
{
    private const int DefaultPageSize = 100;

    public async Task<GetChangeReachResponse> GetAsync(GetChangeReachRequest request, CancellationToken ct)
    {
        var recordId = Guid.Parse(request.RecordId);
        var change = await store.ChangeAsync(recordId, request.Version, ct)
            ?? throw new DomainException(ErrorKind.NotFound, ErrorReason.RecordNotFound, $"Record {request.RecordId} has no version {request.Version}.");
        var recipients = await store.RecipientsAsync(change, ct);
        var response = new GetChangeReachResponse
        {
            RecordId = request.RecordId,
            Version = change.Version,
            Change = (RecordChange)change.EventType,
            ChangedByAgencyId = change.ChangedBy,
            OccurredAt = Timestamp.FromDateTimeOffset(change.OccurredAt),
            Sequence = change.Sequence,
            AcknowledgementLimit = TimeLimitMapping.ToProto(limits, TimeLimits.ChangeAcknowledgement, Due(change.OccurredAt)),
        };
        foreach (var r in recipients)
        {
            var recipient = new ChangeRecipient
            {
                AgencyId = r.AgencyId,
                FirstVersion = r.FirstVersion,
                FirstDeliveredAt = Utc(r.FirstDeliveredAt),
                LatestVersion = r.LatestVersion,
                LatestDeliveredAt = Utc(r.LatestDeliveredAt),
                Delivered = Domain.Feed.ChangeReach.Delivered(r.LatestVersion, change.Version),
                Acknowledged = r.AcknowledgedAt is not null,
            };
            if (r.AcknowledgedAt is { } at)
            {
                recipient.AcknowledgedAt = Utc(at);
            }

            response.Recipients.Add(recipient);
        }

        response.DeliveredCount = response.Recipients.Count(r => r.Delivered);
        response.AcknowledgedCount = response.Recipients.Count(r => r.Acknowledged);
        return response;
    }

    public async Task<GetChangeReachStatisticsResponse> StatisticsAsync(GetChangeReachStatisticsRequest request, CancellationToken ct)
    {
        var today = call.Today;
        var level = request.RegionLevel == Contracts.Statistics.V1.RegionLevel.Unspecified ? RegionLevel.Prefecture : (RegionLevel)request.RegionLevel;
        var applied = request.WorkingDays == 0 ? limits : limits.WithWorkingDays(TimeLimits.ChangeAcknowledgement, request.WorkingDays);
        var after = PageTokens.Decode(request)?.Sequence ?? 0;
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;

        // Only changes before today can be past a limit of at least one working day.
        var rows = await store.UnacknowledgedAsync(
            ChinaCalendar.StartOf(today), request.DivisionCode.Length == 0 ? null : DivisionRollup.ScopePrefix(request.DivisionCode), ct);
        var dueOf = AcknowledgementDue(applied, calendar);

        var late = rows.Where(r => Overdue.ChangeAcknowledgement(dueOf(r.OccurredAt), today)).ToList();
        var response = new GetChangeReachStatisticsResponse
        {
            AsOfDate = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            AcknowledgementLimit = TimeLimitMapping.ToProto(applied, TimeLimits.ChangeAcknowledgement, null),
        };
        response.Groups.AddRange(late
            .GroupBy(r => (r.AgencyId, Region: DivisionRollup.ToLevel(r.DivisionCode, level)))
            .OrderBy(g => g.Key.AgencyId, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Region, StringComparer.Ordinal)
            .Select(g => new UnacknowledgedChanges
            {
                AgencyId = g.Key.AgencyId,
                DivisionCode = g.Key.Region,
                ChangeCount = g.Count(),
                UndeliveredCount = g.Count(r => !r.Delivered),
                OldestOccurredAt = Timestamp.FromDateTimeOffset(g.Min(r => r.OccurredAt)),
            }));

        var changes = late.GroupBy(r => r.Sequence).OrderBy(g => g.Key).ToList();
        response.WarningCount = changes.Count;
        var page = changes.Where(g => g.Key > after).Take(pageSize + 1).ToList();
        var coverage = await store.CoverageAsync(page.Take(pageSize).Select(g => g.First()).ToList(), ct);
        foreach (var g in page.Take(pageSize))
        {
            var c = g.First();
            var (recipients, delivered) = coverage.GetValueOrDefault((c.RecordId, c.Version));
            var warning = new ChangeCoverageWarning
            {
                RecordId = c.RecordId.ToString(),
                Version = c.Version,
                Change = (RecordChange)c.EventType,
                Sequence = c.Sequence,
                OccurredAt = Timestamp.FromDateTimeOffset(c.OccurredAt),
                DueDate = dueOf(c.OccurredAt).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                RecipientCount = recipients,
                DeliveredCount = delivered,
                AcknowledgedCount = recipients - g.Count(),
            };
            warning.UnacknowledgedAgencyIds.AddRange(g.Select(r => r.AgencyId).Order(StringComparer.Ordinal));
            response.Warnings.Add(warning);
        }

        if (page.Count > pageSize)
        {
            response.NextPageToken = PageTokens.Encode(request, DateOnly.MinValue, page[pageSize - 1].Key);
        }

        return response;
    }

    private DateOnly Due(DateTimeOffset occurredAt) => AcknowledgementDue(limits, calendar)(occurredAt);

    /// <summary>
    /// The last working day past recipients have to acknowledge a change that occurred at a given instant, under
    /// <paramref name="limits"/>; computed once per Beijing day, as many changes share a day.
    /// </summary>
    internal static Func<DateTimeOffset, DateOnly> AcknowledgementDue(TimeLimits limits, WorkingDayCalendar calendar)
    {
        var dueDates = new Dictionary<DateOnly, DateOnly>();
        return at =>
        {
            var day = ChinaCalendar.DateOf(at);
            if (!dueDates.TryGetValue(day, out var due))
            {
                dueDates[day] = due = limits.Due(TimeLimits.ChangeAcknowledgement, day, calendar);
            }

            return due;
        };
    }

    private static Timestamp Utc(DateTime at) => Timestamp.FromDateTime(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
