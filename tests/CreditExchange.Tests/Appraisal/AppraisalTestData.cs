using System.Globalization;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Storage;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Records;
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
                var response = await hub.Records(group.Key).SubmitBatchAsync(chunk);
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

    /// <summary>
    /// Drives a record to <paramref name="target"/> through the lifecycle, as its source agency and the
    /// regional platform (drc, acting for subjects) would: objection, correction (a typo fixed in the
    /// document number), revocation, or credit repair (applied and approved; the record must have served
    /// its minimum disclosure period). Expiry is reached by time, not by a call: see the lifecycle tests.
    /// Returns the record as it then stands.
    /// </summary>
    public static async Task<Contracts.Records.V1.Record> DriveToAsync(HubHost hub, string recordId, RecordStatus target)
    {
        var record = (await hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = recordId })).Record;
        var source = new LifecycleService.LifecycleServiceClient(hub.AgencyChannel(record.AgencyId));
        var drc = new LifecycleService.LifecycleServiceClient(hub.AgencyChannel("drc"));
        switch (target)
        {
            case RecordStatus.Active:
                return record;
            case RecordStatus.InDispute:
                return (await drc.FileObjectionAsync(new FileObjectionRequest { RecordId = recordId, ExpectedVersion = record.Version, Grounds = "当事人对认定事实有异议。" })).Record;
            case RecordStatus.Corrected:
                var content = record.Content.Clone();
                content.DecisionDocumentNumber += "（更正）";
                return (await source.CorrectRecordAsync(new CorrectRecordRequest { RecordId = recordId, ExpectedVersion = record.Version, Content = content, Reason = "文书号笔误更正" })).Record;
            case RecordStatus.Revoked:
                return (await source.RevokeRecordAsync(new RevokeRecordRequest { RecordId = recordId, ExpectedVersion = record.Version, Reason = "原决定已撤销" })).Record;
            case RecordStatus.Repaired:
                var applied = await drc.ApplyForRepairAsync(new ApplyForRepairRequest
                {
                    RecordId = recordId, ExpectedVersion = record.Version, ObligationsFulfilled = true,
                    ObligationsEvidence = "已全部履行", CreditCommitment = "本单位承诺依法履职、诚实守信。",
                });
                return (await source.DecideRepairAsync(new DecideRepairRequest
                {
                    RepairId = applied.Repair.RepairId, ExpectedVersion = applied.Record.Version, Decision = RepairState.Approved, Reason = "整改到位，准予修复",
                })).Record;
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target, "Reached by time, not by a lifecycle call.");
        }
    }

    public static async Task<T> WithDbAsync<T>(HubHost hub, Func<CreditDbContext, Task<T>> read)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CreditDbContext>());
    }
}
