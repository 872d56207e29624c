using System.Globalization;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Publication.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Appraisal;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace CreditExchange.Tests.Feed;

/// <summary>
/// The public list as the website meets it: what clerks type never survives masking, an as-of list is the list of
/// that day, the change list carries only changes of the list. Real PostgreSQL, real Kestrel over mutual TLS, a fake clock.
/// </summary>
[Collection("postgres")]
public sealed class PublicListTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // Thursday 2026-11-26, 10:00 Beijing
    private HubHost _hub = null!;

    public async Task InitializeAsync() =>
        _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private PublicationService.PublicationServiceClient Client() => new(_hub.AgencyChannel("drc"));

    private static DateOnly Today => DateOnly.FromDateTime(LifecycleKit.Now.ToOffset(TimeSpan.FromHours(8)).DateTime);

    [Fact]
    public async Task PublicForm_EverySecretAClerkTypes_NoneSurvivesInAnyString()
    {
        var id = TestData.NewResidentId();
        var responsibleId = TestData.NewResidentId();
        var born = DateOnly.ParseExact(id[6..14], "yyyyMMdd", CultureInfo.InvariantCulture);
        var (y, m, d) = (born.Year, born.Month, born.Day);
        const string OldId = "150102800101123";
        const string Mobile = "13912345678";
        const string Card = "6222021234567890123";
        var wideId = string.Concat(id.Select(c => (char)(c + 0xFEE0)));
        var spacedId = $"{id[..6]} {id[6..14]} {id[14..]}";
        var hyphenId = $"{id[..6]}-{id[6..10]}-{id[10..14]}-{id[14..]}";

        var person = TestData.CivilServantSubject(id);
        person.CivilServant.Name = "欧阳修远";
        person.CivilServant.Position = "科长，家住呼和浩特市新城区兴安北路88号";
        var request = TestData.Submission(Category.DisciplinarySanction, subject: person, decisionDate: Iso(Today.AddDays(-20)));
        var record = request.Record;
        record.ResponsiblePerson = new ResponsiblePerson { Name = "司马光明", ResidentId = responsibleId, Position = $"局长，电话+86 {Mobile[..3]} {Mobile[3..7]} {Mobile[7..]}" };
        record.Facts = string.Join("；",
            $"欧阳修远，男，{y}年{m}月{d}日出生",
            $"出生日期{y}-{m:D2}-{d:D2}",
            $"生于{born:yyyyMMdd}",
            $"又写作{y}.{m}.{d}、{y}/{m}/{d}",
            $"即{Chinese(y)}年{ChineseNumber(m)}月{ChineseNumber(d)}日，{Chinese(y)}年{ChineseNumber(m)}月生",
            $"身份证号{wideId}",
            $"旧证{OldId}",
            $"经司马光明（ID{responsibleId}）授意违规审批",
            $"现住呼和浩特市赛罕区大学西街12号",
            $"工资卡{Card}，手机{Mobile}。");
        record.LegalBasis = $"《公职人员政务处分法》第三十三条（当事人身份证号{spacedId}）";
        record.Penalty.Text = $"给予欧阳修远记过处分（证件号{hyphenId}）";
        record.ConductType = $"违规审批（户籍地为包头市昆都仑区钢铁大街，{y}年{m}月出生）";
        record.DecisionDocumentNumber = "内纪发〔2026〕1号欧阳修远";
        var submitted = (await _hub.Records("supervision").SubmitRecordAsync(request)).Record;
        await _hub.PublishAsync();

        var one = (await Client().GetPublicationAsync(new GetPublicationRequest { RecordId = submitted.RecordId })).Publication;
        var listed = (await Client().ListPublicationsAsync(new ListPublicationsRequest())).Publications.Single();
        var change = (await Client().ListPublicationChangesAsync(new ListPublicationChangesRequest())).Changes.Single();

        Assert.Equal(one, listed);
        Assert.Equal(one, change.Publication);
        var secrets = new[]
        {
            id, id[6..], id[6..14], responsibleId[6..14], OldId[6..], Mobile, Mobile[3..], Card[6..],
            $"{y}{m}{d}", $"{y}{m:D2}{d:D2}", $"{y}年{m}月", Chinese(y), "欧阳修远", "司马光明", "兴安北路", "大学西街", "钢铁大街",
        };
        var strings = MessageStrings.Of(one).ToList();
        Assert.Contains(strings, s => s.Contains("违规审批", StringComparison.Ordinal)); // the walk does see the text
        foreach (var text in strings)
        {
            foreach (var form in new[] { text, Flat(text) })
            {
                foreach (var secret in secrets)
                {
                    Assert.False(form.Contains(secret, StringComparison.Ordinal), $"'{secret}' survives in '{text}'");
                }
            }
        }

        Assert.Equal(id[..6] + new string('*', 12), one.Subject.CivilServant.MaskedResidentId);
        Assert.Equal(("欧**远", "司**明"), (one.Subject.CivilServant.MaskedName, one.ResponsiblePersonName));
    }

    [Fact]
    public Task ListPublications_AsOfADay_TheListAsItWasThatDay() => AsOfScenarioAsync(_hub, _clock);

    [Fact]
    public async Task ListPublications_AsOfADay_SameOnSqlite()
    {
        var clock = LifecycleKit.NewClock();
        await using var hub = await HubHost.StartAsync(postgresConnectionString: null, time: clock);
        await AsOfScenarioAsync(hub, clock);
    }

    private static async Task AsOfScenarioAsync(HubHost hub, FakeTimeProvider clock)
    {
        var client = new PublicationService.PublicationServiceClient(hub.AgencyChannel("drc"));
        // Decided on 11-20, accepted by the hub on 11-26 (the clock's day).
        var late = (await hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: "2026-11-20"))).Record;
        var corrected = (await hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: "2026-11-20"))).Record;
        var revoked = (await hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: "2026-11-20"))).Record;

        async Task<List<string>> ListOn(string day) =>
            (await client.ListPublicationsAsync(new ListPublicationsRequest { AsOfDate = day })).Publications.Select(p => p.RecordId).ToList();

        Assert.Empty(await ListOn("2026-11-19")); // before the decision
        Assert.Empty(await ListOn("2026-11-25")); // decided, but the hub had not accepted them yet
        Assert.Equal([late.RecordId, corrected.RecordId, revoked.RecordId], await ListOn("2026-11-26"));

        clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 11, 30), 9));
        await hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = corrected.RecordId, ExpectedVersion = 1, Content = LifecycleKit.Corrected(corrected.Content, "更正后的事实。"), Reason = "更正",
        });
        await AppraisalTestData.DriveToAsync(hub, revoked.RecordId, RecordStatus.Revoked);

        var before = await client.ListPublicationsAsync(new ListPublicationsRequest { AsOfDate = "2026-11-28" });
        var now = await client.ListPublicationsAsync(new ListPublicationsRequest());
        var gone = await Assert.ThrowsAsync<RpcException>(() => client.GetPublicationAsync(new GetPublicationRequest { RecordId = revoked.RecordId }).ResponseAsync);

        // On 11-28 the revocation and the correction had not happened: the list of that day shows them as they were.
        Assert.Equal([late.RecordId, corrected.RecordId, revoked.RecordId], before.Publications.Select(p => p.RecordId));
        Assert.Equal(corrected.Content.Facts, before.Publications[1].Facts);
        Assert.Equal(1, before.Publications[1].RecordVersion);
        Assert.Equal([late.RecordId, corrected.RecordId], now.Publications.Select(p => p.RecordId));
        Assert.Equal(("更正后的事实。", 2L), (now.Publications[1].Facts, now.Publications[1].RecordVersion));
        Assert.Equal((StatusCode.NotFound, "PUBLICATION_NOT_FOUND"), (gone.StatusCode, TestData.Reason(gone)));
        // Paging through a past day returns exactly that day's list.
        var first = await client.ListPublicationsAsync(new ListPublicationsRequest { AsOfDate = "2026-11-28", PageSize = 2 });
        var second = await client.ListPublicationsAsync(new ListPublicationsRequest { AsOfDate = "2026-11-28", PageSize = 2, PageToken = first.NextPageToken });
        Assert.Equal(before.Publications, first.Publications.Concat(second.Publications));
    }

    [Fact]
    public async Task ListPublicationChanges_SkipsWhatLeavesTheListAsItWas_CarriesTheFormOfEachChange()
    {
        var shared = TestData.Submission(decisionDate: "2026-11-20");
        shared.Record.Disclosure = Disclosure.SharedOnly;
        var hidden = (await _hub.Records("court").SubmitRecordAsync(shared)).Record;
        var listed = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: "2026-11-20"))).Record;
        var court = _hub.Lifecycle("court");
        var drc = _hub.Lifecycle("drc");

        await drc.FileObjectionAsync(new FileObjectionRequest { RecordId = hidden.RecordId, ExpectedVersion = 1, Grounds = "事实有误" }); // not on the list
        var disputed = await drc.FileObjectionAsync(new FileObjectionRequest { RecordId = listed.RecordId, ExpectedVersion = 1, Grounds = "事实有误" }); // stays on it, as it was
        var dismissed = await court.AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = disputed.Objection.ObjectionId, ExpectedVersion = 2, Outcome = ObjectionState.Dismissed, Answer = "经复核，事实清楚。",
        });
        var remarks = listed.Content.Clone();
        remarks.Remarks = "内部备注，不公开。"; // not part of the public form
        await court.CorrectRecordAsync(new CorrectRecordRequest { RecordId = listed.RecordId, ExpectedVersion = dismissed.Record.Version, Content = remarks, Reason = "补充备注" });
        await court.CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = listed.RecordId, ExpectedVersion = dismissed.Record.Version + 1, Content = LifecycleKit.Corrected(remarks, "第一次更正的事实。"), Reason = "更正",
        });
        await court.CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = listed.RecordId, ExpectedVersion = dismissed.Record.Version + 2, Content = LifecycleKit.Corrected(remarks, "第二次更正的事实。"), Reason = "再更正",
        });
        await AppraisalTestData.DriveToAsync(_hub, listed.RecordId, RecordStatus.Revoked);
        // Numbered by this call or by the background publisher, whichever holds the publisher's lock.
        await Operations.OutageTests.WaitUntilAsync(async () =>
        {
            await _hub.PublishAsync();
            return _hub.Query(db => db.RecordEvents.All(e => e.FeedPosition != null));
        });

        var events = _hub.Events(listed.RecordId);
        var page = await Client().ListPublicationChangesAsync(new ListPublicationChangesRequest());

        Assert.Equal(7, events.Count); // submitted, objection filed, answered, three corrections, revoked
        Assert.True(page.CaughtUp);
        Assert.Equal(Head(), page.NextAfterSequence);
        Assert.All(page.Changes, c => Assert.Equal(listed.RecordId, c.RecordId));
        Assert.Equal(
            [
                (events[0].FeedPosition!.Value, PublicationChangeKind.Published, listed.Content.Facts, 1L),
                (events[4].FeedPosition!.Value, PublicationChangeKind.Published, "第一次更正的事实。", events[4].Version),
                (events[5].FeedPosition!.Value, PublicationChangeKind.Published, "第二次更正的事实。", events[5].Version),
                (events[6].FeedPosition!.Value, PublicationChangeKind.Withdrawn, "", 0L),
            ],
            page.Changes.Select(c => (c.Sequence, c.Kind, c.Publication?.Facts ?? "", c.Publication?.RecordVersion ?? 0L)));
    }

    private long Head() => _hub.Query(db => db.RecordEvents.Max(e => e.FeedPosition)) ?? 0;

    /// <summary>The text with full-width forms as ASCII (NFKC's width mappings) and every separator removed.</summary>
    private static string Flat(string text) => string.Concat(text
        .Select(c => c == '\u3000' ? ' ' : c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c)
        .Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '.' or '/' or '+' or '—' or '－')));

    private static string Chinese(int year) =>
        string.Concat(year.ToString(CultureInfo.InvariantCulture).Select(c => "〇一二三四五六七八九"[c - '0']));

    private static string ChineseNumber(int n) => n switch
    {
        < 10 => "〇一二三四五六七八九"[n].ToString(),
        10 => "十",
        < 20 => "十" + "〇一二三四五六七八九"[n % 10],
        _ => "〇一二三四五六七八九"[n / 10] + "十" + (n % 10 == 0 ? "" : "〇一二三四五六七八九"[n % 10].ToString()),
    };

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
