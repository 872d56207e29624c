using System.Globalization;
using System.Net;
using System.Text;
using CreditExchange.Contracts.Publication.V1;
using CreditExchange.Contracts.Records.V1;

namespace CreditExchange.PublicSite;

/// <summary>
/// The public pages as server-rendered zh-CN HTML: no script, every value HTML-encoded, headings, labelled form
/// controls, table headers with scope, and a layout that fits a phone.
/// </summary>
public static class Pages
{
    public static readonly IReadOnlyDictionary<int, string> Categories = new Dictionary<int, string>
    {
        [1] = "司法判决", [2] = "行政处罚", [3] = "政务处分", [4] = "问责", [5] = "违约、违背承诺", [6] = "检察机关起诉或公益诉讼",
    };

    internal static readonly Dictionary<int, string> Severities = new() { [1] = "轻微", [2] = "一般", [3] = "严重" };

    private static readonly Dictionary<int, string> Domains = new()
    {
        [1] = "政府采购", [2] = "政府和社会资本合作（PPP）", [3] = "招标投标", [4] = "招商引资", [5] = "政府债务（含拖欠账款、农民工工资）", [6] = "街道、苏木乡镇", [7] = "其他",
    };

    private static readonly Dictionary<int, string> PenaltyKinds = new()
    {
        [1] = "警告", [2] = "通报批评", [3] = "罚款", [4] = "没收违法所得", [5] = "没收非法财物", [6] = "暂扣许可证件", [7] = "降低资质等级",
        [8] = "吊销许可证件", [9] = "限制开展生产经营活动", [10] = "责令停产停业", [11] = "责令关闭", [12] = "限制从业", [13] = "行政拘留",
    };

    private static readonly Dictionary<int, string> SanctionKinds = new() { [1] = "警告", [2] = "记过", [3] = "记大过", [4] = "降级", [5] = "撤职", [6] = "开除" };

    private static readonly Dictionary<int, string> Roles = new() { [1] = "主要负责人", [2] = "相关责任人", [3] = "法定代表人、主要负责人" };

    private static readonly Dictionary<int, string> Performances = new() { [1] = "全部未履行", [2] = "部分未履行" };

    private static readonly Dictionary<int, string> Conducts = new()
    {
        [1] = "有履行能力而拒不履行生效法律文书确定义务", [2] = "以伪造证据、暴力、威胁等方法妨碍、抗拒执行", [3] = "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
        [4] = "违反财产报告制度", [5] = "违反限制消费令", [6] = "无正当理由拒不履行执行和解协议",
    };

    internal const string Style = """
        body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:0;line-height:1.6;color:#1a1a1a;background:#fff}
        header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
        header{border-bottom:3px solid #b00000}
        h1{font-size:1.5rem;margin:.75rem 0}
        a{color:#0b4f9c}
        form.search{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.5rem 1rem;margin:1rem 0;align-items:end}
        form.search label{display:block;font-weight:600}
        form.search input,form.search select,form.search button{width:100%;box-sizing:border-box;padding:.45rem;font-size:1rem}
        .table-wrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%;min-width:42rem}
        td.nowrap{white-space:nowrap}
        caption{text-align:left;font-weight:600;padding:.25rem 0}
        th,td{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}
        thead th{background:#f3f3f3}
        dl{display:grid;grid-template-columns:minmax(7rem,12rem) 1fr;gap:.25rem 1rem}
        dt{font-weight:600}
        dd{margin:0;white-space:pre-wrap;word-break:break-word}
        nav.pager{margin:1rem 0;display:flex;gap:1rem;flex-wrap:wrap}
        @media (max-width:40rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
        """;

    internal static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    internal static string Label(IReadOnlyDictionary<int, string> labels, int value, string fallback) => labels.TryGetValue(value, out var label) ? label : fallback;

    private static string Layout(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)} - 信用内蒙古 政府失信信息公示</title>
        <style>{Style}</style>
        </head>
        <body>
        <header><p><a href="/">信用内蒙古 · 政府失信信息公示</a></p></header>
        <main id="main">
        {body}
        </main>
        <footer><p>本页信息来自政府失信信息交换平台的公示名单，个人信息已按规定脱敏。</p></footer>
        </body>
        </html>
        """;

    /// <summary>A page with a heading and one sentence (404, 410).</summary>
    public static string Message(string title, string text) =>
        Layout(title, $"<h1>{E(title)}</h1>\n<p>{E(text)}</p>\n<p><a href=\"/\">返回公示名单</a></p>");

    /// <summary>The list page: the search form, one page of results and the pager.</summary>
    public static string List(MirrorQuery query, IReadOnlyList<MirrorRow> rows, int total, IReadOnlyList<int> years)
    {
        var html = new StringBuilder();
        html.Append("<h1>政府失信信息公示名单</h1>\n");
        html.Append("<form class=\"search\" method=\"get\" action=\"/\" role=\"search\" aria-label=\"查询公示信息\">\n");
        Field(html, "name", "名称", query.Name, "机关名称或脱敏姓名");
        Field(html, "code", "统一社会信用代码", query.CreditCode, "18位代码或其中一段");
        Field(html, "region", "地区（行政区划代码）", query.Region, "如 150102");
        html.Append("<div><label for=\"category\">类别</label><select id=\"category\" name=\"category\"><option value=\"\">全部类别</option>");
        foreach (var (value, label) in Categories)
        {
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{value}\"{(query.Category == value ? " selected" : "")}>{E(label)}</option>");
        }

        html.Append("</select></div>\n<div><label for=\"year\">决定年份</label><select id=\"year\" name=\"year\"><option value=\"\">全部年份</option>");
        foreach (var year in years.Union(query.Year is { } y ? [y] : []).OrderDescending())
        {
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{year}\"{(query.Year == year ? " selected" : "")}>{year}年</option>");
        }

        html.Append("</select></div>\n<div><button type=\"submit\">查询</button></div>\n</form>\n");
        var pages = Math.Max(1, (total + query.PageSize - 1) / query.PageSize);
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"result-count\" role=\"status\">共 {total} 条，第 {Math.Min(query.Page, pages)} / {pages} 页</p>\n");
        if (rows.Count == 0)
        {
            html.Append("<p>没有符合条件的公示信息。</p>\n");
        }
        else
        {
            html.Append("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"list-caption\" tabindex=\"0\"><table>\n<caption id=\"list-caption\">公示信息列表</caption>\n<thead><tr><th scope=\"col\">名称</th><th scope=\"col\">统一社会信用代码</th><th scope=\"col\">类别</th><th scope=\"col\">决定机关</th><th scope=\"col\">决定日期</th><th scope=\"col\">地区代码</th></tr></thead>\n<tbody>\n");
            foreach (var row in rows)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\"><a href=\"/records/{Uri.EscapeDataString(row.RecordId)}\">{E(row.SubjectName)}</a></th><td class=\"nowrap\">{E(row.CreditCode.Length > 0 ? row.CreditCode : "—")}</td><td>{E(Label(Categories, row.Category, "其他"))}</td><td>{E(row.AuthorityName)}</td><td class=\"nowrap\">{E(row.DecisionDate)}</td><td>{E(row.DivisionCode)}</td></tr>\n");
            }

            html.Append("</tbody>\n</table></div>\n");
        }

        if (pages > 1)
        {
            html.Append("<nav class=\"pager\" aria-label=\"分页\">");
            if (query.Page > 1)
            {
                html.Append(CultureInfo.InvariantCulture, $"<a rel=\"prev\" href=\"{E(PageLink(query, query.Page - 1))}\">上一页</a>");
            }

            if (query.Page < pages)
            {
                html.Append(CultureInfo.InvariantCulture, $"<a rel=\"next\" href=\"{E(PageLink(query, query.Page + 1))}\">下一页</a>");
            }

            html.Append("</nav>\n");
        }

        return Layout("公示名单", html.ToString());
    }

    private static void Field(StringBuilder html, string name, string label, string? value, string hint) =>
        html.Append(CultureInfo.InvariantCulture, $"<div><label for=\"{name}\">{E(label)}</label><input id=\"{name}\" name=\"{name}\" type=\"search\" value=\"{E(value)}\" placeholder=\"{E(hint)}\"></div>\n");

    private static string PageLink(MirrorQuery query, int page)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add($"{key}={Uri.EscapeDataString(value)}");
            }
        }

        Add("name", query.Name);
        Add("code", query.CreditCode);
        Add("region", query.Region);
        Add("category", query.Category?.ToString(CultureInfo.InvariantCulture));
        Add("year", query.Year?.ToString(CultureInfo.InvariantCulture));
        Add("page", page.ToString(CultureInfo.InvariantCulture));
        return "/?" + string.Join("&", parts);
    }

    /// <summary>A record's page: every field of the public form the hub gave, as given.</summary>
    public static string Detail(PublicRecord record)
    {
        var name = MirrorStore.SubjectName(record);
        var rows = new List<(string Label, string Value)>();
        void Row(string label, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                rows.Add((label, value));
            }
        }

        switch (record.Subject.KindCase)
        {
            case PublicSubject.KindOneofCase.GovernmentBody:
                Row("失信主体", record.Subject.GovernmentBody.Name);
                Row("统一社会信用代码", record.Subject.GovernmentBody.CreditCode);
                break;
            case PublicSubject.KindOneofCase.CivilServant:
                Row("姓名", record.Subject.CivilServant.MaskedName);
                Row("身份证号码", record.Subject.CivilServant.MaskedResidentId);
                Row("职务", record.Subject.CivilServant.Position);
                break;
        }

        Row("地区代码", record.Subject.DivisionCode);
        Row("类别", Label(Categories, (int)record.Category, record.Category.ToString()));
        Row("严重程度", Label(Severities, (int)record.Severity, record.Severity.ToString()));
        Row("领域", Label(Domains, (int)record.Domain, record.Domain.ToString()));
        Row("违法行为类型", record.ConductType);
        Row("决定文书号", record.DecisionDocumentNumber);
        Row("决定机关", record.DecidingAuthority is { } authority ? $"{authority.Name}（{authority.CreditCode}）" : null);
        Row("决定日期", record.DecisionDate);
        Row("失信事实", record.Facts);
        Row("依据", record.LegalBasis);
        Row("处罚种类", string.Join("、", record.PenaltyKinds.Select(k => Label(PenaltyKinds, (int)k, k.ToString()))));
        Row("处理结果", record.PenaltyText);
        Row("罚款金额", record.FineFen > 0 ? Yuan(record.FineFen) : null);
        Row("没收金额", record.ConfiscatedFen > 0 ? Yuan(record.ConfiscatedFen) : null);
        if (record.Project is { } project)
        {
            Row("项目", $"{project.Name}（{project.Code}）");
        }

        Row("责任人", record.ResponsiblePersonName);
        foreach (var person in record.ResponsiblePersons)
        {
            Row(Label(Roles, (int)person.Role, "责任人"), string.IsNullOrEmpty(person.Position) ? person.MaskedName : $"{person.MaskedName}，{person.Position}");
        }

        Row("政务处分种类", record.SanctionKind == SanctionKind.Unspecified ? null : Label(SanctionKinds, (int)record.SanctionKind, record.SanctionKind.ToString()));
        if (record.JudgmentDebtor is { } debtor)
        {
            Row("执行案号", debtor.EnforcementCaseNumber);
            Row("执行法院", debtor.EnforcingCourt?.Name);
            Row("执行依据文号", debtor.BasisDocumentNumber);
            Row("作出执行依据单位", debtor.BasisIssuingBody);
            Row("立案时间", debtor.FilingDate);
            Row("生效法律文书确定的义务", debtor.Obligation);
            Row("履行情况", Label(Performances, (int)debtor.Performance, debtor.Performance.ToString()));
            Row("失信被执行人行为具体情形", string.Join("；", debtor.Conducts.Select(c => Label(Conducts, (int)c, c.ToString()))));
            Row("法定代表人或负责人", debtor.PersonInChargeMaskedName);
        }

        Row("报送单位", record.SourceAgencyId);
        Row("公示截止日期", record.PublishedUntil);
        Row("记录编号", record.RecordId);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(name)}</h1>\n<h2>公示信息</h2>\n<dl>\n");
        foreach (var (label, value) in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>{E(label)}</dt><dd>{E(value)}</dd>\n");
        }

        html.Append("</dl>\n<p><a href=\"/\">返回公示名单</a></p>\n");
        return Layout(name.Length > 0 ? name : "公示信息", html.ToString());
    }

    private static string Yuan(long fen) => (fen / 100m).ToString("#,0.00", CultureInfo.InvariantCulture) + " 元";
}
