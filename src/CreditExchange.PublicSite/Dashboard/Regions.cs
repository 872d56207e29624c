using CreditExchange.Contracts.Statistics.V1;

namespace CreditExchange.PublicSite.Dashboard;

/// <summary>
/// The drill-down of the dashboard: autonomous region → league or city → county, banner or district → township,
/// street or sumu (GB/T 2260, GB/T 10114), with the Chinese names of the levels the DRC looks at most. A code without a
/// name here is shown as its code.
/// </summary>
public static class Regions
{
    /// <summary>Where the drill-down starts: Inner Mongolia.</summary>
    public const string Root = "150000";

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["150000"] = "内蒙古自治区",
        ["150100"] = "呼和浩特市", ["150200"] = "包头市", ["150300"] = "乌海市", ["150400"] = "赤峰市", ["150500"] = "通辽市",
        ["150600"] = "鄂尔多斯市", ["150700"] = "呼伦贝尔市", ["150800"] = "巴彦淖尔市", ["150900"] = "乌兰察布市",
        ["152200"] = "兴安盟", ["152500"] = "锡林郭勒盟", ["152900"] = "阿拉善盟",
        ["150102"] = "新城区", ["150103"] = "回民区", ["150104"] = "玉泉区", ["150105"] = "赛罕区", ["150121"] = "土默特左旗",
        ["150122"] = "托克托县", ["150123"] = "和林格尔县", ["150124"] = "清水河县", ["150125"] = "武川县",
        ["150202"] = "东河区", ["150203"] = "昆都仑区", ["150204"] = "青山区", ["150205"] = "石拐区", ["150206"] = "白云鄂博矿区", ["150207"] = "九原区",
    };

    /// <summary>Whether <paramref name="code"/> is a division code the dashboard can show (six or nine digits).</summary>
    public static bool IsValid(string? code) => code is { Length: 6 or 9 } && code.All(char.IsAsciiDigit);

    /// <summary>The level of a code: 150000 the region, xxxx00 a league or city, other six digits a county, nine a township.</summary>
    public static RegionLevel LevelOf(string code) => code switch
    {
        { Length: 9 } => RegionLevel.Township,
        _ when code.EndsWith("0000", StringComparison.Ordinal) => RegionLevel.Region,
        _ when code.EndsWith("00", StringComparison.Ordinal) => RegionLevel.Prefecture,
        _ => RegionLevel.County,
    };

    /// <summary>The level the children of a code are counted at; a township has none (it is counted at its own).</summary>
    public static RegionLevel ChildLevel(string code) => LevelOf(code) switch
    {
        RegionLevel.Region => RegionLevel.Prefecture,
        RegionLevel.Prefecture => RegionLevel.County,
        _ => RegionLevel.Township,
    };

    /// <summary>Whether a child at <paramref name="level"/> can be opened further.</summary>
    public static bool HasChildren(string code, RegionLevel level) => level != RegionLevel.Township && code.Length == 6;

    /// <summary>The chain from the root to <paramref name="code"/>, for the breadcrumb.</summary>
    public static IReadOnlyList<string> Path(string code)
    {
        var path = new List<string> { Root };
        if (code.Length >= 6 && code[..2] == Root[..2])
        {
            var prefecture = code[..4] + "00";
            if (prefecture != Root && !path.Contains(prefecture))
            {
                path.Add(prefecture);
            }

            if (code[..6] != prefecture && code[..6] != Root)
            {
                path.Add(code[..6]);
            }
        }
        else if (code != Root)
        {
            path.Add(code[..Math.Min(6, code.Length)]);
        }

        if (code.Length == 9)
        {
            path.Add(code);
        }

        return path;
    }

    /// <summary>A code's Chinese name, or the code itself.</summary>
    public static string Name(string code) =>
        Names.TryGetValue(code, out var name) ? name
        : code.Length == 9 && Names.TryGetValue(code[..6], out var county) ? $"{county} {code[6..]}"
        : code;

    /// <summary>A code's level in Chinese.</summary>
    public static string LevelName(RegionLevel level) => level switch
    {
        RegionLevel.Region => "自治区",
        RegionLevel.Prefecture => "盟市",
        RegionLevel.County => "旗县（市、区）",
        RegionLevel.Township => "苏木乡镇（街道）",
        _ => "地区",
    };
}
