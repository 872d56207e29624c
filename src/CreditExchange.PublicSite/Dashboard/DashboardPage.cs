using System.Globalization;
using System.Text;
using CreditExchange.Contracts.Statistics.V1;
using static CreditExchange.PublicSite.Pages;

namespace CreditExchange.PublicSite.Dashboard;

/// <summary>
/// The DRC dashboard as server-rendered zh-CN HTML without script: for a region, its children's records in force by
/// severity, the records by category and by severity per decision year, the current warnings, what is overdue, and how
/// far the recipients of the feed lag. Each chart is a figure whose caption names the SVG and whose table carries the
/// numbers (with data-* attributes, the page's data a test reads).
/// </summary>
public static class DashboardPage
{
    private static readonly (int Severity, string Colour)[] SeverityColours = [(1, "#9ecae1"), (2, "#f2a33a"), (3, "#c0392b")];

    private static readonly string[] CategoryColours = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"];

    private const string ExtraStyle = """
        nav.crumbs ol{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem}
        nav.crumbs li+li::before{content:"›";margin-right:.25rem;color:#666}
        figure{margin:1rem 0}
        figure svg{width:100%;height:auto;max-width:44rem;display:block}
        figcaption{font-weight:600}
        section{margin:1.5rem 0}
        .overdue{color:#b00000;font-weight:600}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        .summary{font-size:1.1rem}
        ul.legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.9rem}
        .swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:-.1rem}
        """;

    public static string Render(DashboardModel model, string staff)
    {
        var html = new StringBuilder();
        var name = Regions.Name(model.Region);
        html.Append(CultureInfo.InvariantCulture, $"<h1>诚信监测：{E(name)}</h1>\n");
        html.Append("<nav class=\"crumbs\" aria-label=\"地区层级\"><ol>");
        foreach (var code in Regions.Path(model.Region))
        {
            html.Append(code == model.Region
                ? $"<li><span aria-current=\"page\">{E(Regions.Name(code))}</span></li>"
                : $"<li><a href=\"{Link(code)}\">{E(Regions.Name(code))}</a></li>");
        }

        html.Append("</ol></nav>\n");
        html.Append(CultureInfo.InvariantCulture,
            $"<p class=\"summary\" id=\"summary\" data-region=\"{E(model.Region)}\" data-total=\"{model.TotalRecords}\" data-as-of=\"{E(model.AsOfDate)}\">截至 {E(model.AsOfDate)}，{E(model.From)} 至 {E(model.To)} 作出决定、仍在有效期内的失信记录 <strong>{model.TotalRecords}</strong> 条。</p>\n");

        RegionSection(html, model);
        YearSection(html, "categories", "按类别的年度分布", "类别", model.Years, Categories.Keys.Order().ToList(), k => Label(Categories, k, "其他"),
            (k, i) => CategoryColours[i % CategoryColours.Length], y => y.ByCategory);
        YearSection(html, "severities", "按严重程度的年度分布", "严重程度", model.Years, SeverityColours.Select(s => s.Severity).ToList(), k => Label(Severities, k, "未标明"),
            (k, _) => SeverityColours.First(s => s.Severity == k).Colour, y => y.BySeverity);
        WarningSection(html, model);
        OverdueSection(html, model);
        FeedSection(html, model);
        html.Append(CultureInfo.InvariantCulture, $"<p>当前用户：{E(staff)}（工作人员证书）。数据来自政务失信信息交换平台，仅供发展改革部门内部使用，请勿对外公开。</p>\n");
        return Layout($"诚信监测：{name}", html.ToString());
    }

    /// <summary>A page with a heading and one sentence (an unknown region, the hub out of reach).</summary>
    public static string Message(string title, string text) =>
        Layout(title, $"<h1>{E(title)}</h1>\n<p>{E(text)}</p>\n<p><a href=\"/dashboard\">返回全区概况</a></p>");

    private static void RegionSection(StringBuilder html, DashboardModel model)
    {
        var level = Regions.LevelName(model.ChildLevel);
        html.Append(CultureInfo.InvariantCulture, $"<section aria-labelledby=\"regions-heading\">\n<h2 id=\"regions-heading\">各{E(level)}失信记录</h2>\n");
        if (model.Children.Count == 0)
        {
            html.Append("<p>该地区没有仍在有效期内的失信记录。</p>\n</section>\n");
            return;
        }

        var series = SeverityColours.Select(s => new ChartSeries(Label(Severities, s.Severity, ""), s.Colour,
            model.Children.Select(c => s.Severity switch { 1 => c.Minor, 2 => c.General, _ => c.Serious }).ToList())).ToList();
        if (model.Children.Any(c => c.Other > 0))
        {
            series.Add(new ChartSeries("未标明", "#999999", model.Children.Select(c => c.Other).ToList()));
        }

        Figure(html, "regions", $"各{level}仍在有效期内的失信记录（按严重程度）",
            Charts.StackedBars("regions-chart", model.Children.Select(c => Regions.Name(c.Code)).ToList(), series), series);
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"regions-table-caption\" tabindex=\"0\"><table data-chart=\"regions\">\n<caption id=\"regions-table-caption\">各{E(level)}失信记录数（点击地区名称查看下一级）</caption>\n");
        html.Append("<thead><tr><th scope=\"col\">地区</th><th scope=\"col\">代码</th><th scope=\"col\" class=\"num\">合计</th><th scope=\"col\" class=\"num\">严重</th><th scope=\"col\" class=\"num\">一般</th><th scope=\"col\" class=\"num\">轻微</th></tr></thead>\n<tbody>\n");
        foreach (var c in model.Children)
        {
            var label = E(Regions.Name(c.Code));
            var cell = Regions.HasChildren(c.Code, c.Level) && c.Code != model.Region ? $"<a href=\"{Link(c.Code)}\">{label}</a>" : label;
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-region=\"{E(c.Code)}\" data-total=\"{c.Total}\" data-serious=\"{c.Serious}\" data-general=\"{c.General}\" data-minor=\"{c.Minor}\"><th scope=\"row\">{cell}</th><td>{E(c.Code)}</td><td class=\"num\">{c.Total}</td><td class=\"num\">{c.Serious}</td><td class=\"num\">{c.General}</td><td class=\"num\">{c.Minor}</td></tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void YearSection(
        StringBuilder html, string id, string heading, string dimension, IReadOnlyList<YearCounts> years, IReadOnlyList<int> keys,
        Func<int, string> label, Func<int, int, string> colour, Func<YearCounts, IReadOnlyDictionary<int, long>> pick)
    {
        html.Append(CultureInfo.InvariantCulture, $"<section aria-labelledby=\"{id}-heading\">\n<h2 id=\"{id}-heading\">{E(heading)}</h2>\n");
        if (years.Count == 0)
        {
            html.Append("<p>没有数据。</p>\n</section>\n");
            return;
        }

        var shown = keys.Where(k => years.Any(y => pick(y).GetValueOrDefault(k) > 0)).ToList();
        var series = shown.Select((k, i) => new ChartSeries(label(k), colour(k, i), years.Select(y => pick(y).GetValueOrDefault(k)).ToList())).ToList();
        Figure(html, id, $"{heading}（按决定年份）", Charts.StackedBars($"{id}-chart", years.Select(y => y.Year + "年").ToList(), series), series);
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"{id}-table-caption\" tabindex=\"0\"><table data-chart=\"{id}\">\n<caption id=\"{id}-table-caption\">{E(heading)}（条）</caption>\n<thead><tr><th scope=\"col\">年份</th>");
        foreach (var k in shown)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\" class=\"num\">{E(label(k))}</th>");
        }

        html.Append("<th scope=\"col\" class=\"num\">合计</th></tr></thead>\n<tbody>\n");
        foreach (var y in years)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-year=\"{E(y.Year)}\"><th scope=\"row\">{E(y.Year)}年</th>");
            foreach (var k in shown)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\" data-{(id == "categories" ? "category" : "severity")}=\"{k}\" data-count=\"{pick(y).GetValueOrDefault(k)}\">{pick(y).GetValueOrDefault(k)}</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\" data-total=\"{y.Total}\">{y.Total}</td></tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void WarningSection(StringBuilder html, DashboardModel model)
    {
        html.Append(CultureInfo.InvariantCulture, $"<section aria-labelledby=\"warnings-heading\">\n<h2 id=\"warnings-heading\">当前预警（{model.Warnings.Count}）</h2>\n");
        if (model.Warnings.Count == 0)
        {
            html.Append("<p>没有达到预警阈值的机关或地区。</p>\n</section>\n");
            return;
        }

        html.Append("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"warnings-caption\" tabindex=\"0\"><table data-table=\"warnings\">\n<caption id=\"warnings-caption\">达到预警阈值的政府机关和地区</caption>\n");
        html.Append("<thead><tr><th scope=\"col\">对象</th><th scope=\"col\">代码</th><th scope=\"col\">预警原因</th><th scope=\"col\" class=\"num\">记录数</th><th scope=\"col\" class=\"num\">严重</th><th scope=\"col\" class=\"num\">未清偿欠款（元）</th></tr></thead>\n<tbody>\n");
        foreach (var w in model.Warnings)
        {
            var target = w.Target == WarningTarget.Region ? $"地区：{Regions.Name(w.Key)}" : "政府机关";
            var reasons = string.Join("、", w.Reasons.Select(r => r switch
            {
                WarningReason.RecordCount => "记录数",
                WarningReason.SeriousCount => "严重失信",
                WarningReason.Arrears => "拖欠账款",
                _ => "其他",
            }));
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-key=\"{E(w.Key)}\" data-records=\"{w.RecordCount}\" data-serious=\"{w.SeriousCount}\"><th scope=\"row\">{E(target)}</th><td>{E(w.Key)}</td><td class=\"overdue\">{E(reasons)}</td><td class=\"num\">{w.RecordCount}</td><td class=\"num\">{w.SeriousCount}</td><td class=\"num\">{(w.OutstandingArrearsFen / 100m).ToString("N2", CultureInfo.InvariantCulture)}</td></tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void OverdueSection(StringBuilder html, DashboardModel model)
    {
        html.Append(CultureInfo.InvariantCulture, $"<section aria-labelledby=\"overdue-heading\">\n<h2 id=\"overdue-heading\">逾期未办结事项（{model.Overdue.Count}{(model.OverdueTruncated ? "+" : "")}）</h2>\n");
        if (model.Overdue.Count == 0)
        {
            html.Append("<p>没有逾期的异议、信用修复申请或投诉。</p>\n</section>\n");
            return;
        }

        html.Append("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"overdue-caption\" tabindex=\"0\"><table data-table=\"overdue\">\n<caption id=\"overdue-caption\">已过办理期限的异议、信用修复申请和投诉（最早到期在前；全区，不分地区）</caption>\n");
        html.Append("<thead><tr><th scope=\"col\">类型</th><th scope=\"col\">办理期限</th><th scope=\"col\">报送单位</th><th scope=\"col\">记录编号</th><th scope=\"col\">时限规则</th></tr></thead>\n<tbody>\n");
        foreach (var item in model.Overdue)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-kind=\"{E(item.Kind)}\" data-id=\"{E(item.Id)}\" data-due=\"{E(item.DueDate)}\"><th scope=\"row\">{E(item.Kind)}</th><td class=\"overdue\">{E(item.DueDate)}（已逾期）</td><td>{E(item.SourceAgencyId)}</td><td>{E(item.RecordId)}</td><td>{E(item.Rule)}</td></tr>\n");
        }

        html.Append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void FeedSection(StringBuilder html, DashboardModel model)
    {
        var reach = model.Reach;
        html.Append("<section aria-labelledby=\"feed-heading\">\n<h2 id=\"feed-heading\">交换与订阅</h2>\n");
        html.Append(CultureInfo.InvariantCulture,
            $"<p id=\"feed-summary\" data-unacknowledged=\"{reach.WarningCount}\" data-mirror-position=\"{model.MirrorPosition}\">超过确认时限（{reach.AcknowledgementLimit?.WorkingDays ?? 0} 个工作日）仍未被全部接收单位确认的变更：<strong>{reach.WarningCount}</strong> 项。公示网站镜像已同步到公示变更序号 {model.MirrorPosition}。</p>\n");
        if (reach.Groups.Count > 0)
        {
            html.Append("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"lag-caption\" tabindex=\"0\"><table data-table=\"lag\">\n<caption id=\"lag-caption\">各接收单位未确认的变更（按地区）</caption>\n");
            html.Append("<thead><tr><th scope=\"col\">接收单位</th><th scope=\"col\">地区</th><th scope=\"col\" class=\"num\">未确认</th><th scope=\"col\" class=\"num\">其中未送达</th><th scope=\"col\">最早一项发生于</th></tr></thead>\n<tbody>\n");
            foreach (var g in reach.Groups.OrderByDescending(g => g.ChangeCount))
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr data-agency=\"{E(g.AgencyId)}\" data-region=\"{E(g.DivisionCode)}\" data-changes=\"{g.ChangeCount}\"><th scope=\"row\">{E(g.AgencyId)}</th><td>{E(Regions.Name(g.DivisionCode))}</td><td class=\"num\">{g.ChangeCount}</td><td class=\"num\">{g.UndeliveredCount}</td><td>{E(g.OldestOccurredAt?.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))}</td></tr>\n");
            }

            html.Append("</tbody>\n</table></div>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<h3>本平台的订阅（{model.Subscriptions.Subscriptions.Count} / {model.Subscriptions.Limit}）</h3>\n");
        if (model.Subscriptions.Subscriptions.Count == 0)
        {
            html.Append("<p>没有命名订阅。</p>\n");
        }
        else
        {
            html.Append("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"subs-caption\" tabindex=\"0\"><table data-table=\"subscriptions\">\n<caption id=\"subs-caption\">命名订阅及其已确认位置</caption>\n<thead><tr><th scope=\"col\">订阅名称</th><th scope=\"col\" class=\"num\">已确认序号</th><th scope=\"col\">最近更新</th></tr></thead>\n<tbody>\n");
            foreach (var s in model.Subscriptions.Subscriptions)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr data-subscription=\"{E(s.Name)}\" data-acknowledged=\"{s.AcknowledgedSequence}\"><th scope=\"row\">{E(s.Name)}</th><td class=\"num\">{s.AcknowledgedSequence}</td><td>{E(s.UpdatedAt?.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))}</td></tr>\n");
            }

            html.Append("</tbody>\n</table></div>\n");
        }

        html.Append("</section>\n");
    }

    private static void Figure(StringBuilder html, string id, string caption, string svg, IReadOnlyList<ChartSeries> series)
    {
        html.Append(CultureInfo.InvariantCulture, $"<figure>\n<figcaption id=\"{id}-chart-caption\">{E(caption)}</figcaption>\n{svg}\n<ul class=\"legend\" aria-hidden=\"true\">");
        foreach (var s in series)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><span class=\"swatch\" style=\"background:{E(s.Colour)}\"></span>{E(s.Label)}</li>");
        }

        html.Append("</ul>\n</figure>\n");
    }

    private static string Link(string code) => code == Regions.Root ? "/dashboard" : $"/dashboard?region={Uri.EscapeDataString(code)}";

    private static string Layout(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)} - 信用内蒙古 诚信监测</title>
        <style>{Style}{ExtraStyle}</style>
        </head>
        <body>
        <header><p><a href="/dashboard">信用内蒙古 · 政务诚信监测（发展改革委内部）</a></p></header>
        <main id="main">
        {body}
        </main>
        <footer><p>仅限持有工作人员证书的发展改革部门工作人员访问。</p></footer>
        </body>
        </html>
        """;
}
