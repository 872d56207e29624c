using System.Collections.Frozen;
using System.Globalization;

namespace CreditExchange.Domain.Identifiers;

/// <summary>One prefecture-level entry of the dated GB/T 2260 table for Inner Mongolia.</summary>
/// <param name="Code">Six digits ending in 00, e.g. 150700.</param>
/// <param name="Name">English name, for messages.</param>
/// <param name="EffectiveFrom">First day the code was in use (inclusive).</param>
/// <param name="RetiredOn">First day the code was no longer in use (exclusive end), or null while current.</param>
/// <param name="SuccessorCode">The code that replaced a retired one.</param>
public sealed record DivisionEntry(
    string Code,
    string Name,
    DateOnly EffectiveFrom,
    DateOnly? RetiredOn,
    string? SuccessorCode)
{
    /// <summary>True when the code was in use on <paramref name="day"/>.</summary>
    public bool IsCurrentOn(DateOnly day) => day >= EffectiveFrom && (RetiredOn is null || day < RetiredOn.Value);
}

/// <summary>
/// GB/T 2260 administrative division codes, as far as CreditExchange needs them.
/// </summary>
/// <remarks>
/// <para>
/// Inner Mongolia is modelled at prefecture level with effective and retirement dates,
/// because record subjects are Inner Mongolian bodies and because retired league codes
/// (盟) still appear inside resident ID numbers issued before the leagues became cities.
/// County-level digits (5–6) are deliberately not checked: counties, banners and districts
/// change far more often than prefectures, and a stale county table would refuse real codes.
/// </para>
/// <para>
/// Limitation: we do not ship the national county table. For codes outside Inner Mongolia
/// only the two-digit provincial prefix is checked, so e.g. 110199 is accepted although no
/// such county exists. That is enough to catch transposed or garbage prefixes, which is what
/// the check is for; the check characters catch typing errors.
/// </para>
/// <para>
/// Dates are the State Council approval dates of each change (撤盟设市), taken from the
/// approval documents and regional chronicles (Chifeng 1983-10-10, Tongliao 1999-01-13,
/// Ordos 2001-02-26, Hulunbuir 2001-10-10, Ulanqab and Bayannur 2003-12-01). Tongliao's
/// day is the least certain (sources agree only on January 1999). Codes that predate the
/// first edition of GB/T 2260 (1980) are given 1980-01-01 as their start. The published
/// code tables lagged the approvals by months, so dates near a boundary are approximate.
/// </para>
/// </remarks>
public static class DivisionCodes
{
    /// <summary>The table has no history before the first edition of GB/T 2260.</summary>
    private static readonly DateOnly TableStart = new(1980, 1, 1);

    private static readonly DateOnly Chifeng = new(1983, 10, 10);
    private static readonly DateOnly Tongliao = new(1999, 1, 13);
    private static readonly DateOnly Ordos = new(2001, 2, 26);
    private static readonly DateOnly Hulunbuir = new(2001, 10, 10);
    private static readonly DateOnly UlanqabAndBayannur = new(2003, 12, 1);

    /// <summary>Inner Mongolia: the region itself plus every prefecture-level code since 1980.</summary>
    public static IReadOnlyList<DivisionEntry> InnerMongolia { get; } =
    [
        new("150000", "Inner Mongolia Autonomous Region", TableStart, null, null),
        new("150100", "Hohhot", TableStart, null, null),
        new("150200", "Baotou", TableStart, null, null),
        new("150300", "Wuhai", TableStart, null, null),
        new("150400", "Chifeng", Chifeng, null, null),
        new("150500", "Tongliao", Tongliao, null, null),
        new("150600", "Ordos", Ordos, null, null),
        new("150700", "Hulunbuir", Hulunbuir, null, null),
        new("150800", "Bayannur", UlanqabAndBayannur, null, null),
        new("150900", "Ulanqab", UlanqabAndBayannur, null, null),
        // Hinggan League was split back out of Hulunbuir League on 1980-07-26.
        new("152200", "Hinggan League", new DateOnly(1980, 7, 26), null, null),
        new("152500", "Xilingol League", TableStart, null, null),
        new("152900", "Alxa League", TableStart, null, null),
        new("152100", "Hulunbuir League", TableStart, Hulunbuir, "150700"),
        new("152300", "Jirim League", TableStart, Tongliao, "150500"),
        new("152400", "Ju Ud League", TableStart, Chifeng, "150400"),
        new("152600", "Ulanqab League", TableStart, UlanqabAndBayannur, "150900"),
        new("152700", "Ih Ju League", TableStart, Ordos, "150600"),
        new("152800", "Bayannur League", TableStart, UlanqabAndBayannur, "150800"),
    ];

    /// <summary>The 34 provincial-level divisions, keyed by their two-digit prefix.</summary>
    public static IReadOnlyDictionary<string, string> Provinces { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["11"] = "Beijing",
        ["12"] = "Tianjin",
        ["13"] = "Hebei",
        ["14"] = "Shanxi",
        ["15"] = "Inner Mongolia",
        ["21"] = "Liaoning",
        ["22"] = "Jilin",
        ["23"] = "Heilongjiang",
        ["31"] = "Shanghai",
        ["32"] = "Jiangsu",
        ["33"] = "Zhejiang",
        ["34"] = "Anhui",
        ["35"] = "Fujian",
        ["36"] = "Jiangxi",
        ["37"] = "Shandong",
        ["41"] = "Henan",
        ["42"] = "Hubei",
        ["43"] = "Hunan",
        ["44"] = "Guangdong",
        ["45"] = "Guangxi",
        ["46"] = "Hainan",
        ["50"] = "Chongqing",
        ["51"] = "Sichuan",
        ["52"] = "Guizhou",
        ["53"] = "Yunnan",
        ["54"] = "Tibet",
        ["61"] = "Shaanxi",
        ["62"] = "Gansu",
        ["63"] = "Qinghai",
        ["64"] = "Ningxia",
        ["65"] = "Xinjiang",
        ["71"] = "Taiwan",
        ["81"] = "Hong Kong",
        ["82"] = "Macao",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, DivisionEntry> InnerMongoliaByCode =
        InnerMongolia.ToFrozenDictionary(e => e.Code, StringComparer.Ordinal);

    /// <summary>Registration authorities directly under the State Council use this region in a USCC.</summary>
    private const string NationalLevel = "100000";

    /// <summary>
    /// Checks the region of a record subject: a six-digit GB/T 2260 code (county, prefecture or the
    /// region itself) or a nine-digit GB/T 10114 township code (街道, 苏木, 乡镇: its county's six
    /// digits and three of its own).
    /// </summary>
    public static bool IsCurrentSubjectRegion(string code, DateOnly today, out IdentifierError? error)
    {
        if (code is { Length: 9 } && code.All(char.IsAsciiDigit))
        {
            return IsCurrentTownship(code, today, out error);
        }

        return IsCurrentCountyLevelRegion(code, today, out error);
    }

    /// <summary>
    /// Checks a six-digit subject region: it must lie in Inner Mongolia and its prefecture must be
    /// current on <paramref name="today"/>. County digits are not checked (see the type remarks);
    /// 150000 and prefecture codes ending 00 are accepted because regional and prefecture-level
    /// bodies carry them.
    /// </summary>
    private static bool IsCurrentCountyLevelRegion(string sixDigits, DateOnly today, out IdentifierError? error)
    {
        if (!IsSixDigits(sixDigits, out error))
        {
            return false;
        }

        if (!sixDigits.StartsWith("15", StringComparison.Ordinal))
        {
            error = new IdentifierError(
                IdentifierErrorReasons.UnknownRegion,
                "Region code must lie in Inner Mongolia (start with 15); the hub only holds records of Inner Mongolian subjects.");
            return false;
        }

        if (!TryGetPrefecture(sixDigits, out var prefecture))
        {
            error = UnknownInnerMongoliaPrefecture(sixDigits);
            return false;
        }

        if (prefecture.RetiredOn is { } retiredOn && today >= retiredOn)
        {
            error = new IdentifierError(
                IdentifierErrorReasons.RetiredRegion,
                $"Region code {PrefectureCode(sixDigits)} ({prefecture.Name}) was retired on {Iso(retiredOn)}; use {prefecture.SuccessorCode} and its county codes instead.");
            return false;
        }

        if (today < prefecture.EffectiveFrom)
        {
            error = new IdentifierError(
                IdentifierErrorReasons.RegionNotYetEffective,
                $"Region code {PrefectureCode(sixDigits)} ({prefecture.Name}) only took effect on {Iso(prefecture.EffectiveFrom)}.");
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// A township code: its county part (digits 1–6) must pass the six-digit check and be a county's
    /// code (digits 5–6 not 00: a township lies in a county, banner or district, never directly in a
    /// prefecture or the region), and its own digits (7–9) must not be 000.
    /// </summary>
    private static bool IsCurrentTownship(string nineDigits, DateOnly today, out IdentifierError? error)
    {
        var county = nineDigits[..6];
        if (!IsCurrentCountyLevelRegion(county, today, out var countyError))
        {
            error = countyError! with { Message = "County part (digits 1-6) of the township code: " + countyError.Message };
            return false;
        }

        if (county.EndsWith("00", StringComparison.Ordinal))
        {
            error = new IdentifierError(
                IdentifierErrorReasons.UnknownRegion,
                $"County part {county} of the township code is a prefecture's or the region's own code; a township lies in a county, banner or district.");
            return false;
        }

        if (nineDigits.EndsWith("000", StringComparison.Ordinal))
        {
            error = new IdentifierError(
                IdentifierErrorReasons.UnknownRegion,
                "Township digits (7-9) 000 name no township (GB/T 10114 numbers them from 001).");
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Checks the first six digits of a resident ID against the holder's birth date.
    /// </summary>
    /// <remarks>
    /// The digits are the code of the household registration when the number was first
    /// assigned, which is never before birth. So a code retired before the birth date cannot
    /// occur, while a code created after the birth date can (people move, numbers were
    /// re-issued in 1999). Hence only the retirement date matters, not the effective date.
    /// Outside Inner Mongolia only the provincial prefix is checked.
    /// </remarks>
    public static bool IsPlausibleBirthRegion(string sixDigits, DateOnly birthDate, out IdentifierError? error)
    {
        if (!IsSixDigits(sixDigits, out error))
        {
            return false;
        }

        if (!sixDigits.StartsWith("15", StringComparison.Ordinal))
        {
            if (Provinces.ContainsKey(sixDigits[..2]))
            {
                return true;
            }

            error = new IdentifierError(
                IdentifierErrorReasons.UnknownRegion,
                $"Region code starts with {sixDigits[..2]}, which is not a provincial-level division of China.");
            return false;
        }

        if (!TryGetPrefecture(sixDigits, out var prefecture))
        {
            error = UnknownInnerMongoliaPrefecture(sixDigits);
            return false;
        }

        if (prefecture.RetiredOn is { } retiredOn && birthDate >= retiredOn)
        {
            // The birth date itself is personal data: the message names only the league.
            error = new IdentifierError(
                IdentifierErrorReasons.RetiredRegion,
                $"Region code {PrefectureCode(sixDigits)} ({prefecture.Name}) was retired on {Iso(retiredOn)}, before the birth date in the number, so no number could have been issued with it.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Checks characters 3–8 of a unified social credit code: a known provincial prefix
    /// or the national level 100000 (bodies registered directly by central authorities).
    /// </summary>
    public static bool IsKnownCreditCodeRegion(string sixDigits)
    {
        if (!IsSixDigits(sixDigits, out _))
        {
            return false;
        }

        return string.Equals(sixDigits, NationalLevel, StringComparison.Ordinal) || Provinces.ContainsKey(sixDigits[..2]);
    }

    private static bool TryGetPrefecture(string sixDigits, out DivisionEntry prefecture) =>
        InnerMongoliaByCode.TryGetValue(PrefectureCode(sixDigits), out prefecture!);

    private static string PrefectureCode(string sixDigits) => string.Concat(sixDigits.AsSpan(0, 4), "00");

    private static IdentifierError UnknownInnerMongoliaPrefecture(string sixDigits) => new(
        IdentifierErrorReasons.UnknownRegion,
        $"Region code prefix {sixDigits[..4]} is not a prefecture of Inner Mongolia (known: 1501–1509, 1521–1529).");

    private static bool IsSixDigits(string? value, out IdentifierError? error)
    {
        if (value is { Length: 6 } && value.All(char.IsAsciiDigit))
        {
            error = null;
            return true;
        }

        error = new IdentifierError(
            IdentifierErrorReasons.MalformedRegion,
            "Region code must be six ASCII digits (GB/T 2260), or nine for a township (GB/T 10114).");
        return false;
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
