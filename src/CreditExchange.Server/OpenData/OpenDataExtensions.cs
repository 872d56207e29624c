using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using CreditExchange.Server.Settings;
using CreditExchange.Server.Transport;
using CreditExchange.Storage;
using Microsoft.AspNetCore.RateLimiting;

namespace CreditExchange.Server.OpenData;

/// <summary>
/// The open figures for third parties (seed clause 四(三)): read-only JSON on the open-data listener
/// (Hub:OpenData:Url, no client certificate), rate-limited per client address, cacheable (Cache-Control, ETag).
/// Only aggregates of public records, with small cells suppressed, and published evaluations. See docs/open-data.md.
/// </summary>
public static class OpenDataExtensions
{
    public const string RateLimitPolicy = "open-data";

    public static IHostApplicationBuilder AddOpenData(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>()?.OpenData ?? new OpenDataOptions();
        builder.Services.AddScoped<OpenDataStore>();
        builder.Services.AddScoped<OpenFigures>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Window;
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            // One window per client address: third parties are anonymous, so the address is all there is to tell them apart.
            limiter.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress ?? IPAddress.None,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.PermitsPerWindow, Window = options.Window, QueueLimit = 0 }));
        });
        return builder;
    }

    public static WebApplication MapOpenData(this WebApplication app)
    {
        var group = app.MapGroup("/open-data/v1")
            .WithMetadata(OpenDataEndpoint.Instance)
            .RequireRateLimiting(RateLimitPolicy);
        group.MapGet("/record-counts", (HttpContext http, OpenFigures figures, string? year) => figures.RecordCountsAsync(http, year));
        group.MapGet("/evaluations", (HttpContext http, OpenFigures figures) => figures.EvaluationsAsync(http));
        return app;
    }
}
