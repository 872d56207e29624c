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

/// <summary>
/// A candidate's answer: the decision, the records that make it as far as the answer lists them, how many make it in
/// all, and whether an objection on one of them is pending.
/// </summary>
/// <param name="DecidingRecords">
/// The newest <see cref="AppraisalDecider.MaxListedDecidingRecords"/> deciding records at most, newest decision first:
/// what the answer lists, the check's audit row names and the appraising agency receives.
/// </param>
/// <param name="DecidingRecordCount">How many records decide the candidate in all, listed or not.</param>
/// <param name="ObjectionPending">An objection is pending on at least one deciding record, listed or not.</param>
public sealed record CandidateDecision(Decision Decision, IReadOnlyList<RecordFacts> DecidingRecords, int DecidingRecordCount, bool ObjectionPending);

/// <summary>
/// Decides one candidate from the candidate's records (seed clauses 二(二)5–6), by their standing on
/// the check date: revoked and repaired records never count, corrected ones count as corrected, and
/// expiry from publication changes nothing. A record disqualifies when the rule names its category
/// and severity and it falls within the time the rule looks at (<see cref="RecordStanding.MayDisqualify"/>, or its own
/// period of effect for a line that says so);
/// any other record that still counts (<see cref="RecordStanding.BlocksPriority"/>) makes the
/// candidate eligible rather than priority. A record naming the candidate as a responsible person
/// counts as the rule says for that role (<see cref="AppraisalRule.Counting"/>): as their own, only
/// against priority, or not at all. An answer lists the newest <see cref="MaxListedDecidingRecords"/> deciding records
/// and counts them all, so a subject with thousands of records costs a check no more to answer, record and deliver than
/// one with twenty.
/// </summary>
public static class AppraisalDecider
{
    /// <summary>
    /// The most deciding records a candidate's answer lists (newest decision first); the rest are counted, and read with
    /// the credit file.
    /// </summary>
    public const int MaxListedDecidingRecords = 20;

    public static CandidateDecision Decide(AppraisalRule rule, DateOnly checkDate, IEnumerable<RecordFacts> records)
    {
        var start = rule.LookBackStart(checkDate);
        // One pass over the records, keeping only the deciding ones: a subject with thousands of records costs no
        // array of them all (arrays that large are the GC's large objects, whose budget starts full collections).
        var deciding = new List<RecordFacts>();
        var blocksPriority = false;
        foreach (var record in records)
        {
            var counting = rule.Counting(record.NamedAs);
            if (counting == ResponsibleCounting.Ignored)
            {
                continue;
            }

            var standing = RecordStanding.Of(record.Standing, checkDate);
            if (counting == ResponsibleCounting.AsSubject && rule.Disqualifies(record.Category, record.Severity, standing, start))
            {
                deciding.Add(record);
            }
            else if (!blocksPriority && standing.BlocksPriority(start))
            {
                blocksPriority = true;
            }
        }

        if (deciding.Count > 0)
        {
            var newestFirst = deciding.OrderByDescending(r => r.DecisionDate).ThenByDescending(r => r.Sequence);
            return new CandidateDecision(
                Decision.Ineligible,
                newestFirst.Take(MaxListedDecidingRecords).ToList(),
                deciding.Count,
                deciding.Any(r => r.Status == RecordStatus.InDispute));
        }

        return new CandidateDecision(blocksPriority ? Decision.Eligible : Decision.Priority, [], 0, false);
    }
}
