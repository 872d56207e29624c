using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Lifecycle;

// Severity and status are record taxonomy: RecordSeverity and RecordStatus in CreditExchange.Domain.Records.

// The numbers are the contract's enum numbers (creditexchange.records.v1 and
// creditexchange.lifecycle.v1), so mapping is a cast.

/// <summary>What one version of a record changed; also the type of its feed event (lifecycle.v1 RecordChange).</summary>
public enum RecordChange
{
    Submitted = 1,
    ObjectionFiled = 2,
    ObjectionAnswered = 3,
    Corrected = 4,
    Revoked = 5,
    RepairApplied = 6,
    RepairDecided = 7,
    Expired = 8,
    JudgmentDebtorRemoved = 9,
    EffectEnded = 10,
    SanctionReviewed = 11,
    ObjectionExtended = 12,
    HandlingReopened = 13,
}

/// <summary>What a review (复审/复核) or retrial decided about a 政务处分 (lifecycle.v1 SanctionReviewOutcome).</summary>
public enum SanctionReviewOutcome
{
    Changed = 1,
    Revoked = 2,
    Upheld = 3,
}

/// <summary>Where an objection stands (lifecycle.v1 ObjectionState).</summary>
public enum ObjectionState
{
    Open = 1,
    Dismissed = 2,
    Corrected = 3,
    Revoked = 4,
    Closed = 5,
}

/// <summary>Where a repair application stands (lifecycle.v1 RepairState).</summary>
public enum RepairState
{
    Pending = 1,
    Approved = 2,
    Refused = 3,
    Closed = 4,
}

/// <summary>What a complaint says was wrong with a handling (lifecycle.v1 ComplaintGround).</summary>
public enum ComplaintGround
{
    Late = 1,
    Unanswered = 2,
    RefusedWithoutGrounds = 3,
    Other = 4,
}

/// <summary>Where a complaint stands (lifecycle.v1 ComplaintState).</summary>
public enum ComplaintState
{
    Open = 1,
    Upheld = 2,
    Rejected = 3,
}
