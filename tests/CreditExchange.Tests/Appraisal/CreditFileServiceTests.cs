using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using static CreditExchange.Tests.Appraisal.AppraisalTestData;

namespace CreditExchange.Tests.Appraisal;

/// <summary>Credit files over real Kestrel, real mTLS and real PostgreSQL.</summary>
[Collection("postgres")]
public sealed class CreditFileServiceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task GetCreditFile_QueryingAgency_EveryRecordInAnyStateNewestFirst()
    {
        var person = TestData.CivilServantSubject();
        var old = await SubmitAsync(_hub, Record(person, Category.JudicialJudgment, Severity.General, new DateOnly(2019, 5, 1)));
        var revoked = await SubmitAsync(_hub, Record(person, Category.DisciplinarySanction, Severity.Minor, new DateOnly(2023, 5, 1)));
        var recent = await SubmitAsync(_hub, Record(person, Category.JudicialJudgment, Severity.Serious, new DateOnly(2025, 5, 1)));
        await SubmitAsync(_hub, Record(TestData.CivilServantSubject(), Category.JudicialJudgment, Severity.Serious, new DateOnly(2025, 5, 1)));
        await DriveToAsync(_hub, revoked, RecordStatus.Revoked);

        var file = (await Client("drc").GetCreditFileAsync(new GetCreditFileRequest { Subject = new SubjectKey { ResidentId = person.CivilServant.ResidentId.ToLowerInvariant() } })).CreditFile;

        Assert.Equal([recent, revoked, old], file.Entries.Select(e => e.Record.RecordId));
        Assert.Equal([RecordStatus.Active, RecordStatus.Revoked, RecordStatus.Active], file.Entries.Select(e => e.Record.Status));
        Assert.Equal(2, file.InForceCount);
        Assert.Equal(person.CivilServant.ResidentId.ToUpperInvariant(), file.Subject.ResidentId);
        Assert.Equal(person, file.Entries[0].Record.Content.Subject);
    }

    [Fact]
    public async Task GetCreditFile_ManyRecords_PagedWithWholeFileCounts_TokenBoundToTheSubject()
    {
        var body = Body();
        var start = new DateOnly(2020, 1, 1);
        await SubmitAllAsync(_hub, Enumerable.Range(0, 230).Select(i => Record(body, Category.JudicialJudgment, Severity.General, start.AddDays(i))));
        var client = Client("drc");

        var pages = new List<GetCreditFileResponse>();
        var request = new GetCreditFileRequest { Subject = KeyOf(body) };
        do
        {
            var page = await client.GetCreditFileAsync(request);
            pages.Add(page);
            request = new GetCreditFileRequest { Subject = KeyOf(body), PageToken = page.NextPageToken };
        }
        while (pages[^1].NextPageToken.Length > 0);

        // 100, 100, 30: newest decision first across pages, none twice, the counts of the whole file on every page.
        Assert.Equal([100, 100, 30], pages.Select(p => p.CreditFile.Entries.Count));
        var dates = pages.SelectMany(p => p.CreditFile.Entries).Select(e => e.Record.Content.DecisionDate).ToList();
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal), dates);
        Assert.Equal(230, dates.Distinct().Count());
        Assert.All(pages, p => Assert.Equal((230, 230), (p.CreditFile.TotalEntries, p.CreditFile.InForceCount)));

        var small = await client.GetCreditFileAsync(new GetCreditFileRequest { Subject = KeyOf(body), PageSize = 7 });
        Assert.Equal((7, 230), (small.CreditFile.Entries.Count, small.CreditFile.TotalEntries));

        // A token of this subject's file does not page another subject's.
        var other = await Assert.ThrowsAsync<RpcException>(() => client.GetCreditFileAsync(
            new GetCreditFileRequest { Subject = KeyOf(Body()), PageToken = pages[0].NextPageToken }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN"), (other.StatusCode, TestData.Reason(other)));
        var tooLarge = await Assert.ThrowsAsync<RpcException>(() => client.GetCreditFileAsync(
            new GetCreditFileRequest { Subject = KeyOf(body), PageSize = 501 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, tooLarge.StatusCode);
    }

    [Fact]
    public async Task GetCreditFile_LargeRecords_PageEndsBeforeOneMebibyte_WalkStillReadsEveryEntryOnce()
    {
        // 8,000 characters of facts (24 KB in UTF-8) per record: 500 of them would make a 12 MB answer.
        var body = Body();
        var start = new DateOnly(2021, 1, 1);
        await SubmitAllAsync(_hub, Enumerable.Range(0, 60).Select(i =>
        {
            var record = Record(body, Category.JudicialJudgment, Severity.General, start.AddDays(i));
            record.Record.Facts = new string('失', 8000);
            return record;
        }));
        var client = Client("drc");

        var pages = new List<GetCreditFileResponse>();
        var request = new GetCreditFileRequest { Subject = KeyOf(body), PageSize = 500 };
        do
        {
            var page = await client.GetCreditFileAsync(request);
            pages.Add(page);
            request = new GetCreditFileRequest { Subject = KeyOf(body), PageSize = 500, PageToken = page.NextPageToken };
        }
        while (pages[^1].NextPageToken.Length > 0);

        Assert.True(pages.Count > 1);
        Assert.All(pages, p => Assert.InRange(p.CreditFile.CalculateSize(), 1, (1 << 20) + 4096));
        var dates = pages.SelectMany(p => p.CreditFile.Entries).Select(e => e.Record.Content.DecisionDate).ToList();
        Assert.Equal(60, dates.Distinct().Count());
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal), dates);
        Assert.All(pages, p => Assert.Equal(60, p.CreditFile.TotalEntries));
    }

    [Fact]
    public async Task GetCreditFile_AgencyWithoutQueryRights_OnlyItsOwnRecords()
    {
        var body = Body();
        var courts = await SubmitAsync(_hub, Record(body, Category.JudicialJudgment, Severity.General, new DateOnly(2024, 1, 1)));
        await SubmitAsync(_hub, Record(body, Category.AccountabilityAction, Severity.General, new DateOnly(2024, 2, 1)));

        var court = (await Client("court").GetCreditFileAsync(new GetCreditFileRequest { Subject = KeyOf(body) })).CreditFile;
        var procuratorate = (await Client("procuratorate").GetCreditFileAsync(new GetCreditFileRequest { Subject = KeyOf(body) })).CreditFile;
        var drc = (await Client("drc").GetCreditFileAsync(new GetCreditFileRequest { Subject = KeyOf(body) })).CreditFile;

        Assert.Equal(courts, Assert.Single(court.Entries).Record.RecordId);
        Assert.Empty(procuratorate.Entries);
        Assert.Equal(2, drc.Entries.Count);
    }

    [Fact]
    public async Task GetCreditFile_AfterLifecycleChanges_EveryVersionAndObjectionPerRecord()
    {
        var body = Body();
        var disputed = await SubmitAsync(_hub, Record(body, Category.JudicialJudgment, Severity.General, new DateOnly(2025, 6, 1)));
        var untouched = await SubmitAsync(_hub, Record(body, Category.JudicialJudgment, Severity.General, new DateOnly(2024, 6, 1)));
        var lifecycle = new Contracts.Lifecycle.V1.LifecycleService.LifecycleServiceClient(_hub.AgencyChannel("drc"));
        await lifecycle.FileObjectionAsync(new Contracts.Lifecycle.V1.FileObjectionRequest { RecordId = disputed, ExpectedVersion = 1, Grounds = "事实有误" });

        var file = (await Client("drc").GetCreditFileAsync(new GetCreditFileRequest { Subject = KeyOf(body) })).CreditFile;

        var first = file.Entries.Single(e => e.Record.RecordId == disputed);
        var second = file.Entries.Single(e => e.Record.RecordId == untouched);
        Assert.Equal([1L, 2L], first.Versions.Select(v => v.Version));
        Assert.Equal(RecordStatus.InDispute, first.Record.Status);
        Assert.Equal("事实有误", Assert.Single(first.Objections).Grounds);
        Assert.Equal([1L], second.Versions.Select(v => v.Version));
        Assert.Empty(second.Objections);
        Assert.Empty(second.Repairs);
    }

    [Fact]
    public async Task GetCreditFile_CleanSubject_EmptyFile()
    {
        var file = (await Client("drc").GetCreditFileAsync(new GetCreditFileRequest { Subject = new SubjectKey { CreditCode = TestData.NewCreditCode() } })).CreditFile;

        Assert.Empty(file.Entries);
        Assert.Equal(0, file.InForceCount);
    }

    [Fact]
    public async Task GetCreditFile_BadOrMissingKey_InvalidArgument()
    {
        var bad = await Assert.ThrowsAsync<RpcException>(() =>
            Client("drc").GetCreditFileAsync(new GetCreditFileRequest { Subject = new SubjectKey { ResidentId = "36042619910102009X" } }).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => Client("drc").GetCreditFileAsync(new GetCreditFileRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains("subject.resident_id", TestData.ViolatedFields(bad));
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Contains("subject", TestData.ViolatedFields(missing));
    }

    private CreditFileService.CreditFileServiceClient Client(string agency) => new(_hub.AgencyChannel(agency));
}
