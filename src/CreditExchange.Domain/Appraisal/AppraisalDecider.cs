using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Appraisal;

/// <summary>What the appraisal needs to know of a record; no content, no personal data.</summary>
/// <param name="NamedAs">Null when the record is about the candidate; else the role in which it names them as responsible.</param>
/// <param name="Version">The record version read.</param>
public sealed record RecordFacts(
    Guid Id,
    long Sequence,
    string AgencyId,
    RecordCategory Category,
    RecordSeverity Severity,
    StandingFacts Standing,
    ResponsibleRole? NamedAs = null,
    long Version = 1)
{
    public DateOnly DecisionDate => Standing.DecisionDate;

    public RecordStatus Status => Standing.Status;
}

/// <summary>A candidate's answer: the decision, the records that make it, and whether an objection on one of them is pending.</summary>
public sealed record CandidateDecision(Decision Decision, IReadOnlyList<RecordFacts> DecidingRecords, bool ObjectionPending);

/// <summary>
/// Decides one candidate from the candidate's records (seed clauses 二(二)5–6), by their standing on
/// the check date: revoked and repaired records never count, corrected ones count as corrected, and
/// expiry from publication changes nothing. A record disqualifies when the rule names its category
/// and severity and it falls within the time the rule looks at (<see cref="RecordStanding.MayDisqualify"/>, or its own
/// period of effect for a line that says so);
/// any other record that still counts (<see cref="RecordStanding.BlocksPriority"/>) makes the
/// candidate eligible rather than priority. A record naming the candidate as a responsible person
/// counts as the rule says for that role (<see cref="AppraisalRule.Counting"/>): as their own, only
/// against priority, or not at all.
/// </summary>
public static class AppraisalDecider
{
    public static CandidateDecision Decide(AppraisalRule rule, DateOnly checkDate, IEnumerable<RecordFacts> records)
    {
        var start = rule.LookBackStart(checkDate);
        var standings = records
            .Select(r => (Record: r, Standing: RecordStanding.Of(r.Standing, checkDate), Counting: rule.Counting(r.NamedAs)))
            .Where(s => s.Counting != ResponsibleCounting.Ignored)
            .ToList();
        var deciding = standings
            .Where(s => s.Counting == ResponsibleCounting.AsSubject)
            .Where(s => rule.Disqualifies(s.Record.Category, s.Record.Severity, s.Standing, start))
            .Select(s => s.Record)
            .OrderByDescending(r => r.DecisionDate)
            .ThenByDescending(r => r.Sequence)
            .ToList();
        if (deciding.Count > 0)
        {
            return new CandidateDecision(Decision.Ineligible, deciding, deciding.Any(r => r.Status == RecordStatus.InDispute));
        }

        return new CandidateDecision(standings.Any(s => s.Standing.BlocksPriority(start)) ? Decision.Eligible : Decision.Priority, [], false);
    }
}
