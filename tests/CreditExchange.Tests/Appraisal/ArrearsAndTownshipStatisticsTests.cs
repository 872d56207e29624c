using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Statistics.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using static CreditExchange.Tests.Records.LawRecordsTestData;

namespace CreditExchange.Tests.Appraisal;

/// <summary>
/// Arrears of project payments and migrant workers' wages (seed clause 三(五)) counted in statistics
/// and warnings from every domain that carries them; township subjects (三(六)) rolled up township →
/// county → prefecture → region.
/// </summary>
[Collection("postgres")]
public sealed class ArrearsAndTownshipStatisticsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private HubHost _hub = null!;
    private Subject _township = null!;
    private Subject _settled = null!;
    private Subject _county = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubHost.StartAsync(
            await postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?>
            {
                ["Hub:Statistics:Warnings:GovernmentBody:RecordCount"] = "0",
                ["Hub:Statistics:Warnings:GovernmentBody:SeriousCount"] = "0",
                ["Hub:Statistics:Warnings:GovernmentBody:ArrearsFen"] = "100000000",   // 1,000,000 yuan outstanding
                ["Hub:Statistics:Warnings:Region:RecordCount"] = "0",
                ["Hub:Statistics:Warnings:Region:SeriousCount"] = "0",
                ["Hub:Statistics:Warnings:Region:ArrearsFen"] = "200000000",
            },
            LifecycleKit.NewClock());

        // A PPP court judgment on 2,500,000 yuan of project payments and 300,000 yuan of wages (100,000 paid),
        // against a sumu-level government.
        _township = AppraisalTestData.Body("150102001");
        var judgment = PppJudgment("2026-06-01", "PPP-150102-2019-0010", null, null, _township);
        judgment.Record.Arrears = new Arrears { ProjectPayments = Owed(250_000_000), MigrantWorkersWages = Owed(30_000_000, 10_000_000) };
        judgment.Record.Penalty.ArrearsFen = 280_000_000;
        await _hub.Records("court").SubmitRecordAsync(judgment);

        // Procurement arrears since settled in full: counted as found, not as outstanding.
        _settled = AppraisalTestData.Body("150203");
        var settled = AppraisalTestData.Record(_settled, Category.BreachOfCommitment, Severity.General, new DateOnly(2026, 5, 1), RecordDomain.Procurement);
        settled.Record.Arrears = new Arrears { ProjectPayments = Owed(150_000_000, 150_000_000, "2026-08-01") };
        await _hub.Records("finance").SubmitRecordAsync(settled);

        // An earlier client's untyped government-debt arrears.
        _county = AppraisalTestData.Body("150102");
        await _hub.Records("finance").SubmitRecordAsync(
            AppraisalTestData.Record(_county, Category.BreachOfCommitment, Severity.General, new DateOnly(2026, 4, 1), RecordDomain.GovernmentDebt, arrearsFen: 5_000));
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task GetRecordStatistics_ArrearsOfEveryDomain_CountedByKindAndOutstanding()
    {
        var byTownship = await Statistics(RegionLevel.Township);

        Assert.Equal(
            [
                ("150102", 5_000L, 0L, 0L, 5_000L, 1L),
                ("150102001", 280_000_000L, 250_000_000L, 30_000_000L, 270_000_000L, 1L),
                ("150203", 150_000_000L, 150_000_000L, 0L, 0L, 1L),
            ],
            byTownship.Groups.Select(g => (g.Region.DivisionCode, g.ArrearsFen, g.ProjectPaymentArrearsFen, g.MigrantWorkersWageArrearsFen, g.OutstandingArrearsFen, g.ArrearsRecordCount)));
        Assert.All(byTownship.Groups, g => Assert.Equal(RegionLevel.Township, g.Region.Level));
        Assert.Equal(
            (430_005_000L, 270_005_000L, 400_000_000L, 30_000_000L),
            (byTownship.TotalArrearsFen, byTownship.TotalOutstandingArrearsFen, byTownship.TotalProjectPaymentArrearsFen, byTownship.TotalMigrantWorkersWageArrearsFen));
    }

    [Fact]
    public async Task GetRecordStatistics_TownshipSubject_RollsUpThroughCountyPrefectureAndRegion()
    {
        Assert.Equal([("150102", 2L, 280_005_000L), ("150203", 1L, 150_000_000L)], Rows(await Statistics(RegionLevel.County)));
        Assert.Equal([("150100", 2L, 280_005_000L), ("150200", 1L, 150_000_000L)], Rows(await Statistics(RegionLevel.Prefecture)));
        Assert.Equal([("150000", 3L, 430_005_000L)], Rows(await Statistics(RegionLevel.Region)));
        Assert.Equal([("150102001", 1L, 280_000_000L)], Rows(await Statistics(RegionLevel.Township, "150102001")));
        Assert.Equal([("150102", 2L, 280_005_000L)], Rows(await Statistics(RegionLevel.County, "150102")));
    }

    [Fact]
    public async Task ListWarnings_OutstandingArrearsOfAPppJudgment_WarnBodyAndRegion()
    {
        var prefecture = await Client().ListWarningsAsync(new ListWarningsRequest { DecisionDateFrom = "2026-01-01", DecisionDateTo = "2026-12-31" });
        var township = await Client().ListWarningsAsync(new ListWarningsRequest { DecisionDateFrom = "2026-01-01", DecisionDateTo = "2026-12-31", RegionLevel = RegionLevel.Township });

        Assert.Equal(
            [
                (WarningTarget.GovernmentBody, _township.GovernmentBody.CreditCode, "Arrears", 280_000_000L, 270_000_000L),
                (WarningTarget.Region, "150100", "Arrears", 280_005_000L, 270_005_000L),
            ],
            prefecture.Warnings.Select(w => (w.Target, w.Key, string.Join(",", w.Reasons), w.ArrearsFen, w.OutstandingArrearsFen)));
        // The settled body found 1,500,000 yuan in arrears but owes nothing now: no warning.
        Assert.DoesNotContain(prefecture.Warnings, w => w.Key == _settled.GovernmentBody.CreditCode);
        Assert.Contains(township.Warnings, w => (w.Target, w.Key, w.RegionLevel) == (WarningTarget.Region, "150102001", RegionLevel.Township));
    }

    private static List<(string, long, long)> Rows(GetRecordStatisticsResponse response) =>
        response.Groups.Select(g => (g.Region.DivisionCode, g.RecordCount, g.ArrearsFen)).ToList();

    private StatisticsService.StatisticsServiceClient Client() => new(_hub.AgencyChannel("drc"));

    private Task<GetRecordStatisticsResponse> Statistics(RegionLevel level, string division = "") => Client().GetRecordStatisticsAsync(new GetRecordStatisticsRequest
    {
        DecisionDateFrom = "2026-01-01", DecisionDateTo = "2026-12-31", GroupBy = { Dimension.Region }, RegionLevel = level, DivisionCode = division,
    }).ResponseAsync;
}
