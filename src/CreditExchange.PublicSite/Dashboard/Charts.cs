using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace CreditExchange.PublicSite.Dashboard;

/// <summary>One stacked series of a bar chart: its label, colour and one value per category.</summary>
public sealed record ChartSeries(string Label, string Colour, IReadOnlyList<long> Values);

/// <summary>
/// Server-rendered charts: OxyPlot builds the plot model (axes, stacked bars, legend) and its SVG exporter writes it, so
/// the page needs no script and the browser only draws vector shapes. Every chart is also given as a table on the page
/// (the numbers a screen reader reads and a test checks), so the SVG itself is decoration for those who can see it.
/// </summary>
public static class Charts
{
    private const string Font = "WenQuanYi Zen Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif";

    /// <summary>A horizontal stacked bar chart, one bar per category (top to bottom in the order given).</summary>
    public static string StackedBars(string id, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, int width = 640)
    {
        // The exporter measures text with Latin font metrics, which would crop Chinese labels: the left margin is set
        // from the labels' length instead (a CJK character is about one em wide), and the legend is the page's (HTML).
        var labelWidth = categories.Count == 0 ? 0 : categories.Max(c => c.Sum(ch => ch < 0x2E80 ? 8 : 14));
        var model = new PlotModel
        {
            DefaultFont = Font, DefaultFontSize = 13, PlotAreaBorderThickness = new OxyThickness(0), Background = OxyColors.White, IsLegendVisible = false,
            PlotMargins = new OxyThickness(labelWidth + 16, double.NaN, 24, double.NaN),
        };
        var categoryAxis = new CategoryAxis { Position = AxisPosition.Left, Key = "c", IsZoomEnabled = false, IsPanEnabled = false, StartPosition = 1, EndPosition = 0 };
        categoryAxis.Labels.AddRange(categories);
        model.Axes.Add(categoryAxis);
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom, Key = "v", Minimum = 0, MinimumPadding = 0, MaximumPadding = 0.08, MinimumMajorStep = 1, MinimumMinorStep = 1,
            MajorGridlineStyle = LineStyle.Solid, MajorGridlineColor = OxyColor.FromRgb(0xdd, 0xdd, 0xdd), StringFormat = "0", AbsoluteMinimum = 0,
        });
        foreach (var s in series)
        {
            var bars = new BarSeries { Title = s.Label, IsStacked = true, FillColor = OxyColor.Parse(s.Colour), StrokeThickness = 0, XAxisKey = "v", YAxisKey = "c" };
            bars.Items.AddRange(s.Values.Select(v => new BarItem(v)));
            model.Series.Add(bars);
        }

        var height = 60 + Math.Max(1, categories.Count) * 30;
        var svg = SvgExporter.ExportToString(model, width, height, isDocument: false);

        // The opening tag is replaced: a viewBox so the chart scales to a phone's width, and the name for assistive
        // technology from the figure's caption (the table after it carries the numbers).
        var open = svg.IndexOf("<svg", StringComparison.Ordinal);
        var close = svg.IndexOf('>', open);
        return string.Create(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-caption\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"xMinYMin meet\">") + svg[(close + 1)..];
    }
}
