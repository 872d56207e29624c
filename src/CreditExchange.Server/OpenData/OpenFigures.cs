using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CreditExchange.Domain.Evaluation;
using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;
using CreditExchange.Server.Evaluation;
using CreditExchange.Server.Settings;
using CreditExchange.Storage;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.OpenData;

/// <summary>
/// Builds the open figures and writes them with their cache headers: counts of public records (suppressed by
/// <see cref="SmallCellSuppression"/>) and published evaluations (without the record ids behind them). The schema is
/// docs/open-data.schema.json.
/// </summary>
public sealed class OpenFigures(OpenDataStore records, EvaluationStore evaluations, IOptions<HubOptions> options, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };

    private OpenDataOptions Options => options.Value.OpenData;

    public async Task RecordCountsAsync(HttpContext http, string? yearText)
    {
        var today = ChinaCalendar.DateOf(time.GetUtcNow());
        var year = today.Year;
        if (!string.IsNullOrEmpty(yearText)
            && (yearText.Length != 4 || !int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out year) || year < 1990 || year > today.Year))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { error = "invalid_year", field = "year", description = $"A year from 1990 to {today.Year}, \"YYYY\"." }, Json);
            return;
        }

        var table = SmallCellSuppression.Apply(await records.PublicCellsAsync(year, today, http.RequestAborted), Options.MinimumCellCount);
        await WriteAsync(http, new
        {
            Dataset = "record-counts",
            Year = year,
            AsOfDate = Iso(today),
            RegionLevel = "prefecture",
            MinimumCellCount = Options.MinimumCellCount,
            Cells = table.Cells.Select(c => new
            {
                c.Cell.Region,
                Domain = Name(c.Cell.Domain),
                Category = Name(c.Cell.Category),
                c.Cell.Month,
                c.Count,
                c.Suppressed,
            }),
            RegionTotals = table.RegionTotals.Select(t => new { t.Region, t.Count, t.Suppressed }),
        });
    }

    public async Task EvaluationsAsync(HttpContext http)
    {
        var published = await evaluations.AllPublishedAsync(http.RequestAborted);
        await WriteAsync(http, new
        {
            Dataset = "evaluations",
            Evaluations = published.Select(row =>
            {
                var e = Evaluations.Published(row);
                return new
                {
                    Scope = row.TargetKind == (int)EvaluationTargetKind.Region ? "region" : "government_body",
                    Key = row.TargetKey,
                    e.Period,
                    e.StandardVersion,
                    e.StandardSource,
                    e.ScoreHundredths,
                    e.Grade,
                    e.AsOfDate,
                    PublishedAt = row.PublishedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    Indicators = e.Indicators.Select(i => new { i.Code, i.Name, i.Value, i.Weight, i.Threshold, i.PointsHundredths }),
                };
            }),
        });
    }

    /// <summary>Writes <paramref name="body"/> as JSON with an ETag of its bytes, or 304 when the client holds it already.</summary>
    private async Task WriteAsync(HttpContext http, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Json);
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = $"public, max-age={(int)Options.CacheFor.TotalSeconds}";
        if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "*")))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
