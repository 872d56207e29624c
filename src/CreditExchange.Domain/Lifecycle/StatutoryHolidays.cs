using System.Collections.Frozen;
using System.Globalization;

namespace CreditExchange.Domain.Lifecycle;

/// <summary>The festivals on which 《全国年节及纪念日放假办法》 art. 2 gives all citizens days off.</summary>
public enum Festival
{
    /// <summary>元旦 (新年 before 2025).</summary>
    NewYear = 1,

    /// <summary>春节.</summary>
    SpringFestival = 2,

    /// <summary>清明节.</summary>
    Qingming = 3,

    /// <summary>劳动节.</summary>
    LabourDay = 4,

    /// <summary>端午节.</summary>
    DragonBoat = 5,

    /// <summary>中秋节.</summary>
    MidAutumn = 6,

    /// <summary>国庆节.</summary>
    NationalDay = 7,
}

/// <summary>How the law names a day off: a Gregorian date, a lunar date, 除夕, or the solar term 清明.</summary>
public abstract record LawDay
{
    /// <summary>The day in Gregorian <paramref name="year"/>.</summary>
    public abstract DateOnly In(int year);
}

/// <summary>A fixed Gregorian date, e.g. 10月1日.</summary>
public sealed record GregorianDay(int Month, int Day) : LawDay
{
    public override DateOnly In(int year) => new(year, Month, Day);
}

/// <summary>
/// A day of the lunar year (农历) that begins in the given Gregorian year, e.g. 正月初一, 五月初五
/// (端午), 八月十五 (中秋). Never a leap month (闰月): the festivals fall in the ordinary month.
/// </summary>
public sealed record LunarDay(int Month, int Day) : LawDay
{
    public override DateOnly In(int year) => StatutoryHolidays.Lunar(year, Month, Day);
}

/// <summary>除夕: the last day of the lunar year, the day before 正月初一 (腊月廿九 or 三十).</summary>
public sealed record LunarNewYearsEve : LawDay
{
    public override DateOnly In(int year) => StatutoryHolidays.Lunar(year, 1, 1).AddDays(-1);
}

/// <summary>农历清明当日: the day the sun reaches 15° (<see cref="SolarTerms.Qingming"/>).</summary>
public sealed record QingmingDay : LawDay
{
    public override DateOnly In(int year) => SolarTerms.Qingming(year);
}

/// <summary>One festival of art. 2 and its days off.</summary>
public sealed record FestivalRule(Festival Festival, string Name, IReadOnlyList<LawDay> Days);

/// <summary>One version of 《全国年节及纪念日放假办法》 art. 2, in force from a day until the next version.</summary>
public sealed record HolidayLawVersion(DateOnly InForceFrom, string Source, IReadOnlyList<FestivalRule> Festivals)
{
    /// <summary>Days off a year under this version (festivals that coincide still count each).</summary>
    public int DayCount => Festivals.Sum(f => f.Days.Count);
}

/// <summary>One statutory day off: its date and the festival that gives it.</summary>
public sealed record StatutoryHoliday(DateOnly Date, Festival Festival);

/// <summary>
/// The public holidays (全体公民放假的节日) of 《全国年节及纪念日放假办法》 art. 2, derived for any year
/// from <see cref="FirstYear"/> to <see cref="LastYear"/>: the law's own rules, lunar dates by
/// <see cref="ChineseLunisolarCalendar"/> and 清明 by the sun. These days are never working days.
/// What the law leaves to the State Council's yearly notice — the days off in lieu (补假, art. 6, when a
/// holiday falls on a weekend), the bridging days off and the weekend days worked (放假调休, art. 7 as
/// revised in 2024) — cannot be derived; <see cref="WorkingDayCalendar"/> takes them from the notices.
/// </summary>
public static class StatutoryHolidays
{
    /// <summary>The first year derived: the first whole year under the 1999 version.</summary>
    public const int FirstYear = 2000;

    /// <summary>The last year derived: the last lunar year <see cref="ChineseLunisolarCalendar"/> knows whole.</summary>
    public const int LastYear = 2100;

    private static readonly ChineseLunisolarCalendar LunarCalendar = new();

    private static readonly FestivalRule NewYear = new(Festival.NewYear, "元旦", [new GregorianDay(1, 1)]);
    private static readonly FestivalRule Qingming = new(Festival.Qingming, "清明节", [new QingmingDay()]);
    private static readonly FestivalRule DragonBoat = new(Festival.DragonBoat, "端午节", [new LunarDay(5, 5)]);
    private static readonly FestivalRule MidAutumn = new(Festival.MidAutumn, "中秋节", [new LunarDay(8, 15)]);
    private static readonly FestivalRule NationalDay = new(Festival.NationalDay, "国庆节", [new GregorianDay(10, 1), new GregorianDay(10, 2), new GregorianDay(10, 3)]);

    /// <summary>The versions of art. 2 since 1999, oldest first, each citing the State Council decree that made it.</summary>
    public static IReadOnlyList<HolidayLawVersion> Versions { get; } =
    [
        new(new DateOnly(1999, 9, 18), "《全国年节及纪念日放假办法》（国务院令第270号，1999年9月18日修订发布，自发布之日起施行）第二条",
        [
            NewYear,
            new(Festival.SpringFestival, "春节", [new LunarDay(1, 1), new LunarDay(1, 2), new LunarDay(1, 3)]),
            new(Festival.LabourDay, "劳动节", [new GregorianDay(5, 1), new GregorianDay(5, 2), new GregorianDay(5, 3)]),
            NationalDay,
        ]),
        new(new DateOnly(2008, 1, 1), "《国务院关于修改〈全国年节及纪念日放假办法〉的决定》（国务院令第513号，2007年12月14日，自2008年1月1日起施行）第二条",
        [
            NewYear,
            new(Festival.SpringFestival, "春节", [new LunarNewYearsEve(), new LunarDay(1, 1), new LunarDay(1, 2)]),
            Qingming,
            new(Festival.LabourDay, "劳动节", [new GregorianDay(5, 1)]),
            DragonBoat,
            MidAutumn,
            NationalDay,
        ]),
        new(new DateOnly(2014, 1, 1), "《国务院关于修改〈全国年节及纪念日放假办法〉的决定》（国务院令第644号，2013年12月11日，自2014年1月1日起施行）第二条",
        [
            NewYear,
            new(Festival.SpringFestival, "春节", [new LunarDay(1, 1), new LunarDay(1, 2), new LunarDay(1, 3)]),
            Qingming,
            new(Festival.LabourDay, "劳动节", [new GregorianDay(5, 1)]),
            DragonBoat,
            MidAutumn,
            NationalDay,
        ]),
        new(new DateOnly(2025, 1, 1), "《国务院关于修改〈全国年节及纪念日放假办法〉的决定》（国务院令第795号，2024年11月10日，自2025年1月1日起施行）第二条",
        [
            NewYear,
            new(Festival.SpringFestival, "春节", [new LunarNewYearsEve(), new LunarDay(1, 1), new LunarDay(1, 2), new LunarDay(1, 3)]),
            Qingming,
            new(Festival.LabourDay, "劳动节", [new GregorianDay(5, 1), new GregorianDay(5, 2)]),
            DragonBoat,
            MidAutumn,
            NationalDay,
        ]),
    ];

    private static readonly Lazy<FrozenDictionary<int, IReadOnlyList<StatutoryHoliday>>> ByYear = new(() =>
        Enumerable.Range(FirstYear, LastYear - FirstYear + 1).ToFrozenDictionary(y => y, Derive));

    /// <summary>Whether <paramref name="year"/> can be derived (<see cref="FirstYear"/> to <see cref="LastYear"/>).</summary>
    public static bool Covers(int year) => year is >= FirstYear and <= LastYear;

    /// <summary>
    /// The statutory days off in <paramref name="year"/>, in date order, one entry per festival day: when two
    /// festivals fall on one date (中秋 on 1–3 October) the date appears twice.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is outside <see cref="FirstYear"/>–<see cref="LastYear"/>.</exception>
    public static IReadOnlyList<StatutoryHoliday> Of(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, FirstYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, LastYear);
        return ByYear.Value[year];
    }

    /// <summary>Whether <paramref name="day"/> is a statutory day off (false outside the derived years).</summary>
    public static bool IsHoliday(DateOnly day) => Covers(day.Year) && Of(day.Year).Any(h => h.Date == day);

    /// <summary>The version of art. 2 in force on <paramref name="day"/>, if any.</summary>
    public static HolidayLawVersion? VersionInForce(DateOnly day) => Versions.LastOrDefault(v => v.InForceFrom <= day);

    /// <summary>
    /// The Gregorian date of day <paramref name="day"/> of ordinary lunar month <paramref name="month"/> in the
    /// lunar year that begins in Gregorian <paramref name="year"/>. <see cref="ChineseLunisolarCalendar"/> numbers
    /// a leap year's 13 months in order, the leap month (<see cref="ChineseLunisolarCalendar.GetLeapMonth(int, int)"/>)
    /// included, so an ordinary month at or after the leap month is one further on.
    /// </summary>
    public static DateOnly Lunar(int year, int month, int day)
    {
        var leap = LunarCalendar.GetLeapMonth(year);
        var index = leap != 0 && month >= leap ? month + 1 : month;
        return DateOnly.FromDateTime(LunarCalendar.ToDateTime(year, index, day, 0, 0, 0, 0));
    }

    private static IReadOnlyList<StatutoryHoliday> Derive(int year)
    {
        var days = new List<StatutoryHoliday>();
        for (var i = 0; i < Versions.Count; i++)
        {
            var from = Versions[i].InForceFrom;
            var until = i + 1 < Versions.Count ? Versions[i + 1].InForceFrom : DateOnly.MaxValue;
            days.AddRange(Versions[i].Festivals
                .SelectMany(f => f.Days.Select(d => new StatutoryHoliday(d.In(year), f.Festival)))
                .Where(h => h.Date >= from && h.Date < until));
        }

        return [.. days.OrderBy(h => h.Date).ThenBy(h => h.Festival)];
    }

    internal static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
