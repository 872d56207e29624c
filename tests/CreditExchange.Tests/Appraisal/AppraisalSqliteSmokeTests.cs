using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Statistics.V1;
using ChinaCalendar = CreditExchange.Domain.Records.ChinaCalendar;
using CreditExchange.Tests.Hub;
using static CreditExchange.Tests.Appraisal.AppraisalTestData;

namespace CreditExchange.Tests.Appraisal;

/// <summary>The embedded default: appraisal, credit files and statistics on SQLite, with the shipped rules.</summary>
public sealed class AppraisalSqliteSmokeTests : IAsyncLifetime
{
    private static readonly DateOnly Today = ChinaCalendar.Today(TimeProvider.System);

    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(postgresConnectionString: null);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task CheckStatisticsWarningsCreditFile_OnSqlite()
    {
        var body = Body("152201");
        await SubmitAsync(_hub, Record(body, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-2)));
        await SubmitAsync(_hub, Record(body, Category.BreachOfCommitment, Severity.Serious, Today.AddDays(-1), RecordDomain.GovernmentDebt, 250_000_000));
        var request = new CheckCandidatesRequest { Purpose = new Purpose { AppraisalType = AppraisalType.IntegrityRating, CaseReference = "smoke" } };
        request.Subjects.Add(KeyOf(body));
        request.Subjects.AddRange(Enumerable.Range(0, 1_500).Select(_ => new SubjectKey { CreditCode = TestData.NewCreditCode() }));
        var from = Today.AddYears(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var check = await new AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("hrss")).CheckCandidatesAsync(request);
        var statistics = await new StatisticsService.StatisticsServiceClient(_hub.AgencyChannel("drc")).GetRecordStatisticsAsync(
            new GetRecordStatisticsRequest { DecisionDateFrom = from, DecisionDateTo = to, GroupBy = { Dimension.Region, Dimension.Period }, Period = Period.Month });
        var warnings = await new StatisticsService.StatisticsServiceClient(_hub.AgencyChannel("drc")).ListWarningsAsync(
            new ListWarningsRequest { DecisionDateFrom = from, DecisionDateTo = to });
        var file = await new CreditFileService.CreditFileServiceClient(_hub.AgencyChannel("drc")).GetCreditFileAsync(new GetCreditFileRequest { Subject = KeyOf(body) });

        Assert.Equal((1, 0, 1_500), (check.IneligibleCount, check.EligibleCount, check.PriorityCount));
        Assert.Equal(2, check.Results[0].DecidingRecords.Count);
        Assert.Equal(2, statistics.TotalRecordCount);
        Assert.Equal(250_000_000, statistics.TotalArrearsFen);
        Assert.All(statistics.Groups, g => Assert.Equal("152200", g.Region.DivisionCode));
        var warning = Assert.Single(warnings.Warnings);
        Assert.Equal((body.GovernmentBody.CreditCode, 2L, 250_000_000L), (warning.Key, warning.SeriousCount, warning.ArrearsFen));
        Assert.Equal(2, file.CreditFile.Entries.Count);
    }
}
