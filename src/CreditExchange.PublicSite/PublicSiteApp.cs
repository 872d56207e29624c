using System.Globalization;
using CreditExchange.PublicSite.Dashboard;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CreditExchange.PublicSite;

/// <summary>
/// Builds the site: the mirror follower in the background, the public pages on <see cref="PublicSiteOptions.ListenUrl"/>
/// and the DRC dashboard on <see cref="PublicSiteOptions.DashboardUrl"/> (staff client certificate required).
/// </summary>
public static class PublicSiteApp
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.CreateCustomTimeZone("Beijing", TimeSpan.FromHours(8), "Beijing", "Beijing");

    /// <summary>The site's web application; <paramref name="configure"/> lets a host (or a test) add settings first.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.Configure<PublicSiteOptions>(builder.Configuration.GetSection(PublicSiteOptions.Section));
        var settings = builder.Configuration.GetSection(PublicSiteOptions.Section).Get<PublicSiteOptions>() ?? new PublicSiteOptions();
        // The public listener is where ASPNETCORE_URLS or --urls say (the first of them), else ListenUrl; the endpoints
        // are made in code (the dashboard's needs its TLS settings), so the urls setting itself is cleared.
        var publicUrl = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : settings.ListenUrl;
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
        builder.Services.AddSingleton(_ => new MirrorStore(settings.DatabasePath));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<StaffAccess>();
        builder.Services.AddSingleton<DashboardReader>();
        builder.Services.AddHostedService<MirrorFollower>();
        builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel.ApplicationServices.GetRequiredService<StaffAccess>().Listen(kestrel, publicUrl));

        var app = builder.Build();
        app.UseRouting();
        StaffAccess.UseListenerSeparation(app);
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
            await next();
        });
        app.MapGet("/", (HttpContext context, MirrorStore store, IOptions<PublicSiteOptions> options, TimeProvider clock) =>
        {
            var q = context.Request.Query;
            var query = new MirrorQuery(
                q["name"].ToString(),
                q["code"].ToString(),
                q["region"].ToString(),
                int.TryParse(q["category"], CultureInfo.InvariantCulture, out var category) && Pages.Categories.ContainsKey(category) ? category : null,
                int.TryParse(q["year"], CultureInfo.InvariantCulture, out var year) && year is > 1900 and < 3000 ? year : null,
                int.TryParse(q["page"], CultureInfo.InvariantCulture, out var page) && page is > 0 and < 100_000 ? page : 1,
                Math.Clamp(options.Value.ListPageSize, 1, 200));
            var (rows, total) = store.Search(query, Today(clock));
            return Html(Pages.List(query, rows, total, store.Years()));
        });
        app.MapGet("/records/{id}", (string id, MirrorStore store, TimeProvider clock) =>
            store.Find(id, Today(clock)) switch
            {
                MirrorEntry.Listed listed => Html(Pages.Detail(listed.Record)),
                MirrorEntry.Withdrawn => Html(Pages.Message("该信息已撤下", "该条失信信息已依法撤销、修复或期满，不再公示。"), StatusCodes.Status410Gone),
                _ => Html(Pages.Message("未找到该信息", "公示名单中没有这条信息。"), StatusCodes.Status404NotFound),
            });
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/dashboard", async (HttpContext context, DashboardReader reader, ILoggerFactory logs) =>
        {
            var region = context.Request.Query["region"].ToString() is { Length: > 0 } asked ? asked.Trim() : Regions.Root;
            if (!Regions.IsValid(region))
            {
                return Html(DashboardPage.Message("地区代码有误", "请使用6位行政区划代码或9位乡级代码，例如 150100。"), StatusCodes.Status400BadRequest);
            }

            try
            {
                var model = await reader.ReadAsync(region, context.RequestAborted);
                return Html(DashboardPage.Render(model, StaffAccess.Staff(context) ?? ""));
            }
            catch (Exception e) when (e is RpcException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidOperationException)
            {
                logs.CreateLogger("CreditExchange.PublicSite.Dashboard").LogWarning(e, "Dashboard: reading region {Region} from the hub failed", region);
                return Html(DashboardPage.Message("暂时无法读取数据", "交换平台暂时无法访问，请稍后刷新。"), StatusCodes.Status503ServiceUnavailable);
            }
        }).WithMetadata(DashboardEndpoint.Instance);
        return app;
    }

    private static string Today(TimeProvider clock) =>
        TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Beijing).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IResult Html(string body, int status = StatusCodes.Status200OK) =>
        Results.Content(body, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
