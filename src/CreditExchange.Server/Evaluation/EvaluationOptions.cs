using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace CreditExchange.Server.Evaluation;

/// <summary>Settings of integrity evaluation, section "Hub:Evaluation".</summary>
public sealed class EvaluationOptions
{
    public const string Section = "Hub:Evaluation";

    [Description("The JSON file of integrity evaluation standards (versioned; the last entry is the latest); relative paths are relative to the content root.")]
    [Required]
    public string StandardsFile { get; set; } = IntegrityStandardsFile.FileName;

    [Description("Agencies that publish (freeze) evaluations with EvaluationService.PublishEvaluation; empty means \"drc\" (the regional credit platform).")]
    public List<string> Publishers { get; set; } = [];

    public IReadOnlySet<string> EffectivePublishers => Publishers.Count == 0
        ? new HashSet<string>(["drc"], StringComparer.Ordinal)
        : Publishers.ToHashSet(StringComparer.Ordinal);
}
