using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace CreditExchange.Server.Audit;

/// <summary>Audit trail settings, section "Hub:Audit".</summary>
public sealed class AuditOptions : IValidatableObject
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

    [Description("How often the hub stores a signed checkpoint of the chain head it sealed (when it sealed something since the last one) and has it time-stamped by the authority at TsaUrl. A rewrite of the chain before a time-stamped checkpoint is always found; keep it short.")]
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    [Description("URL of the RFC 3161 time-stamping authority (HTTP POST of application/timestamp-query) that time-stamps each stored checkpoint; empty: checkpoints are signed by the hub only, and health says so. In Development, `dotnet run --project src/CreditExchange.DevTsa` runs one on http://127.0.0.1:3161/.")]
    public string TsaUrl { get; set; } = "";

    [Description("PEM file of the time-stamping authority's certificate (extended key usage id-kp-timeStamping): a token is accepted only when signed by it. When the authority renews its certificate, append the new one and keep the old: tokens it signed keep verifying. Required with TsaUrl. Relative paths are resolved from the repository root.")]
    public string TsaCertificate { get; set; } = "";

    [Description("How long the hub waits for the time-stamping authority to answer one request.")]
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan TsaTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TsaUrl.Length > 0 && (!Uri.TryCreate(TsaUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Hub:Audit:TsaUrl must be an absolute http:// or https:// URL.", [nameof(TsaUrl)]);
        }

        if (TsaUrl.Length > 0 && TsaCertificate.Length == 0)
        {
            yield return new ValidationResult("Hub:Audit:TsaCertificate (the PEM certificate of the time-stamping authority) is required with Hub:Audit:TsaUrl.", [nameof(TsaCertificate)]);
        }
    }
}
