namespace CreditExchange.Domain.Lifecycle;

/// <summary>
/// Solar terms (节气) by astronomy: the instant the apparent geocentric longitude of the sun reaches a
/// multiple of 15°, and its date in Beijing time (UTC+8), as the Chinese calendar (GB/T 33661-2017)
/// defines them. 清明 is the day the sun reaches 15°.
/// </summary>
/// <remarks>
/// The sun's longitude comes from the truncated VSOP87 series for the Earth's heliocentric longitude
/// (Bretagnon &amp; Francou 1988, as tabulated in J. Meeus, <i>Astronomical Algorithms</i>, 2nd ed.,
/// ch. 25 and appendix III), with the FK5 correction, the main terms of nutation (ch. 22) and
/// aberration: about 1″, a few tens of seconds of time. Terrestrial time is turned into universal time
/// with the Espenak–Meeus polynomials for ΔT (NASA, "Polynomial expressions for Delta T", 2006),
/// whose uncertainty by 2100 is of the order of a minute. Between 2000 and 2100 the 清明 instant never
/// comes closer to Beijing midnight than 10 minutes (2071-04-05 00:10), so the dates are safe.
/// </remarks>
public static class SolarTerms
{
    private const double J2000 = 2451545.0;
    private const double DaysPerJulianMillennium = 365250.0;
    private const double MeanDegreesPerDay = 360.0 / 365.2422;
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>The date of 清明 in <paramref name="year"/>, Beijing time.</summary>
    public static DateOnly Qingming(int year) => DateOnly.FromDateTime(QingmingInstant(year).DateTime);

    /// <summary>The instant the sun reaches 15° in <paramref name="year"/> (清明), in Beijing time.</summary>
    public static DateTimeOffset QingmingInstant(int year) => SunReaches(15.0, new DateOnly(year, 4, 5));

    /// <summary>The instant, near <paramref name="near"/>, at which the sun's apparent longitude is <paramref name="longitude"/> degrees, in Beijing time.</summary>
    public static DateTimeOffset SunReaches(double longitude, DateOnly near)
    {
        var jde = JulianDay(near.ToDateTime(new TimeOnly(12, 0)));
        for (var i = 0; i < 8; i++)
        {
            var off = Normalize(longitude - ApparentLongitude(jde) + 180.0) - 180.0;
            jde += off / MeanDegreesPerDay;
            if (Math.Abs(off) < 1e-7)
            {
                break;
            }
        }

        var year = near.Year + ((near.DayOfYear - 0.5) / 365.25);
        var universal = jde - (DeltaTSeconds(year) / 86400.0);
        var utc = new DateTime(Ticks(universal), DateTimeKind.Utc);
        return new DateTimeOffset(utc).ToOffset(Beijing);
    }

    /// <summary>Apparent geocentric longitude of the sun, degrees, referred to the true equinox of date; <paramref name="jde"/> in terrestrial time.</summary>
    private static double ApparentLongitude(double jde)
    {
        var tau = (jde - J2000) / DaysPerJulianMillennium;
        var heliocentric = 0.0;
        for (var power = Vsop87EarthL.Length - 1; power >= 0; power--)
        {
            heliocentric = (heliocentric * tau) + Sum(Vsop87EarthL[power], tau);
        }

        var geometric = (heliocentric / 1e8 * 180.0 / Math.PI) + 180.0 - (0.09033 / 3600.0);
        var t = tau * 10.0;
        var node = Radians(125.04452 - (1934.136261 * t));
        var sunMean = Radians(280.4665 + (36000.7698 * t));
        var moonMean = Radians(218.3165 + (481267.8813 * t));
        var nutation = ((-17.20 * Math.Sin(node)) - (1.32 * Math.Sin(2 * sunMean)) - (0.23 * Math.Sin(2 * moonMean)) + (0.21 * Math.Sin(2 * node))) / 3600.0;
        var anomaly = Radians(357.52911 + (35999.05029 * t));
        var eccentricity = 0.016708634 - (0.000042037 * t);
        var trueAnomaly = anomaly + Radians(1.914602 * Math.Sin(anomaly));
        var distance = 1.000001018 * (1 - (eccentricity * eccentricity)) / (1 + (eccentricity * Math.Cos(trueAnomaly)));
        var aberration = -20.4898 / 3600.0 / distance;
        return Normalize(geometric + nutation + aberration);
    }

    private static double Sum(double[] terms, double tau)
    {
        var sum = 0.0;
        for (var i = 0; i < terms.Length; i += 3)
        {
            sum += terms[i] * Math.Cos(terms[i + 1] + (terms[i + 2] * tau));
        }

        return sum;
    }

    /// <summary>ΔT = TT − UT in seconds (Espenak–Meeus).</summary>
    private static double DeltaTSeconds(double year)
    {
        if (year < 2005)
        {
            var t = year - 2000;
            return 63.86 + (0.3345 * t) - (0.060374 * t * t) + (0.0017275 * t * t * t) + (0.000651814 * Math.Pow(t, 4)) + (0.00002373599 * Math.Pow(t, 5));
        }

        if (year < 2050)
        {
            var t = year - 2000;
            return 62.92 + (0.32217 * t) + (0.005589 * t * t);
        }

        var u = (year - 1820) / 100;
        return -20 + (32 * u * u) - (0.5628 * (2150 - year));
    }

    private static double JulianDay(DateTime instant) => (instant.Ticks / (double)TimeSpan.TicksPerDay) + 1721425.5;

    private static long Ticks(double julianDay) => (long)Math.Round((julianDay - 1721425.5) * TimeSpan.TicksPerDay);

    private static double Radians(double degrees) => degrees * Math.PI / 180.0;

    private static double Normalize(double degrees)
    {
        var r = degrees % 360.0;
        return r < 0 ? r + 360.0 : r;
    }

    /// <summary>
    /// VSOP87 (version D) series for the Earth's heliocentric longitude, truncated as in Meeus'
    /// appendix III: L0 … L5, each a run of (A, B, C) with A in 10⁻⁸ rad, L = Σ A cos(B + C τ), τ in
    /// Julian millennia from J2000.0, and the longitude L0 + L1 τ + L2 τ² + ….
    /// </summary>
    private static readonly double[][] Vsop87EarthL =
    [
        [
            175347046, 0, 0, 3341656, 4.6692568, 6283.07585, 34894, 4.6261, 12566.1517, 3497, 2.7441, 5753.3849,
            3418, 2.8289, 3.5231, 3136, 3.6277, 77713.7715, 2676, 4.4181, 7860.4194, 2343, 6.1352, 3930.2097,
            1324, 0.7425, 11506.7698, 1273, 2.0371, 529.691, 1199, 1.1096, 1577.3435, 990, 5.233, 5884.927,
            902, 2.045, 26.298, 857, 3.508, 398.149, 780, 1.179, 5223.694, 753, 2.533, 5507.553,
            505, 4.583, 18849.228, 492, 4.205, 775.523, 357, 2.92, 0.067, 317, 5.849, 11790.629,
            284, 1.899, 796.298, 271, 0.315, 10977.079, 243, 0.345, 5486.778, 206, 4.806, 2544.314,
            205, 1.869, 5573.143, 202, 2.458, 6069.777, 156, 0.833, 213.299, 132, 3.411, 2942.463,
            126, 1.083, 20.775, 115, 0.645, 0.98, 103, 0.636, 4694.003, 102, 0.976, 15720.839,
            102, 4.267, 7.114, 99, 6.21, 2146.17, 98, 0.68, 155.42, 86, 5.98, 161000.69,
            85, 1.3, 6275.96, 85, 3.67, 71430.7, 80, 1.81, 17260.15, 79, 3.04, 12036.46,
            75, 1.76, 5088.63, 74, 3.5, 3154.69, 74, 4.68, 801.82, 70, 0.83, 9437.76,
            62, 3.98, 8827.39, 61, 1.82, 7084.9, 57, 2.78, 6286.6, 56, 4.39, 14143.5,
            56, 3.47, 6279.55, 52, 0.19, 12139.55, 52, 1.33, 1748.02, 51, 0.28, 5856.48,
            49, 0.49, 1194.45, 41, 5.37, 8429.24, 41, 2.4, 19651.05, 39, 6.17, 10447.39,
            37, 6.04, 10213.29, 37, 2.57, 1059.38, 36, 1.71, 2352.87, 36, 1.78, 6812.77,
            33, 0.59, 17789.85, 30, 0.44, 83996.85, 30, 2.74, 1349.87, 25, 3.16, 4690.48,
        ],
        [
            628331966747, 0, 0, 206059, 2.678235, 6283.07585, 4303, 2.6351, 12566.1517, 425, 1.59, 3.523,
            119, 5.796, 26.298, 109, 2.966, 1577.344, 93, 2.59, 18849.23, 72, 1.14, 529.69,
            68, 1.87, 398.15, 67, 4.41, 5507.55, 59, 2.89, 5223.69, 56, 2.17, 155.42,
            45, 0.4, 796.3, 36, 0.47, 775.52, 29, 2.65, 7.11, 21, 5.34, 0.98,
            19, 1.85, 5486.78, 19, 4.97, 213.3, 17, 2.99, 6275.96, 16, 0.03, 2544.31,
            16, 1.43, 2146.17, 15, 1.21, 10977.08, 12, 2.83, 1748.02, 12, 3.26, 5088.63,
            12, 5.27, 1194.45, 12, 2.08, 4694, 11, 0.77, 553.57, 10, 1.3, 6286.6,
            10, 4.24, 1349.87, 9, 2.7, 242.73, 9, 5.64, 951.72, 8, 5.3, 2352.87,
            6, 2.65, 9437.76, 6, 4.67, 4690.48,
        ],
        [
            52919, 0, 0, 8720, 1.0721, 6283.0758, 309, 0.867, 12566.152, 27, 0.05, 3.52,
            16, 5.19, 26.3, 16, 3.68, 155.42, 10, 0.76, 18849.23, 9, 2.06, 77713.77,
            7, 0.83, 775.52, 5, 4.66, 1577.34, 4, 1.03, 7.11, 4, 3.44, 5573.14,
            3, 5.14, 796.3, 3, 6.05, 5507.55, 3, 1.19, 242.73, 3, 6.12, 529.69,
            3, 0.31, 398.15, 3, 2.28, 553.57, 2, 4.38, 5223.69, 2, 3.75, 0.98,
        ],
        [289, 5.844, 6283.076, 35, 0, 0, 17, 5.49, 12566.15, 3, 5.2, 155.42, 1, 4.72, 3.52, 1, 5.3, 18849.23, 1, 5.97, 242.73],
        [114, 3.142, 0, 8, 4.13, 6283.08, 1, 3.84, 12566.15],
        [1, 3.14, 0],
    ];
}
