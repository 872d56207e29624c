using CreditExchange.Domain.Lifecycle;
using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Lifecycle;

/// <summary>
/// Reads the legal time limits shipped with the hub (Hub:Lifecycle:TimeLimitFile, default Lifecycle/time-limits.json
/// beside the hub's binaries). A malformed file, or one missing a rule or its source, refuses the start.
/// </summary>
public static class TimeLimitFile
{
    public static TimeLimits Load(string path) => ShippedDataFile.Load<FileModel, TimeLimits>(
        path,
        "Hub:Lifecycle:TimeLimitFile",
        "time limits",
        model => new TimeLimits(model.Version, model.Rules.Select(r => new TimeLimit(r.Rule, r.WorkingDays, r.Source, r.ExtensionWorkingDays ?? 0))));

    private sealed record FileModel(string Version, List<RuleModel> Rules);

    private sealed record RuleModel(string Rule, int WorkingDays, string Source, int? ExtensionWorkingDays = null);
}
