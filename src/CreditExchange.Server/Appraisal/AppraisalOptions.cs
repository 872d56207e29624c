using System.ComponentModel;
namespace CreditExchange.Server.Appraisal;

/// <summary>Settings of appraisal checks, section "Hub:Appraisal".</summary>
public sealed class AppraisalOptions
{
    public const string Section = "Hub:Appraisal";

    [Description("The JSON file of appraisal rule sets; relative paths are relative to the content root.")]
    public string RulesFile { get; set; } = "appraisal-rules.json";
}
