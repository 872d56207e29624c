using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Statistics.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using static CreditExchange.Tests.Appraisal.AppraisalTestData;

namespace CreditExchange.Tests.Appraisal;

/// <summary>Statistics and warnings over real Kestrel, real mTLS and real PostgreSQL.</summary>
[Collection("postgres")]
public sealed class StatisticsServiceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly string[] Divisions = ["150102", "150103", "150203", "150602", "152201", "152502", "150100"];

    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(
        await postgres.CreateDatabaseAsync(),
        new Dictionary<string, string?>
        {
            ["Hub:Statistics:Warnings:GovernmentBody:RecordCount"] = "3",
            ["Hub:Statistics:Warnings:GovernmentBody:SeriousCount"] = "2",
            ["Hub:Statistics:Warnings:GovernmentBody:ArrearsFen"] = "1000",
            ["Hub:Statistics:Warnings:Region:RecordCount"] = "5",
            ["Hub:Statistics:Warnings:Region:SeriousCount"] = "0",
            ["Hub:Statistics:Warnings:Region:ArrearsFen"] = "0",
        });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task GetRecordStatistics_GeneratedData_RollUpsMatchIndependentCount()
    {
        var generated = await GenerateAsync(new Random(4242), 150);
        var counted = generated.Where(g => g.Status != RecordStatus.Revoked).ToList();

        var byPrefectureAndMonth = await Statistics(new GetRecordStatisticsRequest
        {
            DecisionDateFrom = "2024-01-01", DecisionDateTo = "2025-12-31",
            GroupBy = { Dimension.Region, Dimension.Period }, RegionLevel = RegionLevel.Prefecture, Period = Period.Month,
        });
        var byDepartment = await Statistics(new GetRecordStatisticsRequest
        {
            DecisionDateFrom = "2024-01-01", DecisionDateTo = "2025-12-31",
            GroupBy = { Dimension.Agency, Dimension.Category, Dimension.Severity },
        });
        var wholeRegion = await Statistics(new GetRecordStatisticsRequest
        {
            DecisionDateFrom = "2024-01-01", DecisionDateTo = "2025-12-31", GroupBy = { Dimension.Region }, RegionLevel = RegionLevel.Region,
        });
        var hohhotCountiesFirstHalf2025 = await Statistics(new GetRecordStatisticsRequest
        {
            DecisionDateFrom = "2025-01-01", DecisionDateTo = "2025-06-30", GroupBy = { Dimension.Region, Dimension.Period },
            RegionLevel = RegionLevel.County, DivisionCode = "150100",
        });
        var revokedOnly = await Statistics(new GetRecordStatisticsRequest
        {
            DecisionDateFrom = "2024-01-01", DecisionDateTo = "2025-12-31", Statuses = { RecordStatus.Revoked },
        });

        Assert.Equal(
            counted.GroupBy(g => (g.Division[..4] + "00", g.Decided.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)))
                .Select(x => (x.Key.Item1, x.Key.Item2, (long)x.Count(), x.Sum(g => g.Arrears), (long)x.Count(IsDebt)))
                .Order(),
            byPrefectureAndMonth.Groups.Select(g => (g.Region.DivisionCode, g.Period, g.RecordCount, g.ArrearsFen, g.GovernmentDebtRecordCount)).Order());
        Assert.All(byPrefectureAndMonth.Groups, g => Assert.Equal(RegionLevel.Prefecture, g.Region.Level));
        Assert.Equal(
            counted.GroupBy(g => (AgencyFor(g.Category), g.Category, g.Severity)).Select(x => (x.Key.Item1, x.Key.Category, x.Key.Severity, (long)x.Count())).Order(),
            byDepartment.Groups.Select(g => (g.AgencyId, g.Category, g.Severity, g.RecordCount)).Order());
        var region = Assert.Single(wholeRegion.Groups);
        Assert.Equal(("150000", (long)counted.Count, counted.Sum(g => g.Arrears)), (region.Region.DivisionCode, region.RecordCount, region.ArrearsFen));
        Assert.Equal((long)counted.Count, byPrefectureAndMonth.TotalRecordCount);
        // Arrears count wherever they are found, not only in the government-debt domain (seed clause 三(五)).
        Assert.Equal((counted.Sum(g => g.Arrears), counted.Sum(g => g.Arrears)), (byDepartment.TotalArrearsFen, byDepartment.TotalOutstandingArrearsFen));
        Assert.Equal(
            counted.Where(g => g.Division.StartsWith("1501", StringComparison.Ordinal) && g.Decided >= new DateOnly(2025, 1, 1) && g.Decided <= new DateOnly(2025, 6, 30))
                .GroupBy(g => (g.Division, g.Decided.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Select(x => (x.Key.Division, x.Key.Item2, (long)x.Count())).Order(),
            hohhotCountiesFirstHalf2025.Groups.Select(g => (g.Region.DivisionCode, g.Period, g.RecordCount)).Order());
        Assert.Equal(generated.Count(g => g.Status == RecordStatus.Revoked), Assert.Single(revokedOnly.Groups).RecordCount);
        Assert.True(counted.Any(g => g.Arrears > 0 && IsDebt(g)) && counted.Any(g => g.Arrears > 0 && !IsDebt(g)), "the generated data must hold arrears inside and outside the government-debt domain");
    }

    [Fact]
    public async Task ListWarnings_Thresholds_FireAtThresholdNotBelow()
    {
        var a = Body("150102");
        var b = Body("150102");
        var c = Body("150203");
        var d = Body("150203");
        var e = Body("150203");
        var revoked = Record(b, Category.JudicialJudgment, Severity.Serious, new DateOnly(2025, 3, 9));
        var records = new List<SubmitRecordRequest>
        {
            Record(a, Category.JudicialJudgment, Severity.General, new DateOnly(2025, 3, 1)),
            Record(a, Category.JudicialJudgment, Severity.General, new DateOnly(2025, 3, 2)),
            Record(a, Category.JudicialJudgment, Severity.Minor, new DateOnly(2025, 3, 3)),
            Record(a, Category.JudicialJudgment, Severity.General, new DateOnly(2023, 3, 3)),        // outside the range
            Record(b, Category.JudicialJudgment, Severity.General, new DateOnly(2025, 3, 4)),
            Record(b, Category.JudicialJudgment, Severity.Serious, new DateOnly(2025, 3, 5)),
            revoked,                                                                                  // revoked: not counted
            Record(c, Category.JudicialJudgment, Severity.Serious, new DateOnly(2025, 3, 6)),
            Record(c, Category.ProcuratorialOutcome, Severity.Serious, new DateOnly(2025, 3, 7)),
            Record(d, Category.BreachOfCommitment, Severity.Minor, new DateOnly(2025, 3, 8), RecordDomain.GovernmentDebt, 1000),
            Record(e, Category.BreachOfCommitment, Severity.Minor, new DateOnly(2025, 3, 8), RecordDomain.GovernmentDebt, 999),
            Record(TestData.CivilServantSubject(), Category.DisciplinarySanction, Severity.Serious, new DateOnly(2025, 3, 8)),
        };
        records[^1].Record.Subject.DivisionCode = "152201";
        var ids = await SubmitAllAsync(_hub, records);
        await DriveToAsync(_hub, ids[revoked.SourceRecordId], RecordStatus.Revoked);

        var response = await Client("drc").ListWarningsAsync(new ListWarningsRequest { DecisionDateFrom = "2025-01-01", DecisionDateTo = "2025-12-31" });

        Assert.Equal(
            [
                (WarningTarget.GovernmentBody, a.GovernmentBody.CreditCode, "RecordCount", 3L, 0L, 0L),
                (WarningTarget.GovernmentBody, c.GovernmentBody.CreditCode, "SeriousCount", 2L, 2L, 0L),
                (WarningTarget.GovernmentBody, d.GovernmentBody.CreditCode, "Arrears", 1L, 0L, 1000L),
                (WarningTarget.Region, "150100", "RecordCount", 5L, 1L, 0L),
            ],
            response.Warnings.Select(w => (w.Target, w.Key, string.Join(",", w.Reasons), w.RecordCount, w.SeriousCount, w.ArrearsFen)));
        Assert.Equal(RegionLevel.Prefecture, response.Warnings[^1].RegionLevel);
    }

    [Fact]
    public async Task Statistics_AgencyWithoutAppraisalScope_PermissionDenied()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Client("court").GetRecordStatisticsAsync(new GetRecordStatisticsRequest { DecisionDateFrom = "2025-01-01", DecisionDateTo = "2025-12-31" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("SCOPE_MISSING", TestData.Reason(e));
    }

    [Theory]
    [InlineData("", "2025-12-31", "decision_date_from")]
    [InlineData("2025-02-30", "2025-12-31", "decision_date_from")]
    [InlineData("2025-06-01", "2025-01-01", "decision_date_to")]
    public async Task Statistics_BadDateRange_InvalidArgument(string from, string to, string field)
    {
        var stats = await Assert.ThrowsAsync<RpcException>(() =>
            Client("drc").GetRecordStatisticsAsync(new GetRecordStatisticsRequest { DecisionDateFrom = from, DecisionDateTo = to }).ResponseAsync);
        var warnings = await Assert.ThrowsAsync<RpcException>(() =>
            Client("drc").ListWarningsAsync(new ListWarningsRequest { DecisionDateFrom = from, DecisionDateTo = to }).ResponseAsync);

        foreach (var e in new[] { stats, warnings })
        {
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains(field, TestData.ViolatedFields(e));
        }
    }

    private sealed record Generated(string Division, string Agency, Category Category, Severity Severity, RecordDomain Domain, DateOnly Decided, long Arrears, RecordStatus Status);

    private static bool IsDebt(Generated g) => g.Domain == RecordDomain.GovernmentDebt;

    private async Task<List<Generated>> GenerateAsync(Random random, int count)
    {
        Category[] categories = [Category.JudicialJudgment, Category.DisciplinarySanction, Category.AccountabilityAction, Category.BreachOfCommitment, Category.ProcuratorialOutcome];
        var requests = new List<SubmitRecordRequest>();
        for (var i = 0; i < count; i++)
        {
            var category = categories[random.Next(categories.Length)];
            var domain = category == Category.BreachOfCommitment ? (random.Next(2) == 0 ? RecordDomain.GovernmentDebt : RecordDomain.Procurement) : RecordDomain.Other;
            var arrears = category == Category.BreachOfCommitment ? random.Next(0, 5_000_000) : 0;
            var decided = new DateOnly(2024, 1, 1).AddDays(random.Next(0, 731));
            var subject = random.Next(3) == 0 ? TestData.CivilServantSubject() : Body();
            subject.DivisionCode = Divisions[random.Next(Divisions.Length)];
            requests.Add(Record(subject, category, (Severity)random.Next(1, 4), decided, domain, arrears));
        }

        var ids = await SubmitAllAsync(_hub, requests);
        var generated = new List<Generated>();
        foreach (var r in requests)
        {
            var status = random.Next(6) switch { 0 => RecordStatus.Revoked, 1 => RecordStatus.InDispute, _ => RecordStatus.Active };
            if (status != RecordStatus.Active)
            {
                await DriveToAsync(_hub, ids[r.SourceRecordId], status);
            }

            var content = r.Record;
            generated.Add(new Generated(content.Subject.DivisionCode, AgencyFor(content.Category), content.Category, content.Severity, content.Domain,
                DateOnly.Parse(content.DecisionDate, System.Globalization.CultureInfo.InvariantCulture), content.Penalty.ArrearsFen, status));
        }

        return generated;
    }

    private Task<GetRecordStatisticsResponse> Statistics(GetRecordStatisticsRequest request) => Client("drc").GetRecordStatisticsAsync(request).ResponseAsync;

    private StatisticsService.StatisticsServiceClient Client(string agency) => new(_hub.AgencyChannel(agency));
}
