namespace CreditExchange.Domain.Records;

/// <summary>Dates in the records are Beijing dates (UTC+8, no daylight saving).</summary>
public static class ChinaCalendar
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The earliest decision date the hub accepts: the founding of the People's Republic.</summary>
    public static readonly DateOnly EarliestDecisionDate = new(1949, 10, 1);

    public static DateOnly Today(TimeProvider time) => DateOf(time.GetUtcNow());

    /// <summary>The Beijing date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The instant a Beijing day begins (00:00 UTC+8): when the standing's answers for that day take effect.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>Parses the contract's "YYYY-MM-DD"; false for impossible dates such as 2023-02-30.</summary>
    public static bool TryParseIsoDate(string value, out DateOnly date) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out date);
}
