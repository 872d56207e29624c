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
        var calendar = new WorkingDayCalendar(holidays, [new DateOnly(2026, 10, 10)]);

        // Filed Wednesday 30 September: Thu 8, Fri 9, Sat 10 (worked), Mon 12, Tue 13.
        Assert.Equal(new DateOnly(2026, 10, 13), calendar.AddWorkingDays(new DateOnly(2026, 9, 30), 5));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 5)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 10)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 11)));
    }

    [Fact]
    public void Constructor_DateBothHolidayAndWorkingDay_Refused()
    {
        Assert.Throws<ArgumentException>(() => new WorkingDayCalendar([new DateOnly(2026, 10, 10)], [new DateOnly(2026, 10, 10)]));
    }
}
