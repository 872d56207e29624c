using System.Globalization;
using Microsoft.Extensions.Options;

namespace CreditExchange.PublicSite;

/// <summary>Builds the public site: the mirror follower in the background and the two public pages.</summary>
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
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(settings.ListenUrl);
        }

        builder.Services.AddSingleton(_ => new MirrorStore(settings.DatabasePath));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<MirrorFollower>();

        var app = builder.Build();
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
        return app;
    }

    private static string Today(TimeProvider clock) =>
        TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Beijing).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IResult Html(string body, int status = StatusCodes.Status200OK) =>
        Results.Content(body, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
