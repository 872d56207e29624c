using CreditExchange.Domain.Appraisal;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Appraisal;

/// <summary>
/// Reads the appraisal rule sets from their JSON file (Hub:Appraisal:RulesFile, default
/// appraisal-rules.json beside appsettings.json). The file is data, versioned inside: a new
/// policy is a new entry of "ruleSets" with a new "version" and a later "effectiveFrom".
/// Unknown properties, categories or severities refuse the start instead of being ignored.
/// </summary>
public static class AppraisalRulesFile
{
    public static AppraisalRuleBook Load(string path) => ShippedDataFile.Load<FileDto, AppraisalRuleBook>(
        path, "Hub:Appraisal:RulesFile", "appraisal rules", file => new AppraisalRuleBook(file.RuleSets.Select(ToDomain)));

    private static AppraisalRuleSet ToDomain(RuleSetDto dto) => new(
        dto.Version,
        DateOnly.ParseExact(dto.EffectiveFrom, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        dto.AppraisalTypes.ToDictionary(
            t => t.Key,
            t => new AppraisalRule(
                t.Value.LookBackMonths,
                t.Value.Disqualifying.Select(d => new DisqualifyingRule(d.Category, d.MinimumSeverity, d.WhileInForce)).ToList(),
                t.Value.CountsBy,
                t.Value.ResponsiblePersons)));

    private sealed class FileDto
    {
        public List<RuleSetDto> RuleSets { get; set; } = [];
    }

    private sealed class RuleSetDto
    {
        public string Version { get; set; } = "";

        /// <summary>"YYYY-MM-DD", Beijing date from which the set is in force.</summary>
        public string EffectiveFrom { get; set; } = "";

        /// <summary>Where the policy comes from; for people, not used by the hub.</summary>
        public string? Basis { get; set; }

        public Dictionary<AppraisalType, RuleDto> AppraisalTypes { get; set; } = [];
    }

    private sealed class RuleDto
    {
        public int LookBackMonths { get; set; }

        /// <summary>Which time decides which records count: "LookBackWindow" (the default), "PeriodOfEffect" or "Both".</summary>
        public AppraisalBasis CountsBy { get; set; } = AppraisalBasis.LookBackWindow;

        public List<DisqualifyingDto> Disqualifying { get; set; } = [];

        /// <summary>
        /// Per role ("Principal", "Related", "DebtorPersonInCharge"), how a record naming the candidate
        /// as responsible counts: "AsSubject", "BlocksPriority" or "Ignored" (the default for a role not listed).
        /// </summary>
        public Dictionary<ResponsibleRole, ResponsibleCounting> ResponsiblePersons { get; set; } = [];
    }

    private sealed class DisqualifyingDto
    {
        public RecordCategory Category { get; set; }

        public RecordSeverity MinimumSeverity { get; set; }

        /// <summary>When true, the line counts a record only while its own period of effect (影响期) runs, whatever the rule's countsBy.</summary>
        public bool WhileInForce { get; set; }
    }
}
