using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Appraisal;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using static CreditExchange.Tests.Records.LawRecordsTestData;

namespace CreditExchange.Tests.Records;

/// <summary>
/// PPP responsibility traceback (seed clause 三(二)): a record naming government-side responsible
/// persons is in each person's credit file with the role and counts in their appraisal checks as the
/// rules say; records are listed by project for the agencies entitled to them.
/// </summary>
[Collection("postgres")]
public sealed class ResponsiblePersonTests(PostgresFixture postgres) : IAsyncLifetime
{
    /// <summary>Promotion counts a principal's record as theirs and a related person's only against priority; honors ignore both.</summary>
    private const string Rules = """
        {"ruleSets": [{"version": "persons-1", "effectiveFrom": "2000-01-01", "appraisalTypes": {
          "Honors": {"lookBackMonths": 36, "disqualifying": [{"category": "JudicialJudgment", "minimumSeverity": "General"}]},
          "Promotion": {"lookBackMonths": 24, "countsBy": "PeriodOfEffect",
            "responsiblePersons": {"Principal": "AsSubject", "Related": "BlocksPriority"},
            "disqualifying": [{"category": "JudicialJudgment", "minimumSeverity": "General"}]},
          "AnnualExcellence": {"lookBackMonths": 12, "disqualifying": [{"category": "JudicialJudgment", "minimumSeverity": "General"}]},
          "IntegrityRating": {"lookBackMonths": 36, "disqualifying": [{"category": "JudicialJudgment", "minimumSeverity": "General"}]}
        }}]}
        """;

    private readonly string _rulesFile = AppraisalTestData.WriteRules(Rules);
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // 2026-11-26, Beijing
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(
        await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Hub:Appraisal:RulesFile"] = _rulesFile }, _clock);

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        File.Delete(_rulesFile);
    }

    [Fact]
    public async Task PppJudgment_TwoResponsiblePersons_InEachCreditFileAndTheirChecksPerTheRules()
    {
        var principal = TestData.NewResidentId();
        var related = TestData.NewResidentId();
        var bystander = TestData.NewResidentId();
        var body = TestData.GovernmentSubject();
        var id = (await _hub.Records("court").SubmitRecordAsync(PppJudgment("2026-07-29", "PPP-150102-2019-0007", principal, related, body))).Record.RecordId;

        var principalFile = await CreditFile("drc", principal);
        var relatedFile = await CreditFile("drc", related);
        var bodyFile = await CreditFile("drc", body.GovernmentBody.CreditCode);
        Assert.Equal((id, ResponsibleRole.Principal), (Assert.Single(principalFile.Entries).Record.RecordId, principalFile.Entries[0].ResponsibleRole));
        Assert.Equal((0, 1), (principalFile.InForceCount, principalFile.ResponsibleInForceCount));
        Assert.Equal((id, ResponsibleRole.Related), (Assert.Single(relatedFile.Entries).Record.RecordId, relatedFile.Entries[0].ResponsibleRole));
        Assert.Equal((ResponsibleRole.Unspecified, 1, 0), (Assert.Single(bodyFile.Entries).ResponsibleRole, bodyFile.InForceCount, bodyFile.ResponsibleInForceCount));

        var promotion = await Check(AppraisalType.Promotion, principal, related, bystander);
        Assert.Equal([Decision.Ineligible, Decision.Eligible, Decision.Priority], promotion.Results.Select(r => r.Decision));
        var deciding = Assert.Single(promotion.Results[0].DecidingRecords);
        Assert.Equal((id, ResponsibleRole.Principal), (deciding.RecordId, deciding.ResponsibleRole));
        // Honors' rule names no responsible roles: the record does not count for the persons it names.
        Assert.All((await Check(AppraisalType.Honors, principal, related)).Results, r => Assert.Equal(Decision.Priority, r.Decision));
        Assert.Equal(Decision.Ineligible, (await Check(AppraisalType.Honors, body.GovernmentBody.CreditCode)).Results[0].Decision);
    }

    [Fact]
    public async Task NamedPerson_VisibilityAndRepair_FollowTheRecordsStanding()
    {
        // A PPP administrative penalty (finance's): credit repair reaches it.
        var principal = TestData.NewResidentId();
        var penalty = PppJudgment("2026-07-29", "PPP-150102-2019-0008", principal, null);
        penalty.Record.Category = Category.AdministrativePenalty;
        penalty.Record.DecidingAuthority = new Authority { Name = "内蒙古自治区财政厅", CreditCode = TestData.NewCreditCode() };
        var id = (await _hub.Records("finance").SubmitRecordAsync(penalty)).Record.RecordId;

        Assert.Empty((await CreditFile("court", principal)).Entries);   // no query rights, not its record
        Assert.Single((await CreditFile("hrss", principal)).Entries);

        await AppraisalTestData.DriveToAsync(_hub, id, RecordStatus.Repaired);

        // Credit repair stops sharing and use: gone from other agencies' files and checks, kept by the source.
        Assert.Empty((await CreditFile("drc", principal)).Entries);
        Assert.Empty((await CreditFile("hrss", principal)).Entries);
        Assert.Equal(Decision.Priority, (await Check(AppraisalType.Promotion, principal)).Results[0].Decision);
        var own = Assert.Single((await CreditFile("finance", principal)).Entries);
        Assert.Equal((RecordStatus.Repaired, ResponsibleRole.Principal), (own.Record.Status, own.ResponsibleRole));
    }

    [Fact]
    public async Task ListProjectRecords_Paged_NewestFirstForEntitledAgencies()
    {
        const string project = "PPP-150102-2019-0009";
        var court = new List<string>();
        foreach (var day in new[] { "2026-01-05", "2026-03-05", "2026-05-05", "2026-07-05" })
        {
            court.Add((await _hub.Records("court").SubmitRecordAsync(PppJudgment(day, project, null, null))).Record.RecordId);
        }

        var penalty = PppJudgment("2026-02-05", project, null, null);
        penalty.Record.Category = Category.AdministrativePenalty;
        penalty.Record.DecidingAuthority = new Authority { Name = "内蒙古自治区财政厅", CreditCode = TestData.NewCreditCode() };
        var finance = (await _hub.Records("finance").SubmitRecordAsync(penalty)).Record.RecordId;
        await _hub.Records("court").SubmitRecordAsync(PppJudgment("2026-06-05", "PPP-OTHER", null, null));

        var pages = await AllPagesAsync("drc", project, pageSize: 2);
        Assert.Equal(3, pages.Count);
        Assert.Equal([court[3], court[2], court[1], finance, court[0]], pages.SelectMany(p => p.Records).Select(r => r.RecordId));
        Assert.Equal([court[3], court[2], court[1], court[0]], (await AllPagesAsync("court", project, 50)).SelectMany(p => p.Records).Select(r => r.RecordId));
        Assert.Equal([finance], (await AllPagesAsync("finance", project, 50)).SelectMany(p => p.Records).Select(r => r.RecordId));
        Assert.Empty((await Records("drc").ListProjectRecordsAsync(new ListProjectRecordsRequest { ProjectCode = "PPP-NONE" })).Records);

        var replayed = await Assert.ThrowsAsync<RpcException>(() => Records("drc").ListProjectRecordsAsync(
            new ListProjectRecordsRequest { ProjectCode = "PPP-OTHER", PageSize = 2, PageToken = pages[0].NextPageToken }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN"), (replayed.StatusCode, TestData.Reason(replayed)));
        Assert.Contains("page_token", TestData.ViolatedFields(replayed));

        await AppraisalTestData.DriveToAsync(_hub, finance, RecordStatus.Repaired);
        Assert.DoesNotContain(finance, (await AllPagesAsync("drc", project, 50)).SelectMany(p => p.Records).Select(r => r.RecordId));
        Assert.Contains(finance, (await AllPagesAsync("finance", project, 50)).SelectMany(p => p.Records).Select(r => r.RecordId));
    }

    [Fact]
    public async Task RecordsOfAnEarlierHub_ProjectAndPersonsDerivedFromTheirContentAtStart()
    {
        var database = await postgres.CreateDatabaseAsync();
        var principal = TestData.NewResidentId();
        await using (var earlier = await HubHost.StartAsync(database, time: _clock))
        {
            await earlier.Records("court").SubmitRecordAsync(PppJudgment("2026-07-29", "PPP-150102-2019-0011", principal, null));
        }

        // What a hub before the derived columns left: no project code, no persons, version 0.
        await using (var connection = new Npgsql.NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("""DELETE FROM record_persons; UPDATE records SET "ProjectCode" = NULL, "DerivedColumnsVersion" = 0""", connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var hub = await HubHost.StartAsync(database, time: _clock);
        var project = await hub.Records("drc").ListProjectRecordsAsync(new ListProjectRecordsRequest { ProjectCode = "PPP-150102-2019-0011" });
        var file = (await new CreditFileService.CreditFileServiceClient(hub.AgencyChannel("drc")).GetCreditFileAsync(new GetCreditFileRequest { Subject = Key(principal) })).CreditFile;

        Assert.Single(project.Records);
        Assert.Equal(ResponsibleRole.Principal, Assert.Single(file.Entries).ResponsibleRole);
    }

    private RecordService.RecordServiceClient Records(string agency) => _hub.Records(agency);

    private async Task<List<ListProjectRecordsResponse>> AllPagesAsync(string agency, string project, int pageSize)
    {
        var pages = new List<ListProjectRecordsResponse>();
        var token = "";
        do
        {
            var page = await Records(agency).ListProjectRecordsAsync(new ListProjectRecordsRequest { ProjectCode = project, PageSize = pageSize, PageToken = token });
            pages.Add(page);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return pages;
    }

    private async Task<CreditFile> CreditFile(string agency, string identifier) =>
        (await new CreditFileService.CreditFileServiceClient(_hub.AgencyChannel(agency)).GetCreditFileAsync(new GetCreditFileRequest { Subject = Key(identifier) })).CreditFile;

    private Task<CheckCandidatesResponse> Check(AppraisalType type, params string[] identifiers) =>
        new AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("drc")).CheckCandidatesAsync(new CheckCandidatesRequest
        {
            Purpose = new Purpose { AppraisalType = type, CaseReference = "内组干〔2026〕3号" },
            Subjects = { identifiers.Select(Key) },
        }).ResponseAsync;

    /// <summary>TestData's credit codes start 11 (机构编制, 机关), its resident IDs 150102.</summary>
    private static SubjectKey Key(string identifier) => identifier.StartsWith("11", StringComparison.Ordinal)
        ? new SubjectKey { CreditCode = identifier }
        : new SubjectKey { ResidentId = identifier };
}
