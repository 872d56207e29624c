using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using CreditExchange.Tests.Hub;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Record = CreditExchange.Contracts.Records.V1.Record;

namespace CreditExchange.Tests.Lifecycle;

/// <summary>Shared steps of the lifecycle tests: a hub on a fake clock, records to change, and direct reads of the history tables.</summary>
public static class LifecycleKit
{
    /// <summary>Thursday 2026-11-26, 10:00 in Beijing.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    public const string PolicyVersion = "ndrc-credit-repair-2026";

    public static FakeTimeProvider NewClock() => new(Now);

    /// <summary>Midnight (00:00) of <paramref name="day"/> in Beijing, plus <paramref name="hours"/>.</summary>
    public static DateTimeOffset Beijing(DateOnly day, int hours = 0) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).AddHours(hours);

    public static LifecycleService.LifecycleServiceClient Lifecycle(this HubHost hub, string agencyId) =>
        new(hub.AgencyChannel(agencyId));

    public static async Task<Record> SubmitAsync(this HubHost hub, Severity severity = Severity.General, string decisionDate = "2026-10-15", string agency = "court")
    {
        // Credit repair reaches administrative penalties (finance's) and breaches of commitments, not a court's judgment.
        var request = agency switch
        {
            "supervision" => TestData.Submission(Category.DisciplinarySanction, decisionDate: decisionDate),
            "finance" => TestData.Submission(Category.AdministrativePenalty, RecordDomain.Procurement, decisionDate: decisionDate),
            _ => TestData.Submission(Category.JudicialJudgment, decisionDate: decisionDate),
        };
        request.Record.Severity = severity;
        return (await hub.Records(agency).SubmitRecordAsync(request)).Record;
    }

    public static async Task<Record> GetAsync(this HubHost hub, string recordId) =>
        (await hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = recordId })).Record;

    public static Task<int> ExpireDueAsync(this HubHost hub) =>
        hub.Services.GetRequiredService<ExpirySweeper>().ExpireDueAsync();

    /// <summary>The record's feed events, read straight from record_events in sequence order.</summary>
    public static List<RecordEventEntity> Events(this HubHost hub, string recordId)
    {
        var id = Guid.Parse(recordId);
        return hub.Query(db => db.RecordEvents.AsNoTracking().Where(e => e.RecordId == id).OrderBy(e => e.Sequence).ToList());
    }

    public static T Query<T>(this HubHost hub, Func<CreditDbContext, T> query)
    {
        using var scope = hub.Services.CreateScope();
        return query(scope.ServiceProvider.GetRequiredService<CreditDbContext>());
    }

    public static int CountEvents(this HubHost hub) => hub.Query(db => db.RecordEvents.Count());

    public static RecordContent Corrected(RecordContent content, string facts = "更正后的事实。")
    {
        var corrected = content.Clone();
        corrected.Facts = facts;
        return corrected;
    }
}
