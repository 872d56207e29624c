namespace CreditExchange.Server.Appraisal;

/// <summary>Settings of appraisal checks, section "Hub:Appraisal".</summary>
public sealed class AppraisalOptions
{
    public const string Section = "Hub:Appraisal";

    /// <summary>The JSON file of appraisal rule sets; relative paths are relative to the content root.</summary>
    public string RulesFile { get; set; } = "appraisal-rules.json";
}
