using CreditExchange.Server.Settings;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace CreditExchange.Server.Limits;

/// <summary>
/// Abuse and load limits, section "Hub:Limits": a token bucket per agency (per certificate when the
/// certificate names no agency), a server-side deadline on every call, and how many unary calls run at a time.
/// </summary>
public sealed class LimitOptions
{
    public const string Section = "Hub:Limits";

    [Description("Calls an agency may make in a burst.")]
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 1000;

    [Description("Calls added back to the bucket every ReplenishmentPeriod.")]
    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 500;

    [Description("How often TokensPerPeriod calls are added back to an agency's bucket.")]
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    [Description("Longest any call may run, streams included; a shorter client deadline still wins. Long-lived streams are closed with DEADLINE_EXCEEDED after it and resume by reconnecting.")]
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(5);

    [Description("Unary hub calls that run at a time on one instance; more wait their turn. The default, 8 per processor, keeps the processors busy while calls wait on the database.")]
    [SettingDefault("8 × processors")]
    [Range(1, 100_000)]
    public int MaxConcurrentCalls { get; set; } = 8 * Environment.ProcessorCount;

    [Description("Of those, how many one agency (or one certificate that names none) may run at a time; its further calls wait behind its own, so the remaining turns stay free for the other agencies.")]
    [SettingDefault("6 × processors")]
    [Range(1, 100_000)]
    public int MaxConcurrentCallsPerAgency { get; set; } = 6 * Environment.ProcessorCount;

    [Description("Unary calls whose method the contract marks bulk (many records in one call: candidate lists, credit file pages, statistics, audit and reach queries, evidence) that run at a time on one instance, before they take a turn of MaxConcurrentCalls; more wait their turn, so short calls and health stay responsive beside them.")]
    [SettingDefault("½ × processors, at least 1")]
    [Range(1, 100_000)]
    public int MaxConcurrentBulkCalls { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    [Description("Share of the bulk lane's time, in percent, that bulk calls may run while short calls are running or waiting: a bulk call that ran for a time t then keeps its turn of the lane, idle, for t × (100 / share − 1) before the next bulk call takes it, so that together bulk calls take at most that share of the lane's processors from the short ones. A bulk call with no short call beside it gives its turn back at once; 100 never pauses.")]
    [Range(5, 100)]
    public int BulkLaneShare { get; set; } = 50;

    [Description("Share of the time, in percent, that the hub's own work in batches (the expiry sweep after a restart and at the start of each day) may take while unary calls run or wait: after a batch that took a time t, it waits until no call runs, at most t × (100 / share − 1), so that it never holds the database long while calls need it and still ends under constant load. With no call running it goes on at once; 100 never waits.")]
    [Range(1, 100)]
    public int BackgroundShare { get; set; } = 10;

    [Description("Unary hub calls that may wait for their turn; beyond them a call is refused at once with RATE_LIMITED.")]
    [Range(0, 1_000_000)]
    public int MaxQueuedCalls { get; set; } = 10_000;
}
