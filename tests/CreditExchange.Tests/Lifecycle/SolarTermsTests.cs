using System.Globalization;
using CreditExchange.Domain.Lifecycle;

namespace CreditExchange.Tests.Lifecycle;

/// <summary>清明 by the sun's longitude, against published dates and instants and an independent rule of thumb.</summary>
public sealed class SolarTermsTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    [Theory]
    [InlineData(2019, "2019-04-05")]
    [InlineData(2020, "2020-04-04")]
    [InlineData(2023, "2023-04-05")]
    [InlineData(2024, "2024-04-04")]
    [InlineData(2025, "2025-04-04")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-04-05")]
    [InlineData(2028, "2028-04-04")]
    public void Qingming_KnownYears_PublishedDate(int year, string expected)
    {
        Assert.Equal(DateOnly.ParseExact(expected, "yyyy-MM-dd", CultureInfo.InvariantCulture), SolarTerms.Qingming(year));
    }

    /// <summary>Published instants (Beijing time) of solar terms; the computation keeps within two minutes.</summary>
    [Theory]
    [InlineData(15.0, "2019-04-05 09:51")]
    [InlineData(15.0, "2020-04-04 15:38")]
    [InlineData(15.0, "2023-04-05 09:13")]
    [InlineData(15.0, "2024-04-04 15:02")]
    [InlineData(15.0, "2025-04-04 20:48")]
    [InlineData(15.0, "2026-04-05 02:40")]
    [InlineData(15.0, "2027-04-05 08:17")]
    [InlineData(0.0, "2024-03-20 11:06")] // 春分
    [InlineData(270.0, "2024-12-21 17:21")] // 冬至
    public void SunReaches_PublishedInstants_WithinTwoMinutes(double longitude, string instant)
    {
        var expected = new DateTimeOffset(DateTime.ParseExact(instant, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Beijing);
        var actual = SolarTerms.SunReaches(longitude, DateOnly.FromDateTime(expected.DateTime));

        Assert.InRange((actual - expected).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(2));
        Assert.Equal(Beijing, actual.Offset);
    }

    /// <summary>
    /// The almanac makers' rule of thumb (寿星公式) for 清明: day [Y·0.2422 + C] − L of April, Y the year in its
    /// century, C = 5.59 for the 20th century (2000) and 4.81 for the 21st, L the leap days since the century's
    /// start. It is fitted to the same astronomy by other means; the two must agree in every year.
    /// </summary>
    [Fact]
    public void Qingming_2000To2100_AgreesWithTheAlmanacRule()
    {
        for (var year = 2000; year <= 2100; year++)
        {
            var y = year == 2000 ? 100 : year - 2000;
            var c = year == 2000 ? 5.59 : 4.81;
            var leapDays = Enumerable.Range(year == 2000 ? 1901 : 2001, y).Count(DateTime.IsLeapYear);
            var day = (int)Math.Floor((y * 0.2422) + c) - leapDays;
            Assert.Equal(new DateOnly(year, 4, day), SolarTerms.Qingming(year));
        }
    }
}
