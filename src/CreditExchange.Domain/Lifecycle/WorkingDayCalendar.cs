namespace CreditExchange.Domain.Lifecycle;

/// <summary>One year of the State Council's holiday arrangement (放假调休), with the notice it comes from.</summary>
public sealed record HolidayYear(int Year, string Source, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> WorkingWeekendDays);

/// <summary>
/// Working days for deadlines: Monday to Friday, minus public holidays, plus the weekend days
/// declared working days in the State Council's holiday arrangement (调休). The arrangements are
/// data, one per published year; a year without one counts weekdays only, which
/// <see cref="UncoveredYears"/> tells so that the hub can warn.
/// </summary>
public sealed class WorkingDayCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workingWeekendDays;
    private readonly HashSet<int> _covered;

    /// <param name="years">The published arrangements.</param>
    /// <param name="extraHolidays">Further days off (configuration); their years count as covered.</param>
    /// <param name="extraWorkingWeekendDays">Further weekend working days (configuration); their years count as covered.</param>
    public WorkingDayCalendar(IEnumerable<HolidayYear> years, IEnumerable<DateOnly> extraHolidays, IEnumerable<DateOnly> extraWorkingWeekendDays)
    {
        var list = years.ToList();
        _holidays = [.. list.SelectMany(y => y.Holidays), .. extraHolidays];
        _workingWeekendDays = [.. list.SelectMany(y => y.WorkingWeekendDays), .. extraWorkingWeekendDays];
        _covered = [.. list.Select(y => y.Year), .. _holidays.Select(d => d.Year), .. _workingWeekendDays.Select(d => d.Year)];
        var problems = new List<string>();
        problems.AddRange(list.GroupBy(y => y.Year).Where(g => g.Count() > 1).Select(g => $"year {g.Key} is listed more than once"));
        problems.AddRange(list.SelectMany(y => y.Holidays.Concat(y.WorkingWeekendDays).Where(d => d.Year != y.Year).Select(d => $"{Iso(d)} is listed under year {y.Year}")));
        problems.AddRange(_workingWeekendDays.Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Order().Select(d => $"{Iso(d)} is listed as a weekend working day but is a {d.DayOfWeek}"));
        var both = _holidays.Intersect(_workingWeekendDays).Order().ToList();
        if (both.Count > 0)
        {
            problems.Add($"dates listed both as holiday and as working weekend day: {string.Join(", ", both.Select(Iso))}");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid working-day calendar: " + string.Join("; ", problems) + ".");
        }
    }

    /// <summary>Weekends off, no holidays.</summary>
    public static WorkingDayCalendar WeekdaysOnly { get; } = new([], [], []);

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

    /// <summary>The years from <paramref name="from"/> to <paramref name="to"/> that have no holiday arrangement.</summary>
    public IReadOnlyList<int> UncoveredYears(DateOnly from, DateOnly to) =>
        Enumerable.Range(from.Year, Math.Max(0, to.Year - from.Year + 1)).Where(y => !_covered.Contains(y)).ToList();

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
