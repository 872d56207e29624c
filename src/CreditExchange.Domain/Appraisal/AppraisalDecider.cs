using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Appraisal;

/// <summary>What the appraisal needs to know of a record; no content, no personal data.</summary>
public sealed record RecordFacts(
    Guid Id,
    long Sequence,
    string AgencyId,
    RecordCategory Category,
    RecordSeverity Severity,
    RecordStatus Status,
    DateOnly DecisionDate);

/// <summary>A candidate's answer: the decision, the records that make it, and whether an objection on one of them is pending.</summary>
public sealed record CandidateDecision(Decision Decision, IReadOnlyList<RecordFacts> DecidingRecords, bool ObjectionPending);

/// <summary>
/// Decides one candidate from the candidate's records (seed clauses 二(二)5–6).
/// </summary>
/// <remarks>
/// <para>Only records decided within the look-back window count. Within it:</para>
/// <list type="bullet">
/// <item>records in force (active, or in dispute while an objection is open) disqualify when the rule says so;</item>
/// <item>repaired and expired records never disqualify, but they are records: the candidate is eligible, not priority
/// (credit repair restores eligibility, not the priority that a clean record earns);</item>
/// <item>revoked records and records superseded by a correction are treated as never made;</item>
/// <item>a status this version of the hub does not know never disqualifies, but blocks priority.</item>
/// </list>
/// </remarks>
public static class AppraisalDecider
{
    public static bool IsInForce(RecordStatus status) => status is RecordStatus.Active or RecordStatus.InDispute;

    /// <summary>Whether a record in this state counts at all (for priority).</summary>
    public static bool Counts(RecordStatus status) => status is not (RecordStatus.Revoked or RecordStatus.Corrected);

    public static CandidateDecision Decide(AppraisalRule rule, DateOnly checkDate, IEnumerable<RecordFacts> records)
    {
        var start = rule.LookBackStart(checkDate);
        var counted = records.Where(r => r.DecisionDate >= start && Counts(r.Status)).ToList();
        var deciding = counted
            .Where(r => IsInForce(r.Status) && rule.Disqualifies(r.Category, r.Severity))
            .OrderByDescending(r => r.DecisionDate)
            .ThenByDescending(r => r.Sequence)
            .ToList();
        if (deciding.Count > 0)
        {
            return new CandidateDecision(Decision.Ineligible, deciding, deciding.Any(r => r.Status == RecordStatus.InDispute));
        }

        return new CandidateDecision(counted.Count > 0 ? Decision.Eligible : Decision.Priority, [], false);
    }
}
