namespace CreditExchange.Storage.Entities;

/// <summary>
/// An evaluation published (frozen) for a period (seed clause 四(一)): the result as published, which later records
/// never change. One row per scope, period and standard version.
/// </summary>
public sealed class PublishedEvaluationEntity
{
    public Guid Id { get; set; }

    /// <summary>Domain EvaluationTargetKind: 1 region, 2 government body.</summary>
    public int TargetKind { get; set; }

    /// <summary>The region's division code or the government body's credit code.</summary>
    public required string TargetKey { get; set; }

    /// <summary>The period, e.g. "2025".</summary>
    public required string Period { get; set; }

    public required string StandardVersion { get; set; }

    /// <summary>The score in hundredths (0–10000), for rankings and the open figures without parsing the result.</summary>
    public int ScoreHundredths { get; set; }

    public required string Grade { get; set; }

    /// <summary>The published result, serialised as the contract's creditexchange.evaluation.v1.Evaluation message.</summary>
    public required byte[] Result { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    /// <summary>The publishing agency.</summary>
    public required string PublishedBy { get; set; }
}
