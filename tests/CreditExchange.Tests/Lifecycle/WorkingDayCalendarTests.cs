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
        Assert.Equal(D(expected), WorkingDayCalendar.WeekdaysOnly.AddWorkingDays(D(start), days));
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
    public void UncoveredYears_OnlyYearsWithoutArrangement()
    {
        Assert.Empty(Shipped.UncoveredYears(D("2025-01-01"), D("2026-12-31")));
        Assert.Equal([2027], Shipped.UncoveredYears(D("2026-12-20"), D("2027-01-10")));
    }
}
