using System.Globalization;
using CreditExchange.Domain.Lifecycle;

namespace CreditExchange.Tests.Lifecycle;

/// <summary>The public holidays of 《全国年节及纪念日放假办法》 art. 2, derived for every year.</summary>
public sealed class StatutoryHolidaysTests
{
    private static readonly ChineseLunisolarCalendar Lunar = new();

    private static DateOnly D(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static TheoryData<int> Years() => [.. Enumerable.Range(StatutoryHolidays.FirstYear, StatutoryHolidays.LastYear - StatutoryHolidays.FirstYear + 1)];

    /// <summary>The law's totals: 10 days under the 1999 text, 11 from 2008 (and 2014), 13 from 2025 (国务院令第795号).</summary>
    [Theory]
    [MemberData(nameof(Years))]
    public void Of_EveryYear_TheStatutoryCountOfDays(int year)
    {
        var expected = year < 2008 ? 10 : year < 2025 ? 11 : 13;
        var days = StatutoryHolidays.Of(year);

        Assert.Equal(expected, days.Count);
        Assert.All(days, d => Assert.Equal(year, d.Date.Year));
        // Only 中秋 can share a date, with 国庆 (as on 1 October 2020).
        var shared = days.GroupBy(d => d.Date).Where(g => g.Count() > 1).ToList();
        Assert.All(shared, g => Assert.Equal([Festival.MidAutumn, Festival.NationalDay], g.Select(d => d.Festival).Order()));
        Assert.Equal(expected - shared.Count, days.Select(d => d.Date).Distinct().Count());
    }

    /// <summary>
    /// Each derived day read back through the lunisolar calendar the other way round (date → lunar month and
    /// day), so a leap month numbered wrongly shows: 春节 is 正月初一 on, after 除夕 when the law gives it; 端午
    /// is the ordinary fifth month's fifth day; 中秋 the ordinary eighth month's fifteenth.
    /// </summary>
    [Theory]
    [MemberData(nameof(Years))]
    public void Of_EveryYear_LunarFestivalsOnTheirLunarDates(int year)
    {
        var days = StatutoryHolidays.Of(year);
        var spring = days.Where(d => d.Festival == Festival.SpringFestival).Select(d => d.Date).ToList();
        var eve = year >= 2008 && year < 2014 || year >= 2025;
        var newYear = spring[eve ? 1 : 0];
        Assert.Equal((1, 1), LunarMonthDay(newYear));
        Assert.Equal(Enumerable.Range(0, spring.Count).Select(i => spring[0].AddDays(i)), spring);
        if (eve)
        {
            Assert.NotEqual(1, LunarMonthDay(spring[0]).Month);
        }

        foreach (var (festival, month, day) in new[] { (Festival.DragonBoat, 5, 5), (Festival.MidAutumn, 8, 15) })
        {
            var date = days.Where(d => d.Festival == festival).Select(d => d.Date).ToList();
            if (year < 2008)
            {
                Assert.Empty(date);
            }
            else
            {
                Assert.Equal((month, day), LunarMonthDay(Assert.Single(date)));
            }
        }
    }

    [Theory]
    [InlineData("2027-02-05", Festival.SpringFestival)] // 除夕; 正月初一 is 2027-02-06
    [InlineData("2027-02-06", Festival.SpringFestival)]
    [InlineData("2027-02-08", Festival.SpringFestival)] // 初三
    [InlineData("2026-02-16", Festival.SpringFestival)] // 除夕; 正月初一 is 2026-02-17
    [InlineData("2026-02-17", Festival.SpringFestival)]
    [InlineData("2025-01-28", Festival.SpringFestival)] // the first 除夕 off under the 2024 revision
    [InlineData("2012-01-22", Festival.SpringFestival)] // 除夕 under the 2007 revision
    [InlineData("2027-06-09", Festival.DragonBoat)]
    [InlineData("2023-06-22", Festival.DragonBoat)] // 2023 has 闰二月
    [InlineData("2025-05-31", Festival.DragonBoat)] // 2025 has 闰六月
    [InlineData("2020-06-25", Festival.DragonBoat)] // 2020 has 闰四月
    [InlineData("2027-09-15", Festival.MidAutumn)]
    [InlineData("2023-09-29", Festival.MidAutumn)]
    [InlineData("2025-10-06", Festival.MidAutumn)]
    [InlineData("2020-10-01", Festival.MidAutumn)]
    [InlineData("2020-10-01", Festival.NationalDay)]
    [InlineData("2027-04-05", Festival.Qingming)]
    [InlineData("2025-05-02", Festival.LabourDay)] // 2 days from 2025
    [InlineData("2005-05-03", Festival.LabourDay)] // 3 days under the 1999 text
    public void Of_KnownDates_Holidays(string date, Festival festival)
    {
        Assert.Contains(StatutoryHolidays.Of(D(date).Year), d => d.Date == D(date) && d.Festival == festival);
    }

    [Theory]
    [InlineData("2024-02-09")] // 除夕 2024: not a statutory day under the 2013 text (正月初一 to 初三)
    [InlineData("2024-05-02")] // 劳动节 had one day until 2024
    [InlineData("2007-04-05")] // no 清明 holiday before 2008
    [InlineData("2027-02-09")] // 初四
    public void IsHoliday_DaysTheLawDoesNotGiveOff_False(string date)
    {
        Assert.False(StatutoryHolidays.IsHoliday(D(date)));
    }

    [Fact]
    public void VersionInForce_EachRevisionFromItsDay()
    {
        Assert.Contains("第270号", StatutoryHolidays.VersionInForce(D("2007-12-31"))!.Source, StringComparison.Ordinal);
        Assert.Contains("第513号", StatutoryHolidays.VersionInForce(D("2008-01-01"))!.Source, StringComparison.Ordinal);
        Assert.Contains("第644号", StatutoryHolidays.VersionInForce(D("2024-12-31"))!.Source, StringComparison.Ordinal);
        Assert.Contains("第795号", StatutoryHolidays.VersionInForce(D("2025-01-01"))!.Source, StringComparison.Ordinal);
        Assert.Equal(13, StatutoryHolidays.VersionInForce(D("2025-01-01"))!.DayCount);
        Assert.Null(StatutoryHolidays.VersionInForce(D("1999-09-17")));
    }

    [Fact]
    public void Of_OutsideTheDerivedYears_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StatutoryHolidays.Of(StatutoryHolidays.FirstYear - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StatutoryHolidays.Of(StatutoryHolidays.LastYear + 1));
        Assert.False(StatutoryHolidays.IsHoliday(new DateOnly(StatutoryHolidays.LastYear + 1, 1, 1)));
    }

    /// <summary>The ordinary lunar month (leap month folded away) and day of <paramref name="date"/>; a date in a leap month fails.</summary>
    private static (int Month, int Day) LunarMonthDay(DateOnly date)
    {
        var time = date.ToDateTime(TimeOnly.MinValue);
        var year = Lunar.GetYear(time);
        var index = Lunar.GetMonth(time);
        var leap = Lunar.GetLeapMonth(year);
        Assert.False(leap != 0 && index == leap, $"{date:yyyy-MM-dd} is in a leap month");
        return (leap != 0 && index > leap ? index - 1 : index, Lunar.GetDayOfMonth(time));
    }
}
