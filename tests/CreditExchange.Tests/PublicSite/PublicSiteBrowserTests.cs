using System.Globalization;
using System.Net;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.PublicSite;
using CreditExchange.Tests.Feed;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace CreditExchange.Tests.PublicSite;

/// <summary>
/// The reference public site (src/CreditExchange.PublicSite) in a real browser: headless Chromium (Debian's, which
/// tests/test.sh installs) against the site run in-process, which mirrors a hub on PostgreSQL through the drc
/// certificate and token. Records go in through the public RPCs; screenshots of every page are saved under
/// TestResults/screenshots/public-site/.
/// </summary>
[Collection("postgres")]
public sealed class PublicSiteBrowserTests(PostgresFixture postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
    private static readonly string Screenshots = Path.Combine(RepositoryRoot(), "TestResults", "screenshots", "public-site");
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"creditexchange-publicsite-{Guid.NewGuid():N}.db");
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }
    }

    [Fact]
    public async Task PublicSite_MirrorsTheList_SearchDetailWithdrawal_WithoutJavaScript_AndResumesAfterRestart()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is missing at {Chromium}: the public site's browser tests need it (tests/test.sh installs Debian's 'chromium' package; by hand: apt-get install -y chromium).");
        Directory.CreateDirectory(Screenshots);
        var decided = Today.AddDays(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var body = TestData.Submission(decisionDate: decided);
        body.Record.Subject.GovernmentBody.Name = "呼和浩特市某某区住房和城乡建设局";
        var code = body.Record.Subject.GovernmentBody.CreditCode;
        var listedBody = (await _hub.Records("court").SubmitRecordAsync(body)).Record;

        var residentId = TestData.NewResidentId();
        var person = TestData.CivilServantSubject(residentId);
        person.CivilServant.Name = "欧阳修远";
        var sanction = TestData.Submission(Category.DisciplinarySanction, subject: person, decisionDate: decided);
        sanction.Record.Facts = "欧阳修远违规审批项目资金。";
        var listedPerson = (await _hub.Records("supervision").SubmitRecordAsync(sanction)).Record;
        await _hub.PublishAsync();

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true, ExecutablePath = Chromium, Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        await using (var site = await StartSiteAsync())
        {
            var root = site.Urls.First().TrimEnd('/') + "/";
            await using var page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = 390, Height = 844, IsMobile = true, HasTouch = true }); // a phone

            // The list shows both records within seconds.
            await Eventually.HoldsAsync(async () =>
            {
                await page.GoToAsync(root);
                var html = await page.GetContentAsync();
                return html.Contains(listedBody.RecordId, StringComparison.Ordinal) && html.Contains(listedPerson.RecordId, StringComparison.Ordinal);
            }, seconds: 90);
            Assert.Equal("公示名单 - 信用内蒙古 政府失信信息公示", await page.GetTitleAsync());
            Assert.Contains("<html lang=\"zh-CN\">", await page.GetContentAsync(), StringComparison.Ordinal);
            await ShotAsync(page, "01-list");

            // Search by credit code, typing into the labelled field and submitting the form.
            await page.TypeAsync("#code", code);
            await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("form.search button[type=submit]"));
            var found = await page.GetContentAsync();
            Assert.Contains(listedBody.RecordId, found, StringComparison.Ordinal);
            Assert.DoesNotContain(listedPerson.RecordId, found, StringComparison.Ordinal);
            Assert.Contains("共 1 条", found, StringComparison.Ordinal);
            await ShotAsync(page, "02-search-by-code");

            // Region and category filters.
            await page.GoToAsync($"{root}?region=1501&category={(int)Category.DisciplinarySanction}&year={Today.AddDays(-30).Year}");
            var filtered = await page.GetContentAsync();
            Assert.Contains(listedPerson.RecordId, filtered, StringComparison.Ordinal);
            Assert.DoesNotContain(listedBody.RecordId, filtered, StringComparison.Ordinal);

            // The civil servant's page: masked name and ID, no birth date.
            var detail = await page.GoToAsync($"{root}records/{listedPerson.RecordId}");
            Assert.Equal(HttpStatusCode.OK, detail.Status);
            var text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
            Assert.Contains("欧**远", text, StringComparison.Ordinal);
            Assert.Contains(residentId[..6] + new string('*', 12), text, StringComparison.Ordinal);
            var born = DateOnly.ParseExact(residentId[6..14], "yyyyMMdd", CultureInfo.InvariantCulture);
            foreach (var secret in new[] { "欧阳修远", residentId, residentId[6..14], born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"{born.Year}年{born.Month}月{born.Day}日" })
            {
                Assert.DoesNotContain(secret, await page.GetContentAsync(), StringComparison.Ordinal);
            }

            Assert.Equal("欧**远 - 信用内蒙古 政府失信信息公示", await page.GetTitleAsync());
            await ShotAsync(page, "03-detail-civil-servant");

            // Without JavaScript: the list, the search form and the detail page all work.
            await using (var noScript = await browser.NewPageAsync())
            {
                await noScript.SetJavaScriptEnabledAsync(false);
                await noScript.SetViewportAsync(new ViewPortOptions { Width = 390, Height = 844, IsMobile = true });
                Assert.Equal(HttpStatusCode.OK, (await noScript.GoToAsync(root)).Status);
                await noScript.TypeAsync("#name", "欧**远");
                await Task.WhenAll(noScript.WaitForNavigationAsync(), noScript.ClickAsync("form.search button[type=submit]"));
                var noJs = await noScript.GetContentAsync();
                Assert.Contains(listedPerson.RecordId, noJs, StringComparison.Ordinal);
                Assert.DoesNotContain(listedBody.RecordId, noJs, StringComparison.Ordinal);
                await ShotAsync(noScript, "04-search-without-javascript");
                await Task.WhenAll(noScript.WaitForNavigationAsync(), noScript.ClickAsync($"a[href='/records/{listedPerson.RecordId}']"));
                Assert.Contains("欧**远", await noScript.GetContentAsync(), StringComparison.Ordinal);
                Assert.Equal($"{root}records/{listedPerson.RecordId}", noScript.Url);
                await ShotAsync(noScript, "05-detail-without-javascript");
            }

            // The government body's page, then its revocation by the source agency: gone from the list, its page 410.
            Assert.Equal(HttpStatusCode.OK, (await page.GoToAsync($"{root}records/{listedBody.RecordId}")).Status);
            Assert.Contains(code, await page.GetContentAsync(), StringComparison.Ordinal);
            await ShotAsync(page, "06-detail-government-body");
            await _hub.Lifecycle("court").RevokeRecordAsync(new RevokeRecordRequest { RecordId = listedBody.RecordId, ExpectedVersion = 1, Reason = "原决定已撤销" });
            await _hub.PublishAsync();
            await Eventually.HoldsAsync(async () =>
            {
                await page.GoToAsync(root);
                return !(await page.GetContentAsync()).Contains(listedBody.RecordId, StringComparison.Ordinal);
            }, seconds: 90);
            Assert.Contains(listedPerson.RecordId, await page.GetContentAsync(), StringComparison.Ordinal);
            await ShotAsync(page, "07-list-after-revocation");
            var gone = await page.GoToAsync($"{root}records/{listedBody.RecordId}");
            Assert.Equal(HttpStatusCode.Gone, gone.Status);
            Assert.Contains("该信息已撤下", await page.GetContentAsync(), StringComparison.Ordinal);
            await ShotAsync(page, "08-withdrawn-410");
            Assert.Equal(HttpStatusCode.NotFound, (await page.GoToAsync($"{root}records/{Guid.NewGuid()}")).Status);
        }

        // A restart resumes from the stored position: a record submitted while the site was down appears, the withdrawal stays.
        var later = TestData.Submission(decisionDate: decided);
        var listedLater = (await _hub.Records("court").SubmitRecordAsync(later)).Record;
        await _hub.PublishAsync();
        await using (var site = await StartSiteAsync())
        {
            using var http = new HttpClient { BaseAddress = new Uri(site.Urls.First()) };
            await Eventually.HoldsAsync(async () => (await http.GetStringAsync("/")).Contains(listedLater.RecordId, StringComparison.Ordinal), seconds: 90);
            Assert.Equal(HttpStatusCode.Gone, (await http.GetAsync($"/records/{listedBody.RecordId}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/records/{listedPerson.RecordId}")).StatusCode);
        }
    }

    private async Task<WebApplication> StartSiteAsync()
    {
        var certificates = TestCertificates.Set;
        var app = PublicSiteApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["PublicSite:HubAddress"] = _hub.Address.ToString(),
                ["PublicSite:AgencyId"] = "drc",
                ["PublicSite:CertificatePath"] = certificates.AgencyCertificate("drc"),
                ["PublicSite:KeyPath"] = certificates.AgencyKey("drc"),
                ["PublicSite:HubCaPath"] = certificates.CaCertificate,
                ["PublicSite:DatabasePath"] = _database,
                ["PublicSite:PollInterval"] = "00:00:00.250",
                ["Logging:LogLevel:Default"] = "Warning",
            });
        });
        await app.StartAsync();
        output.WriteLine($"public site at {app.Urls.First()}");
        return app;
    }

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(Screenshots, name + ".png");
        await page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreditExchange.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CreditExchange.sln not found above " + AppContext.BaseDirectory);
    }
}
