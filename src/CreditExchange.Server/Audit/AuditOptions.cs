using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace CreditExchange.Server.Audit;

/// <summary>Audit trail settings, section "Hub:Audit".</summary>
public sealed class AuditOptions
{
    public const string Section = "Hub:Audit";

    [Description("How often the sealer chains newly written entries.")]
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    [Description("How long the sealer waits for a missing sequence number (a write still committing) before sealing past it.")]
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SealGapGrace { get; set; } = TimeSpan.FromSeconds(2);

    [Description("How many groups of audit entries commit at a time.")]
    [Range(1, 16)]
    public int Writers { get; set; } = 2;

    [Description("The most entries one group commit holds.")]
    [Range(1, CreditExchange.Storage.CreditDbContext.PostgresMaxBatchSize)]
    public int GroupSize { get; set; } = 256;

    [Description("Entries from which a group goes in by binary COPY on PostgreSQL rather than batched INSERTs.")]
    [Range(1, int.MaxValue)]
    public int CopyFrom { get; set; } = 16;

    [Description("How often the hub counts, per agency, the changes past recipients have not acknowledged (the metric creditexchange.reach.unacknowledged_changes, and a warning when some are past their acknowledgement limit).")]
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReachRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);
}
