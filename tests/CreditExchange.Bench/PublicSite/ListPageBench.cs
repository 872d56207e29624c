extern alias sdk;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using sdk::CreditExchange.Contracts.Publication.V1;
using sdk::CreditExchange.Contracts.Records.V1;
using CreditExchange.PublicSite;
using HdrHistogram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace CreditExchange.Bench.PublicSite;

/// <summary>
/// The public site's list page rendered from its local mirror (issue 27, item 4: under 100 ms at 100,000 published
/// records). Seeds the mirror directly through <see cref="MirrorStore.Apply"/> (pages of changes as the hub's
/// ListPublicationChanges would give them), starts the site on Kestrel without a hub (its follower only retries), and
/// times whole HTTP GETs over loopback, one at a time, for a set of list queries: first page, a deep page, search by
/// name, by credit code, by region, and a category-and-year filter.
/// </summary>
public static class ListPageBench
{
    private static readonly string[] Prefectures = ["150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800", "150900", "152200", "152500", "152900"];

    public static async Task<int> RunAsync(int records, TimeSpan duration, string outputFolder)
    {
        var database = Path.Combine(Path.GetTempPath(), $"creditexchange-bench-publicsite-{Guid.NewGuid():N}.db");
        try
        {
            var seeding = Stopwatch.StartNew();
            var store = new MirrorStore(database);
            var (sampleCode, sampleName) = Seed(store, records);
            Console.WriteLine($"Seeded {records:N0} published records into the mirror in {seeding.Elapsed.TotalSeconds:F1} s ({new FileInfo(database).Length / 1048576.0:F0} MiB).");

            var app = PublicSiteApp.Build([], builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["PublicSite:HubAddress"] = "https://127.0.0.1:9",
                    ["PublicSite:CertificatePath"] = Path.Combine(Path.GetTempPath(), "no-such-certificate.crt"),
                    ["PublicSite:DatabasePath"] = database,
                    ["PublicSite:DashboardUrl"] = "",
                    ["PublicSite:PollInterval"] = "01:00:00",
                    ["Logging:LogLevel:Default"] = "None",
                });
            });
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var year = DateTime.UtcNow.Year - 1;
            var queries = new (string Name, string Path)[]
            {
                ("first page", "/"),
                ("page 2,500", "/?page=2500"),
                ("name", "/?name=" + Uri.EscapeDataString(sampleName)),
                ("name, a common part", "/?name=" + Uri.EscapeDataString("服务中心")),
                ("credit code", "/?code=" + sampleCode),
                ("credit code, a part", "/?code=" + sampleCode[..10]),
                ("region", "/?region=150200"),
                ("category and year", $"/?category=2&year={year}"),
            };

            var rows = new List<(string Name, string Path, long Count, double P50, double P95, double P99, double Max, int Matches)>();
            foreach (var (name, path) in queries)
            {
                var body = await http.GetStringAsync(path); // warm: JIT, SQLite page cache
                var matches = int.Parse(body.Split("共 ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
                var histogram = new LongHistogram(TimeStamp.Minutes(1), 3);
                var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
                while (Stopwatch.GetTimestamp() < until)
                {
                    var start = Stopwatch.GetTimestamp();
                    using var response = await http.GetAsync(path);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync();
                    histogram.RecordValue(Stopwatch.GetTimestamp() - start);
                }

                double Ms(double percentile) => histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
                rows.Add((name, path, histogram.TotalCount, Ms(50), Ms(95), Ms(99), histogram.GetMaxValue() * 1000.0 / Stopwatch.Frequency, matches));
            }

            await app.StopAsync();
            await app.DisposeAsync();

            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"Public site list page, {records:N0} published records in the mirror, one request at a time over loopback, {duration.TotalSeconds:F0} s per query (target: p95 < 100 ms)").AppendLine();
            report.AppendLine("| query | matches | requests | p50 ms | p95 ms | p99 ms | max ms | target |");
            report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var r in rows)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} (`{Uri.UnescapeDataString(r.Path.Split('?')[^1])}`) | {r.Matches:N0} | {r.Count:N0} | {r.P50:F1} | {r.P95:F1} | {r.P99:F1} | {r.Max:F1} | {(r.P95 < 100 ? "met" : "missed")} |");
            }

            Console.WriteLine(report);
            Directory.CreateDirectory(outputFolder);
            var file = Path.Combine(outputFolder, $"public-site-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
            await File.WriteAllTextAsync(file, report.ToString());
            Console.WriteLine($"Written to {file}");
            return rows.All(r => r.P95 < 100) ? 0 : 1;
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(database + suffix);
            }
        }
    }

    /// <summary>Publishes <paramref name="count"/> records in pages of 2,000; answers one body's credit code and name to search for.</summary>
    private static (string Code, string Name) Seed(MirrorStore store, int count)
    {
        var random = new Random(27);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string sampleCode = "", sampleName = "";
        var page = new List<PublicationChange>(2000);
        for (var i = 1; i <= count; i++)
        {
            var division = Prefectures[random.Next(Prefectures.Length)][..4] + random.Next(1, 30).ToString("D2", CultureInfo.InvariantCulture);
            var decided = today.AddDays(-random.Next(0, 5 * 365));
            var record = new PublicRecord
            {
                RecordId = Guid.CreateVersion7().ToString(),
                SourceAgencyId = "court",
                Category = (Category)random.Next(1, 7),
                Severity = (Severity)random.Next(1, 4),
                Domain = RecordDomain.Other,
                DecisionDocumentNumber = $"（{decided.Year}）内{random.Next(100, 999)}执{i}号",
                DecidingAuthority = new Authority { Name = "呼和浩特市中级人民法院", CreditCode = "11150100011589650K" },
                DecisionDate = decided.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Facts = "未按期履行生效法律文书确定的给付义务，拖欠工程款项。",
                LegalBasis = "《中华人民共和国民事诉讼法》第二百六十四条",
                PenaltyText = "纳入失信名单并依法公示。",
                PublishedUntil = today.AddDays(random.Next(1, 3 * 365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), // all on the list today
                RecordVersion = 1,
                Subject = new PublicSubject { DivisionCode = division },
            };
            if (i % 5 == 0)
            {
                record.Subject.CivilServant = new MaskedCivilServant { MaskedName = "张*" + (char)('明' + (i % 40)), MaskedResidentId = division + "************", Position = "科长" };
            }
            else
            {
                var code = $"1115{division}{i:D8}";
                record.Subject.GovernmentBody = new GovernmentBody { Name = $"某旗第{i}号机关事务服务中心", CreditCode = code };
                if (i == count / 2 + 1)
                {
                    (sampleCode, sampleName) = (code, record.Subject.GovernmentBody.Name);
                }
            }

            page.Add(new PublicationChange { Sequence = i, RecordId = record.RecordId, Kind = PublicationChangeKind.Published, Publication = record });
            if (page.Count == 2000 || i == count)
            {
                store.Apply(page, i);
                page.Clear();
            }
        }

        return (sampleCode, sampleName);
    }
}
