namespace CreditExchange.Domain.Lifecycle;

/// <summary>One year of the State Council's holiday arrangement (放假调休), with the notice it comes from.</summary>
public sealed record HolidayYear(int Year, string Source, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> WorkingWeekendDays);

/// <summary>Where a year's days off come from.</summary>
public enum HolidayArrangement
{
    /// <summary>The State Council's notice for the year is loaded (or the operator listed its days): complete.</summary>
    Published = 1,

    /// <summary>
    /// No notice: the statutory holidays are derived (<see cref="StatutoryHolidays"/>), but its bridging days
    /// off, days off in lieu (补假) and weekend days worked (调休上班) are unknown.
    /// </summary>
    StatutoryOnly = 2,

    /// <summary>Neither a notice nor a derivation (outside <see cref="StatutoryHolidays.FirstYear"/>–<see cref="StatutoryHolidays.LastYear"/>): weekdays only.</summary>
    WeekdaysOnly = 3,
}

/// <summary>
/// Working days for deadlines: Monday to Friday, minus the statutory public holidays of
/// 《全国年节及纪念日放假办法》 (derived for every year, never a working day), minus the further days
/// off and plus the weekend days declared working days (调休) of the State Council's yearly
/// arrangement where it is loaded. A year without one counts weekends and statutory holidays only,
/// which <see cref="YearsWithoutArrangement"/> tells so that the hub can say so.
/// </summary>
public sealed class WorkingDayCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _workingWeekendDays;
    private readonly HashSet<int> _published;

    /// <param name="years">The published arrangements; each must give every statutory holiday of its year off.</param>
    /// <param name="extraHolidays">Further days off (configuration); their years count as published.</param>
    /// <param name="extraWorkingWeekendDays">Further weekend working days (configuration); their years count as published. Never a statutory holiday.</param>
    public WorkingDayCalendar(IEnumerable<HolidayYear> years, IEnumerable<DateOnly> extraHolidays, IEnumerable<DateOnly> extraWorkingWeekendDays)
    {
        var list = years.ToList();
        _holidays = [.. list.SelectMany(y => y.Holidays), .. extraHolidays];
        _workingWeekendDays = [.. list.SelectMany(y => y.WorkingWeekendDays), .. extraWorkingWeekendDays];
        _published = [.. list.Select(y => y.Year), .. _holidays.Select(d => d.Year), .. _workingWeekendDays.Select(d => d.Year)];
        var problems = new List<string>();
        problems.AddRange(list.GroupBy(y => y.Year).Where(g => g.Count() > 1).Select(g => $"year {g.Key} is listed more than once"));
        problems.AddRange(list.SelectMany(y => y.Holidays.Concat(y.WorkingWeekendDays).Where(d => d.Year != y.Year).Select(d => $"{Iso(d)} is listed under year {y.Year}")));
        problems.AddRange(list.Where(y => StatutoryHolidays.Covers(y.Year)).SelectMany(y => StatutoryHolidays.Of(y.Year)
            .Where(h => !y.Holidays.Contains(h.Date))
            .Select(h => $"the arrangement for {y.Year} does not give the statutory holiday {Iso(h.Date)} ({h.Festival}) off")));
        problems.AddRange(_workingWeekendDays.Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Order().Select(d => $"{Iso(d)} is listed as a weekend working day but is a {d.DayOfWeek}"));
        problems.AddRange(_workingWeekendDays.Where(StatutoryHolidays.IsHoliday).Order().Select(d => $"{Iso(d)} is listed as a weekend working day but is a statutory holiday"));
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

    public bool IsWorkingDay(DateOnly day)
    {
        if (_holidays.Contains(day) || StatutoryHolidays.IsHoliday(day))
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

    /// <summary>Where the days off of <paramref name="year"/> come from.</summary>
    public HolidayArrangement ArrangementOf(int year) =>
        _published.Contains(year) ? HolidayArrangement.Published
        : StatutoryHolidays.Covers(year) ? HolidayArrangement.StatutoryOnly
        : HolidayArrangement.WeekdaysOnly;

    /// <summary>The years from <paramref name="from"/> to <paramref name="to"/> that have no published arrangement.</summary>
    public IReadOnlyList<int> YearsWithoutArrangement(DateOnly from, DateOnly to) =>
        Enumerable.Range(from.Year, Math.Max(0, to.Year - from.Year + 1)).Where(y => ArrangementOf(y) != HolidayArrangement.Published).ToList();

    private static string Iso(DateOnly day) => StatutoryHolidays.Iso(day);
}
