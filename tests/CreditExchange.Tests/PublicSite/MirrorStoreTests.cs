extern alias sdk;
using CreditExchange.PublicSite;
using PublicationChange = sdk::CreditExchange.Contracts.Publication.V1.PublicationChange;
using PublicationChangeKind = sdk::CreditExchange.Contracts.Publication.V1.PublicationChangeKind;
using PublicRecord = sdk::CreditExchange.Contracts.Publication.V1.PublicRecord;
using PublicSubject = sdk::CreditExchange.Contracts.Publication.V1.PublicSubject;
using SdkRecords = sdk::CreditExchange.Contracts.Records.V1;

namespace CreditExchange.Tests.PublicSite;

/// <summary>The public site's mirror and pages without a hub: applying changes, the position, search, paging, encoding.</summary>
public sealed class MirrorStoreTests : IDisposable
{
    private const string Today = "2026-12-07";
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"creditexchange-mirror-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }

    private static PublicationChange Published(long sequence, string name, string code, string division, SdkRecords.Category category, string date, string until = "2027-12-31") => new()
    {
        Sequence = sequence,
        RecordId = Guid.NewGuid().ToString(),
        Kind = PublicationChangeKind.Published,
        Publication = new PublicRecord
        {
            Subject = new PublicSubject { GovernmentBody = new SdkRecords.GovernmentBody { Name = name, CreditCode = code }, DivisionCode = division },
            Category = category,
            DecisionDate = date,
            PublishedUntil = until,
            Facts = "事实",
        },
    };

    [Fact]
    public void Apply_PublishWithdrawRepublish_SearchFiltersPagesAndResumesFromThePosition()
    {
        var a = Published(3, "呼和浩特市甲局", "11150100MB0000000A", "150102", SdkRecords.Category.AdministrativePenalty, "2026-05-01");
        var b = Published(5, "包头市乙局", "11150200MB0000000B", "150203", SdkRecords.Category.JudicialJudgment, "2025-06-01");
        var expired = Published(6, "呼和浩特市丙局", "11150100MB0000000C", "150104", SdkRecords.Category.JudicialJudgment, "2024-01-01", until: "2026-12-06");
        var store = new MirrorStore(_path);
        Assert.Equal(0, store.Position());
        store.Apply([a, b, expired], 9);
        store.Apply([new PublicationChange { Sequence = 11, RecordId = a.RecordId, Kind = PublicationChangeKind.Withdrawn }], 12);

        var reopened = new MirrorStore(_path); // a restart
        Assert.Equal(12, reopened.Position());
        Assert.IsType<MirrorEntry.Withdrawn>(reopened.Find(a.RecordId, Today));
        Assert.IsType<MirrorEntry.Withdrawn>(reopened.Find(expired.RecordId, Today)); // past its last day
        Assert.IsType<MirrorEntry.Unknown>(reopened.Find(Guid.NewGuid().ToString(), Today));
        Assert.Equal(b.Publication, Assert.IsType<MirrorEntry.Listed>(reopened.Find(b.RecordId, Today)).Record);

        MirrorQuery Q(string? name = null, string? code = null, string? region = null, int? category = null, int? year = null, int page = 1, int size = 20) =>
            new(name, code, region, category, year, page, size);
        Assert.Equal([b.RecordId], reopened.Search(Q(), Today).Rows.Select(r => r.RecordId));
        Assert.Empty(reopened.Search(Q(name: "甲局"), Today).Rows);

        // Published again after the withdrawal (e.g. a repair reversed): back on the list.
        var again = Published(14, "呼和浩特市甲局", "11150100MB0000000A", "150102", SdkRecords.Category.AdministrativePenalty, "2026-05-01");
        again.RecordId = a.RecordId;
        reopened.Apply([again], 15);
        Assert.IsType<MirrorEntry.Listed>(reopened.Find(a.RecordId, Today));
        Assert.Equal([a.RecordId], reopened.Search(Q(code: "mb0000000a"), Today).Rows.Select(r => r.RecordId));
        Assert.Equal([a.RecordId], reopened.Search(Q(region: "150100"), Today).Rows.Select(r => r.RecordId)); // a city's code covers its districts
        Assert.Equal([b.RecordId], reopened.Search(Q(category: (int)SdkRecords.Category.JudicialJudgment), Today).Rows.Select(r => r.RecordId));
        Assert.Equal([b.RecordId], reopened.Search(Q(year: 2025), Today).Rows.Select(r => r.RecordId));
        var (first, total) = reopened.Search(Q(size: 1), Today);
        var second = reopened.Search(Q(size: 1, page: 2), Today).Rows;
        Assert.Equal((2, a.RecordId, b.RecordId), (total, first.Single().RecordId, second.Single().RecordId)); // newest decision first
        Assert.Equal([2026, 2025, 2024], reopened.Years());
    }

    [Fact]
    public void Search_EveryPath_SameAnswerAsASubstringTest_AndTheTrigramIndexFollowsChanges()
    {
        // 2,100 records sharing a word (more candidates than the trigram path takes), a few with their own names.
        var store = new MirrorStore(_path);
        var many = Enumerable.Range(1, 2100)
            .Select(i => Published(i, $"某旗第{i}号服务中心", $"11150100MB{i:D8}", i % 2 == 0 ? "150102" : "150203", SdkRecords.Category.JudicialJudgment, $"2026-{1 + (i % 12):D2}-01"))
            .ToList();
        store.Apply(many, 2100);
        var rare = Published(2101, "欧**远", "", "150102", SdkRecords.Category.DisciplinarySanction, "2026-03-01");
        store.Apply([rare], 2101);

        MirrorQuery Q(string? name = null, string? code = null, string? region = null) => new(name, code, region, null, null, 1, 20);
        int Total(MirrorQuery q) => store.Search(q, Today).Total;
        Assert.Equal(2101, Total(Q()));
        Assert.Equal(2100, Total(Q(name: "服务中心"))); // many: the list's walk
        Assert.Equal(11, Total(Q(name: "第100"))); // 100, 1000–1009 via trigram candidates, exact test applied
        Assert.Equal([rare.RecordId], store.Search(Q(name: "欧**远"), Today).Rows.Select(r => r.RecordId));
        Assert.Equal(1, Total(Q(name: "欧*"))); // too short for trigrams: a scan
        Assert.Equal([many[41].RecordId], store.Search(Q(code: "11150100mb00000042"), Today).Rows.Select(r => r.RecordId)); // a whole code
        Assert.Equal(10, Total(Q(code: "MB0000020"))); // 200–209
        Assert.Equal(1051, Total(Q(region: "150102")));
        Assert.Equal(1050, Total(Q(region: "1502")));
        Assert.Equal(1050, Total(Q(name: "服务中心", region: "150200")));

        // Renamed on republication, then withdrawn: the trigram index follows.
        var renamed = Published(2102, "欧**明", "", "150102", SdkRecords.Category.DisciplinarySanction, "2026-03-01");
        renamed.RecordId = rare.RecordId;
        store.Apply([renamed], 2102);
        Assert.Equal(0, Total(Q(name: "欧**远")));
        Assert.Equal(1, Total(Q(name: "欧**明")));
        store.Apply([new PublicationChange { Sequence = 2103, RecordId = rare.RecordId, Kind = PublicationChangeKind.Withdrawn }], 2103);
        Assert.Equal(0, Total(Q(name: "欧**明")));
    }

    [Fact]
    public void Open_MirrorOfTheFirstFormat_MovesTheFormsOutAndKeepsEveryRecord()
    {
        // The first mirrors kept each public form in the list's table.
        var record = Published(4, "呼和浩特市甲局", "11150100MB0000000A", "150102", SdkRecords.Category.AdministrativePenalty, "2026-05-01");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE publication (record_id TEXT PRIMARY KEY, sequence INTEGER NOT NULL, subject_name TEXT NOT NULL, credit_code TEXT NOT NULL,
                  division_code TEXT NOT NULL, category INTEGER NOT NULL, decision_year INTEGER NOT NULL, decision_date TEXT NOT NULL,
                  published_until TEXT NOT NULL, authority_name TEXT NOT NULL, public_form BLOB NOT NULL);
                CREATE TABLE position (id INTEGER PRIMARY KEY CHECK (id = 1), after_sequence INTEGER NOT NULL);
                INSERT INTO position VALUES (1, 7);
                INSERT INTO publication VALUES ($id, 4, '呼和浩特市甲局', '11150100MB0000000A', '150102', 2, 2026, '2026-05-01', '2027-12-31', '', $form);
                """;
            command.Parameters.AddWithValue("$id", record.RecordId);
            command.Parameters.AddWithValue("$form", Google.Protobuf.MessageExtensions.ToByteArray(record.Publication));
            command.ExecuteNonQuery();
        }

        var store = new MirrorStore(_path);
        Assert.Equal(7, store.Position());
        Assert.Equal(record.Publication, Assert.IsType<MirrorEntry.Listed>(store.Find(record.RecordId, Today)).Record);
        Assert.Equal([record.RecordId], store.Search(new MirrorQuery("甲局", null, null, null, null, 1, 20), Today).Rows.Select(r => r.RecordId));
        Assert.Equal([record.RecordId], store.Search(new MirrorQuery("呼和浩特", null, null, null, null, 1, 20), Today).Rows.Select(r => r.RecordId));
    }

    [Fact]
    public void Pages_EncodeWhatTheHubAndTheVisitorSend()
    {
        var change = Published(1, "<script>alert(1)</script>局", "11150100MB0000000A", "150102", SdkRecords.Category.AdministrativePenalty, "2026-05-01");
        change.Publication.Facts = "事实 & <b>粗体</b>";
        var detail = Pages.Detail(change.Publication);
        var row = new MirrorRow(change.RecordId, MirrorStore.SubjectName(change.Publication), "11150100MB0000000A", "150102", 2, "2026-05-01", "机关");
        var list = Pages.List(new MirrorQuery("\"><script>", null, null, null, null, 1, 20), [row], 1, [2026]);

        foreach (var html in new[] { detail, list })
        {
            Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
            Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        }

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;局", detail, StringComparison.Ordinal);
        Assert.Contains("事实 &amp; &lt;b&gt;粗体&lt;/b&gt;", detail, StringComparison.Ordinal);
        Assert.Contains("value=\"&quot;&gt;&lt;script&gt;\"", list, StringComparison.Ordinal);
        Assert.Contains("<label for=\"code\">统一社会信用代码</label>", list, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">", list, StringComparison.Ordinal);
    }
}
