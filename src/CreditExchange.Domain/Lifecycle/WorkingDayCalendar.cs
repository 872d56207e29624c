namespace CreditExchange.Domain.Lifecycle;

/// <summary>
/// Working days for deadlines: Monday to Friday, minus public holidays, plus the weekend days
/// declared working days in the State Council's holiday arrangement (调休). Both lists are
/// configuration, published yearly; the calendar knows no holiday of its own.
/// </summary>
public sealed class WorkingDayCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workingWeekendDays;

    public WorkingDayCalendar(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workingWeekendDays)
    {
        _holidays = [.. holidays];
        _workingWeekendDays = [.. workingWeekendDays];
        var both = _holidays.Intersect(_workingWeekendDays).Order().ToList();
        if (both.Count > 0)
        {
            throw new ArgumentException($"Dates listed both as holiday and as working weekend day: {string.Join(", ", both.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}.");
        }
    }

    /// <summary>Weekends off, no holidays.</summary>
    public static WorkingDayCalendar WeekdaysOnly { get; } = new([], []);

    public bool IsWorkingDay(DateOnly day)
    {
        if (_holidays.Contains(day))
        {
            return false;
        }

        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) || _workingWeekendDays.Contains(day);
    }

    /// <summary>
    /// The <paramref name="workingDays"/>-th working day after <paramref name="start"/> (the start
    /// day itself never counts, as with a deadline "within N working days" of receipt).
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var day = start;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }

        return day;
    }
}
