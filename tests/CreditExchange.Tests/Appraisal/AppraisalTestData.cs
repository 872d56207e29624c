using System.Globalization;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Storage;
using CreditExchange.Tests.Hub;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Tests.Appraisal;

/// <summary>Records, rules files and direct database access for the appraisal and statistics tests.</summary>
internal static class AppraisalTestData
{
    /// <summary>
    /// The rules the service tests decide by (not the shipped policy, which operators may change):
    /// every type looks back 36 months, promotion 24; judgments disqualify from general severity,
    /// disciplinary sanctions always, breaches of commitment only when serious.
    /// </summary>
    public static string StandardRules(string version = "test-1", string effectiveFrom = "2000-01-01", string judgmentMinimum = "General") => $$"""
        {"ruleSets": [{{RuleSet(version, effectiveFrom, judgmentMinimum)}}]}
        """;

    public static string RuleSet(string version, string effectiveFrom, string judgmentMinimum) => $$"""
        {
          "version": "{{version}}", "effectiveFrom": "{{effectiveFrom}}",
          "appraisalTypes": {
            "Honors": {{Rule(36, judgmentMinimum)}},
            "Promotion": {"lookBackMonths": 24, "disqualifying": [{"category": "DisciplinarySanction", "minimumSeverity": "Minor"}]},
            "AnnualExcellence": {{Rule(12, judgmentMinimum)}},
            "IntegrityRating": {{Rule(36, judgmentMinimum)}}
          }
        }
        """;

    private static string Rule(int months, string judgmentMinimum) => $$"""
        {"lookBackMonths": {{months}}, "disqualifying": [
          {"category": "JudicialJudgment", "minimumSeverity": "{{judgmentMinimum}}"},
          {"category": "DisciplinarySanction", "minimumSeverity": "Minor"},
          {"category": "BreachOfCommitment", "minimumSeverity": "Serious"},
          {"category": "ProcuratorialOutcome", "minimumSeverity": "General"}]}
        """;

    /// <summary>Writes a rules file to a temporary path; the caller deletes it.</summary>
    public static string WriteRules(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"creditexchange-rules-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>The agency competent to submit a category (see appsettings.json).</summary>
    public static string AgencyFor(Category category) => category switch
    {
        Category.JudicialJudgment => "court",
        Category.DisciplinarySanction or Category.AccountabilityAction => "supervision",
        Category.BreachOfCommitment => "finance",
        Category.ProcuratorialOutcome => "procuratorate",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "No agency submits this category."),
    };

    public static SubmitRecordRequest Record(
        Subject subject, Category category, Severity severity, DateOnly decided, RecordDomain? domain = null, long arrearsFen = 0)
    {
        var request = TestData.Submission(
            category,
            domain ?? (category == Category.BreachOfCommitment ? RecordDomain.Procurement : RecordDomain.Other),
            subject,
            decided.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        request.Record.Severity = severity;
        request.Record.Penalty.ArrearsFen = arrearsFen;
        return request;
    }

    public static Subject Body(string divisionCode = "150102", string? creditCode = null)
    {
        var subject = TestData.GovernmentSubject(creditCode);
        subject.DivisionCode = divisionCode;
        return subject;
    }

    public static SubjectKey KeyOf(Subject subject) => subject.KindCase == Subject.KindOneofCase.GovernmentBody
        ? new SubjectKey { CreditCode = subject.GovernmentBody.CreditCode }
        : new SubjectKey { ResidentId = subject.CivilServant.ResidentId };

    /// <summary>Submits every record through its competent agency, in batch streams; the record id per source record id.</summary>
    public static async Task<Dictionary<string, string>> SubmitAllAsync(HubHost hub, IEnumerable<SubmitRecordRequest> records)
    {
        var ids = new Dictionary<string, string>();
        foreach (var group in records.GroupBy(r => AgencyFor(r.Record.Category)))
        {
            foreach (var chunk in group.Chunk(1000))
            {
                using var call = hub.Records(group.Key).SubmitRecords();
                foreach (var item in chunk)
                {
                    await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = item });
                }

                await call.RequestStream.CompleteAsync();
                var response = await call;
                Assert.Equal(0, response.RejectedCount);
                foreach (var result in response.Results)
                {
                    ids[result.SourceRecordId] = result.Record.RecordId;
                }
            }
        }

        return ids;
    }

    public static async Task<string> SubmitAsync(HubHost hub, SubmitRecordRequest record) =>
        (await hub.Records(AgencyFor(record.Record.Category)).SubmitRecordAsync(record)).Record.RecordId;

    /// <summary>Sets a record's lifecycle state in the database, as the lifecycle service will.</summary>
    public static async Task SetStatusAsync(HubHost hub, string recordId, RecordStatus status)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
        var id = Guid.Parse(recordId);
        var updated = await db.Records.Where(r => r.Id == id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, (int)status));
        Assert.Equal(1, updated);
    }

    public static async Task<T> WithDbAsync<T>(HubHost hub, Func<CreditDbContext, Task<T>> read)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CreditDbContext>());
    }
}
