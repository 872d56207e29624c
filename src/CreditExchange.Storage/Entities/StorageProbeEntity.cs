namespace CreditExchange.Storage.Entities;

/// <summary>
/// One row per hub instance, rewritten by each health probe: a real, committed write, so that
/// readiness reports whether the database can be written (not merely reached).
/// </summary>
public sealed class StorageProbeEntity
{
    /// <summary>The instance's name (host name and process id).</summary>
    public string Instance { get; set; } = "";

    public DateTime ProbedAt { get; set; }
}
