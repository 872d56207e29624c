using CreditExchange.Domain.Lifecycle;

namespace CreditExchange.Tests.Lifecycle;

public sealed class WorkingDayCalendarTests
{
    private static DateOnly D(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-11-26", 5, "2026-12-03")] // Thursday: Fri, Mon, Tue, Wed, Thu
    [InlineData("2026-11-27", 1, "2026-11-30")] // Friday: next is Monday
    [InlineData("2026-11-28", 1, "2026-11-30")] // filed on Saturday
    [InlineData("2026-11-29", 5, "2026-12-04")] // filed on Sunday
    [InlineData("2026-11-26", 0, "2026-11-26")]
    public void AddWorkingDays_WeekendsSkipped(string start, int days, string expected)
    {
        Assert.Equal(D(expected), new WorkingDayCalendar([], [], []).AddWorkingDays(D(start), days));
    }

    [Fact]
    public void AddWorkingDays_HolidaysSkippedAndWorkingWeekendsCounted()
    {
        // A National Day–like week: 1–7 October off, Saturday 10 October worked (调休).
        var holidays = Enumerable.Range(1, 7).Select(d => new DateOnly(2026, 10, d));
        var calendar = new WorkingDayCalendar([], holidays, [new DateOnly(2026, 10, 10)]);

        // Filed Wednesday 30 September: Thu 8, Fri 9, Sat 10 (worked), Mon 12, Tue 13.
        Assert.Equal(new DateOnly(2026, 10, 13), calendar.AddWorkingDays(new DateOnly(2026, 9, 30), 5));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 5)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 10)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 11)));
    }

    [Fact]
    public void Constructor_DateBothHolidayAndWorkingDay_Refused()
    {
        Assert.Throws<ArgumentException>(() => new WorkingDayCalendar([], [new DateOnly(2026, 10, 10)], [new DateOnly(2026, 10, 10)]));
    }

    [Fact]
    public void Constructor_WeekdayListedAsWeekendWorkingDayOrDateUnderWrongYear_Refused()
    {
        Assert.Throws<ArgumentException>(() => new WorkingDayCalendar([], [], [new DateOnly(2026, 10, 9)])); // a Friday
        Assert.Throws<ArgumentException>(() => new WorkingDayCalendar([new HolidayYear(2026, "x", [new DateOnly(2025, 1, 1)], [])], [], []));
    }

    private static readonly WorkingDayCalendar Shipped = new(
        Server.Lifecycle.HolidayCalendarFile.Load(Path.Combine(AppContext.BaseDirectory, "Lifecycle", "holiday-calendars.json")), [], []);

    [Theory]
    // Filed Thursday 12 February 2026: Fri 13, Sat 14 (调休上班), then the Spring Festival 15–23, Tue 24, Wed 25, Thu 26.
    [InlineData("2026-02-12", 5, "2026-02-26")]
    // Filed Friday 13 February: Sat 14, Tue 24 … Fri 27, and Saturday 28 February is worked (调休).
    [InlineData("2026-02-13", 5, "2026-02-27")]
    [InlineData("2026-02-13", 6, "2026-02-28")]
    // National Day 2026: 1–7 October off, Saturday 10 October worked. Filed Wednesday 30 September.
    [InlineData("2026-09-30", 5, "2026-10-13")]
    // New Year 2026: 1–3 January off, Sunday 4 January worked. Filed Wednesday 31 December 2025.
    [InlineData("2025-12-31", 1, "2026-01-04")]
    // Spring Festival 2025: 28 January – 4 February off, Sunday 26 January and Saturday 8 February worked.
    [InlineData("2025-01-24", 2, "2025-01-27")]
    [InlineData("2025-01-27", 1, "2025-02-05")]
    [InlineData("2025-02-07", 1, "2025-02-08")]
    public void AddWorkingDays_ShippedStateCouncilCalendars_HolidaysAndMakeUpDays(string start, int days, string expected)
    {
        Assert.Equal(D(expected), Shipped.AddWorkingDays(D(start), days));
    }

    [Fact]
    public void Constructor_ArrangementOmittingAStatutoryHolidayOrWorkingOne_Refused()
    {
        // 2026's shipped arrangement without 2026-02-17 (正月初一).
        var shipped = Server.Lifecycle.HolidayCalendarFile.Load(Path.Combine(AppContext.BaseDirectory, "Lifecycle", "holiday-calendars.json"));
        var y2026 = shipped.Single(y => y.Year == 2026);
        var broken = y2026 with { Holidays = [.. y2026.Holidays.Where(d => d != D("2026-02-17"))] };
        var e = Assert.Throws<ArgumentException>(() => new WorkingDayCalendar([broken], [], []));
        Assert.Contains("2026-02-17", e.Message, StringComparison.Ordinal);

        // Saturday 6 February 2027 is 正月初一: no configuration can make it a working day.
        Assert.Throws<ArgumentException>(() => new WorkingDayCalendar([], [], [D("2027-02-06")]));
    }

    [Theory]
    // 2027 has no published arrangement: its statutory holidays still count. Filed Monday 28 December 2026:
    // Tue 29, Wed 30, Thu 31, Fri 1 January 2027 (元旦) off, Mon 4, Tue 5.
    [InlineData("2026-12-28", 5, "2027-01-05")]
    // 春节 2027: 除夕 Friday 5 February, 初一–初三 Saturday 6 – Monday 8. Filed Thursday 4 February.
    [InlineData("2027-02-04", 5, "2027-02-15")]
    [InlineData("2027-02-04", 1, "2027-02-09")]
    // 清明 Monday 5 April 2027; 端午 Wednesday 9 June; 中秋 Wednesday 15 September; 国庆 Friday 1 October.
    [InlineData("2027-04-02", 1, "2027-04-06")]
    [InlineData("2027-06-08", 1, "2027-06-10")]
    [InlineData("2027-09-14", 1, "2027-09-16")]
    [InlineData("2027-09-30", 1, "2027-10-04")]
    public void AddWorkingDays_YearWithoutArrangement_StatutoryHolidaysSkipped(string start, int days, string expected)
    {
        Assert.Equal(D(expected), Shipped.AddWorkingDays(D(start), days));
    }

    [Fact]
    public void IsWorkingDay_StatutoryHolidayOfAnyYear_NeverAWorkingDay()
    {
        for (var year = StatutoryHolidays.FirstYear; year <= StatutoryHolidays.LastYear; year++)
        {
            foreach (var holiday in StatutoryHolidays.Of(year))
            {
                Assert.False(Shipped.IsWorkingDay(holiday.Date), $"{holiday.Date:yyyy-MM-dd} ({holiday.Festival})");
            }
        }
    }

    [Fact]
    public void IsWorkingDay_OperatorOverridesForAYear_AddToTheStatutoryHolidays()
    {
        // A notice for 2027 published after the hub shipped, entered in configuration: a bridging day off and a make-up Saturday.
        var calendar = new WorkingDayCalendar([], [D("2027-02-09")], [D("2027-02-20")]);

        Assert.False(calendar.IsWorkingDay(D("2027-02-05"))); // 除夕, derived
        Assert.False(calendar.IsWorkingDay(D("2027-02-08"))); // 初三, derived
        Assert.False(calendar.IsWorkingDay(D("2027-02-09"))); // configured
        Assert.True(calendar.IsWorkingDay(D("2027-02-20"))); // configured Saturday worked
        Assert.Equal(HolidayArrangement.Published, calendar.ArrangementOf(2027));
    }

    [Fact]
    public void YearsWithoutArrangement_OnlyYearsWithoutPublishedNotice()
    {
        Assert.Empty(Shipped.YearsWithoutArrangement(D("2025-01-01"), D("2026-12-31")));
        Assert.Equal([2027], Shipped.YearsWithoutArrangement(D("2026-12-20"), D("2027-01-10")));
        Assert.Equal(HolidayArrangement.Published, Shipped.ArrangementOf(2026));
        Assert.Equal(HolidayArrangement.StatutoryOnly, Shipped.ArrangementOf(2027));
        Assert.Equal(HolidayArrangement.WeekdaysOnly, Shipped.ArrangementOf(StatutoryHolidays.LastYear + 1));
    }
}
