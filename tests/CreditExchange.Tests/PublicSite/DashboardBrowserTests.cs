using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.DevCerts;
using CreditExchange.PublicSite;
using CreditExchange.Tests.Feed;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace CreditExchange.Tests.PublicSite;

/// <summary>
/// The DRC dashboard of the public site in headless Chromium against a hub on PostgreSQL, records seeded through the
/// public RPCs: its charts' numbers for a seeded region (read from the tables and data-* attributes the charts are drawn
/// from, and the SVG's bars counted), the drill-down league/city → county → township, the overdue objection with its due
/// date, the warning; and its listener refusing a client without a staff certificate of the hub's CA. Chromium has no
/// way to be handed a client certificate without a certificate database tool, so the browser that sees the dashboard
/// has its requests carried by an HttpClient that presents the staff certificate over mutual TLS (request interception);
/// the browser left to itself is refused at the handshake. Screenshots go to TestResults/screenshots/dashboard/.
/// </summary>
[Collection("postgres")]
public sealed class DashboardBrowserTests(PostgresFixture postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string Screenshots = Path.Combine(PublicSiteBrowserTests.RepositoryRoot(), "TestResults", "screenshots", "dashboard");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"creditexchange-dashboard-{Guid.NewGuid():N}.db");
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
    {
        ["Hub:Statistics:Warnings:GovernmentBody:SeriousCount"] = "1",
        ["Hub:Statistics:Warnings:GovernmentBody:RecordCount"] = "50",
    }, time: _clock);

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }
    }

    [Fact]
    public async Task Dashboard_ChartsTheSeededRegion_DrillsDown_ListsOverdueAndWarnings_RefusesWithoutStaffCertificate()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is missing at {Chromium} (tests/test.sh installs Debian's 'chromium').");
        Directory.CreateDirectory(Screenshots);
        var decidedDay = DateOnly.FromDateTime(_clock.GetUtcNow().AddHours(8).UtcDateTime).AddDays(-60);
        var decided = decidedDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var year = decidedDay.Year.ToString(CultureInfo.InvariantCulture);

        // 呼和浩特市: 新城区 one serious, one general in its township 001; 赛罕区 one minor. 包头市: a civil servant's sanction.
        async Task<Contracts.Records.V1.Record> Body(string division, Severity severity)
        {
            var body = TestData.Submission(decisionDate: decided);
            body.Record.Subject.DivisionCode = division;
            body.Record.Severity = severity;
            return (await _hub.Records("court").SubmitRecordAsync(body)).Record;
        }

        var serious = await Body("150102", Severity.Serious);
        await Body("150102001", Severity.General);
        await Body("150105", Severity.Minor);
        var person = TestData.CivilServantSubject();
        person.DivisionCode = "150202";
        await _hub.Records("supervision").SubmitRecordAsync(TestData.Submission(Category.DisciplinarySanction, subject: person, decisionDate: decided));

        // An objection (to a record in 乌海市) that nobody answers in time.
        var disputed = await Body("150302", Severity.General);
        var objection = (await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest { RecordId = disputed.RecordId, ExpectedVersion = 1, Grounds = "事实有误" })).Objection;
        await _hub.PublishAsync();
        _clock.Advance(TimeSpan.FromDays(21)); // past the answer's due date: overdue

        var staff = DevCertificateMinter.LoadWithKey(TestCertificates.Set.StaffCertificate, TestCertificates.Set.StaffKey);
        await using var site = await StartSiteAsync();
        var publicRoot = new Uri(site.Urls.First(u => u.StartsWith("http://", StringComparison.Ordinal)));
        var dashboardRoot = new Uri(site.Urls.First(u => u.StartsWith("https://", StringComparison.Ordinal)));

        // Without a staff certificate: refused at the handshake (no certificate; an agency's certificate of the same CA; a foreign CA's).
        using (var anonymous = Client(null))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetAsync(new Uri(dashboardRoot, "/dashboard")));
        }

        using (var agency = Client(TestCertificates.Agency("court")))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => agency.GetAsync(new Uri(dashboardRoot, "/dashboard")));
        }

        using (var foreign = Client(TestCertificates.Negative(NegativeCertificateNames.ForeignCa)))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => foreign.GetAsync(new Uri(dashboardRoot, "/dashboard")));
        }

        using var http = Client(staff);
        using (var plain = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync(new Uri(publicRoot, "/dashboard"))).StatusCode); // never on the public port
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(dashboardRoot, "/"))).StatusCode); // nor the public pages on the staff port
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(new Uri(dashboardRoot, "/dashboard?region=15x"))).StatusCode);

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true, ExecutablePath = Chromium, AcceptInsecureCerts = true, Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });

        // A browser on its own has no staff certificate: the dashboard's listener ends the handshake.
        await using (var bare = await browser.NewPageAsync())
        {
            await Assert.ThrowsAnyAsync<PuppeteerException>(() => bare.GoToAsync(new Uri(dashboardRoot, "/dashboard").ToString()));
        }

        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1100, Height = 900 });
        await page.SetRequestInterceptionAsync(true);
        page.Request += async (_, e) =>
        {
            using var response = await http.GetAsync(e.Request.Url);
            await e.Request.RespondAsync(new ResponseData
            {
                Status = response.StatusCode,
                ContentType = response.Content.Headers.ContentType?.ToString(),
                BodyData = await response.Content.ReadAsByteArrayAsync(),
            });
        };

        // The region: leagues and cities.
        await page.GoToAsync(new Uri(dashboardRoot, "/dashboard").ToString());
        Assert.Equal("诚信监测：内蒙古自治区 - 信用内蒙古 诚信监测", await page.GetTitleAsync());
        Assert.Equal(5, await Number(page, "#summary", "data-total"));
        Assert.Equal((3, 1, 1, 1), await RegionRow(page, "150100"));
        Assert.Equal((1, 0, 1, 0), await RegionRow(page, "150200"));
        Assert.Equal((1, 0, 1, 0), await RegionRow(page, "150300"));
        Assert.Equal(3, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('figure svg[role=img]').length"));
        Assert.Equal("regions-chart-caption", await page.EvaluateExpressionAsync<string>("document.querySelector('#regions-chart').getAttribute('aria-labelledby')"));
        Assert.NotNull(await page.QuerySelectorAsync("#regions-chart-caption"));
        Assert.Equal(4, await page.EvaluateExpressionAsync<int>($"+document.querySelector('table[data-chart=categories] tr[data-year=\"{year}\"] td[data-category=\"1\"]').dataset.count"));
        Assert.Equal(1, await page.EvaluateExpressionAsync<int>($"+document.querySelector('table[data-chart=categories] tr[data-year=\"{year}\"] td[data-category=\"3\"]').dataset.count"));
        Assert.Equal(1, await page.EvaluateExpressionAsync<int>($"+document.querySelector('table[data-chart=severities] tr[data-year=\"{year}\"] td[data-severity=\"3\"]').dataset.count"));
        Assert.Equal(serious.Content.Subject.GovernmentBody.CreditCode, await page.EvaluateExpressionAsync<string>("document.querySelector('table[data-table=warnings] tbody tr').dataset.key"));
        Assert.Equal(objection.ObjectionId, await page.EvaluateExpressionAsync<string>("document.querySelector('table[data-table=overdue] tr[data-kind=\"异议\"]').dataset.id"));
        Assert.Equal(objection.AnswerDueDate, await page.EvaluateExpressionAsync<string>("document.querySelector('table[data-table=overdue] tr[data-kind=\"异议\"]').dataset.due"));
        Assert.True(await Number(page, "#feed-summary", "data-mirror-position") >= 0);
        Assert.Contains("<html lang=\"zh-CN\">", await page.GetContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "01-region");

        // Drill down by the table's link: 呼和浩特市 → its districts.
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("table[data-chart=regions] tr[data-region='150100'] a"));
        Assert.Equal("150100", await page.EvaluateExpressionAsync<string>("document.querySelector('#summary').dataset.region"));
        Assert.Equal(3, await Number(page, "#summary", "data-total"));
        Assert.Equal((2, 1, 1, 0), await RegionRow(page, "150102"));
        Assert.Equal((1, 0, 0, 1), await RegionRow(page, "150105"));
        Assert.Null(await page.QuerySelectorAsync("table[data-chart=regions] tr[data-region='150200']"));
        await ShotAsync(page, "02-city");

        // → 新城区: its own code and its township.
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("table[data-chart=regions] tr[data-region='150102'] a"));
        Assert.Equal((1, 1, 0, 0), await RegionRow(page, "150102"));
        Assert.Equal((1, 0, 1, 0), await RegionRow(page, "150102001"));
        Assert.Equal(new[] { "内蒙古自治区", "呼和浩特市", "新城区" }, await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('nav.crumbs li')].map(li => li.innerText.trim())"));
        await ShotAsync(page, "03-county");

        // At a phone's width, the same page.
        await page.SetViewportAsync(new ViewPortOptions { Width = 390, Height = 844, IsMobile = true, HasTouch = true });
        await page.GoToAsync(new Uri(dashboardRoot, "/dashboard").ToString());
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.querySelector('#regions-chart').getBoundingClientRect().width <= 390"));
        await ShotAsync(page, "04-region-phone");
    }

    private static async Task<long> Number(IPage page, string selector, string attribute) =>
        long.Parse(await page.EvaluateExpressionAsync<string>($"document.querySelector('{selector}').getAttribute('{attribute}')"), CultureInfo.InvariantCulture);

    /// <summary>A region's row of the region chart's table: total, serious, general, minor.</summary>
    private static async Task<(long, long, long, long)> RegionRow(IPage page, string code)
    {
        var values = await page.EvaluateExpressionAsync<string[]>(
            $"(r => r ? [r.dataset.total, r.dataset.serious, r.dataset.general, r.dataset.minor] : [])(document.querySelector(\"table[data-chart=regions] tr[data-region='{code}']\"))");
        Assert.True(values.Length == 4, $"region {code} has no row");
        var n = values.Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return (n[0], n[1], n[2], n[3]);
    }

    private static HttpClient Client(X509Certificate2? certificate)
    {
        var ca = TestCertificates.Ca();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = certificate is null ? null : [certificate],
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
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
                ["PublicSite:DashboardUrl"] = "https://127.0.0.1:0",
                ["PublicSite:DashboardCertificatePath"] = certificates.ServerCertificate,
                ["PublicSite:DashboardKeyPath"] = certificates.ServerKey,
                ["PublicSite:RevocationListPath"] = certificates.RevocationList,
                ["PublicSite:DatabasePath"] = _database,
                ["PublicSite:PollInterval"] = "00:00:00.250",
                ["Logging:LogLevel:Default"] = "Warning",
            });
        });
        await app.StartAsync();
        output.WriteLine($"site at {string.Join(", ", app.Urls)}");
        return app;
    }

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(Screenshots, name + ".png");
        await page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
