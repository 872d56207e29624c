using System.ComponentModel.DataAnnotations;

namespace CreditExchange.Server.Limits;

/// <summary>
/// Abuse limits, section "Hub:Limits": a token bucket per agency (per certificate when the
/// certificate names no agency) and a server-side deadline on every call.
/// </summary>
public sealed class LimitOptions
{
    public const string Section = "Hub:Limits";

    /// <summary>Calls an agency may make in a burst.</summary>
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 1000;

    /// <summary>Calls added back to the bucket every <see cref="ReplenishmentPeriod"/>.</summary>
    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 500;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest any call may run, streams included; a shorter client deadline still wins. Long-lived
    /// streams are closed with DEADLINE_EXCEEDED after it and resume by reconnecting.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(5);
}
