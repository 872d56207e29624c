using System.Globalization;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Lifecycle;

/// <summary>
/// Reads the State Council holiday arrangements shipped with the hub (Hub:Lifecycle:HolidayCalendarFile,
/// default Lifecycle/holiday-calendars.json beside the hub's binaries). A malformed file refuses the start.
/// </summary>
public static class HolidayCalendarFile
{
    public static IReadOnlyList<HolidayYear> Load(string path) => ShippedDataFile.Load<FileModel, IReadOnlyList<HolidayYear>>(
        path,
        "Hub:Lifecycle:HolidayCalendarFile",
        "holiday calendars",
        model => model.Years.Select(y => new HolidayYear(y.Year, y.Source, y.Holidays.Select(Day).ToList(), y.WorkingWeekendDays.Select(Day).ToList())).ToList());

    private static DateOnly Day(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record FileModel(List<YearModel> Years);

    private sealed record YearModel(int Year, string Source, List<string> Holidays, List<string> WorkingWeekendDays);
}
