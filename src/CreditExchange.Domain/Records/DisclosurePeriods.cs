namespace CreditExchange.Domain.Records;

/// <summary>The disclosure periods fixed for one record, and the policy version that fixed them.</summary>
/// <param name="MinimumEnd">First day on which credit repair may end publication.</param>
/// <param name="MaximumEnd">Day on which publication stops: the record expires on this day.</param>
public sealed record DisclosurePeriods(string PolicyVersion, bool PublishedByDefault, DateOnly MinimumEnd, DateOnly MaximumEnd)
{
    /// <summary>Whether credit repair may end publication on <paramref name="today"/>.</summary>
    public bool MinimumServed(DateOnly today) => today >= MinimumEnd;
}
