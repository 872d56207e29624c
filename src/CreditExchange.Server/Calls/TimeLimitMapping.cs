using CreditExchange.Domain.Lifecycle;

namespace CreditExchange.Server.Calls;

/// <summary>A legal time limit as the contract gives it (the lifecycle's handlings, a change's acknowledgement).</summary>
public static class TimeLimitMapping
{
    /// <summary>The rule a deadline follows, with its source and the due date (empty when none), as the contract's TimeLimit.</summary>
    public static Contracts.Lifecycle.V1.TimeLimit ToProto(TimeLimits limits, string rule, DateOnly? due)
    {
        var limit = limits[rule];
        return new Contracts.Lifecycle.V1.TimeLimit
        {
            Rule = limit.Rule,
            WorkingDays = limit.WorkingDays,
            Source = limit.Source,
            DueDate = due is { } day ? day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "",
            ExtensionWorkingDays = limit.ExtensionWorkingDays,
        };
    }
}
