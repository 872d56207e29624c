using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace CreditExchange.Server.Feed;

/// <summary>Settings of the record feed, section "Hub:Feed". Validated at start-up.</summary>
public sealed class FeedOptions
{
    public const string Section = "Hub:Feed";

    [Description("How often each instance's publisher numbers newly committed events (one instance at a time does).")]
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    [Description("How often a stream looks for new events when no notification woke it (the safety net under LISTEN/NOTIFY).")]
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Description("Heartbeat interval of a stream that asks for none.")]
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan DefaultHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    [Description("How long a stream waits for its client to take a message before it ends it (RESOURCE_EXHAUSTED).")]
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SlowSubscriberTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Description("Named subscriptions one agency may hold; creating one more is refused (SUBSCRIPTION_LIMIT_REACHED).")]
    [Range(1, 100_000)]
    public int MaxSubscriptionsPerAgency { get; set; } = 50;

    [Description("How long the oldest committed event may wait to be numbered before the hub warns (at start-up or any time after, then once a minute while it lasts), naming the sessions that hold numbering back (pid, database, age).")]
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HeldBackWarning { get; set; } = TimeSpan.FromSeconds(10);

    [Description("Events read per query; also the most one stream holds in memory.")]
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;
}
