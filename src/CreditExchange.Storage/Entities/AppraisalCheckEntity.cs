namespace CreditExchange.Storage.Entities;

/// <summary>
/// The audit entry of one appraisal check call (CheckCandidate or CheckCandidates): who checked,
/// when, for what purpose, under which rule set, and the outcome counts. Written with its
/// candidates in one transaction before the answer is sent.
/// </summary>
public sealed class AppraisalCheckEntity
{
    public Guid Id { get; set; }

    /// <summary>The calling agency.</summary>
    public required string AgencyId { get; set; }

    public DateTimeOffset CheckedAt { get; set; }

    /// <summary>The contract's AppraisalType number.</summary>
    public int AppraisalType { get; set; }

    /// <summary>The appraising department's case reference, as sent.</summary>
    public required string CaseReference { get; set; }

    /// <summary>Version id of the rule set that decided the check.</summary>
    public required string RuleSetVersion { get; set; }

    /// <summary>The day of the check (Beijing time); the look-back window ended here.</summary>
    public DateOnly CheckDate { get; set; }

    public int CandidateCount { get; set; }

    public int IneligibleCount { get; set; }

    public int EligibleCount { get; set; }

    public int PriorityCount { get; set; }

    public List<AppraisalCandidateEntity> Candidates { get; set; } = [];
}

/// <summary>The outcome of one candidate of an appraisal check.</summary>
public sealed class AppraisalCandidateEntity
{
    public Guid CheckId { get; set; }

    /// <summary>Zero-based position in the request.</summary>
    public int Index { get; set; }

    /// <summary>
    /// The subject key as the records table stores it (normalised credit code or resident ID):
    /// the audit trail must answer "who checked this subject, when and why". A hash would not
    /// protect a resident ID (its space is small enough to enumerate), so the row is protected
    /// like the records themselves, by access to the database.
    /// </summary>
    public required string SubjectKey { get; set; }

    /// <summary>The contract's Decision number.</summary>
    public int Decision { get; set; }

    public bool ObjectionPending { get; set; }

    /// <summary>
    /// Ids of the deciding records the answer listed (the newest
    /// <see cref="Domain.Appraisal.AppraisalDecider.MaxListedDecidingRecords"/> at most, newest first), comma-separated;
    /// empty unless ineligible.
    /// </summary>
    public required string DecidingRecordIds { get; set; }
}
