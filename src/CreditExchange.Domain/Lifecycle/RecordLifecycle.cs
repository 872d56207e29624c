using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Lifecycle;

/// <summary>What the lifecycle rules need to know of a record.</summary>
/// <param name="Version">The record's current version; every change adds one.</param>
/// <param name="Standing">The dated facts its standing is decided from (<see cref="RecordStanding"/>).</param>
/// <param name="Listing">The judgment-debtor listing the record is, if it is one (<see cref="JudgmentDebtorRules"/>).</param>
/// <param name="Category">What kind of decision it is: it says which remedies reach it (<see cref="RecordRemedies"/>).</param>
public sealed record LifecycleRecord(
    Guid Id, string SourceAgencyId, long Version, DisclosurePeriods Periods, StandingFacts Standing, ListingFacts? Listing = null,
    RecordCategory Category = RecordCategory.AdministrativePenalty)
{
    public RecordStatus Status => Standing.Status;
}

/// <summary>
/// Who may change a record, from which state, into which (seed clause 二(二)7). Checks run in a
/// fixed order so that callers learn as little as possible about records they may not touch:
/// role (acting for subjects) → visibility (NOT_FOUND, as for a read) → source agency →
/// expected version (ABORTED) → state and policy (FAILED_PRECONDITION).
/// </summary>
/// <param name="subjectRepresentatives">Agencies that act for subjects (the regional credit platform, "drc").</param>
public sealed class RecordLifecycle(IReadOnlySet<string> subjectRepresentatives)
{
    /// <summary>Objections may be filed against a record in this state; it then becomes <see cref="RecordStatus.InDispute"/>.</summary>
    public RecordStatus FileObjection(Agency caller, LifecycleRecord record, long expectedVersion)
    {
        EnsureRepresentsSubjects(caller, "file objections");
        EnsureMaySee(caller, record);
        EnsureVersion(record, expectedVersion);
        if (record.Status == RecordStatus.InDispute)
        {
            throw Precondition(ErrorReason.ObjectionAlreadyOpen, $"Record {record.Id} already has an open objection; it must be answered first.");
        }

        EnsureStands(record);
        return RecordStatus.InDispute;
    }

    /// <summary>
    /// The source agency answers an open objection: dismissed (the record returns to the state it
    /// had before the objection), corrected, or revoked. Returns the record's new state.
    /// </summary>
    public RecordStatus AnswerObjection(Agency caller, LifecycleRecord record, long expectedVersion, ObjectionState current, RecordStatus statusBefore, ObjectionState outcome)
    {
        EnsureMaySee(caller, record);
        EnsureSourceAgency(caller, record, "answer objections to it");
        EnsureVersion(record, expectedVersion);
        if (current != ObjectionState.Open || record.Status != RecordStatus.InDispute)
        {
            throw Precondition(ErrorReason.ObjectionNotOpen, "The objection has already been answered or closed.");
        }

        return outcome switch
        {
            ObjectionState.Dismissed => statusBefore,
            ObjectionState.Corrected => RecordStatus.Corrected,
            ObjectionState.Revoked => RecordStatus.Revoked,
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "An answer dismisses, corrects or revokes."),
        };
    }

    /// <summary>
    /// The source agency extends the answer deadline of an open objection for a complex case (the deadline itself is
    /// <see cref="TimeLimits.ExtendObjection"/>'s); the record stays <see cref="RecordStatus.InDispute"/>.
    /// </summary>
    public RecordStatus ExtendObjection(Agency caller, LifecycleRecord record, long expectedVersion, ObjectionState current)
    {
        EnsureMaySee(caller, record);
        EnsureSourceAgency(caller, record, "extend the answer deadline of objections to it");
        EnsureVersion(record, expectedVersion);
        if (current != ObjectionState.Open || record.Status != RecordStatus.InDispute)
        {
            throw Precondition(ErrorReason.ObjectionNotOpen, "The objection has already been answered or closed.");
        }

        return record.Status;
    }

    /// <summary>
    /// What an upheld complaint about an objection does to it: the source agency must answer it anew. An objection still
    /// open keeps the record <see cref="RecordStatus.InDispute"/> (it gets a new deadline); a dismissed or correcting
    /// answer is reopened and the record is in dispute again. Returns the record's new state, or null when the handling
    /// cannot be reopened: the objection was answered by revocation or closed, another objection is open, or the
    /// record no longer stands (revoked, repaired, expired at its maximum period).
    /// </summary>
    public static RecordStatus? ReopenObjection(LifecycleRecord record, ObjectionState current)
    {
        return current switch
        {
            ObjectionState.Open => RecordStatus.InDispute,
            ObjectionState.Dismissed or ObjectionState.Corrected when record.Status != RecordStatus.InDispute && RecordStanding.StandsIn(record.Status) =>
                RecordStatus.InDispute,
            _ => null,
        };
    }

    /// <summary>
    /// What an upheld complaint about a repair application does to it: a pending one gets a new decision deadline, a
    /// refused one is pending again for a new decision. False when it cannot be reopened: approved or closed, another
    /// application pending, an objection open, or the record no longer stands.
    /// </summary>
    public static bool ReopenRepair(LifecycleRecord record, RepairState current, bool anotherPending) => current switch
    {
        RepairState.Pending => true,
        RepairState.Refused => !anotherPending && record.Status != RecordStatus.InDispute && RecordStanding.StandsIn(record.Status),
        _ => false,
    };

    /// <summary>The source agency replaces the record's content (纠错).</summary>
    public RecordStatus Correct(Agency caller, LifecycleRecord record, long expectedVersion)
    {
        EnsureSourceChange(caller, record, expectedVersion, "correct it");
        return RecordStatus.Corrected;
    }

    /// <summary>
    /// The source agency records a review (复审/复核, 公职人员政务处分法 ch. 5) or retrial of a 政务处分: a change to a lighter
    /// kind corrects the record (its statutory period follows the new kind), a revocation revokes it, an upheld
    /// sanction stays as it is. A review does not aggravate (不因申请复审、复核而加重政务处分).
    /// </summary>
    /// <param name="current">The record's sanction kind; null when it has none (then it is not a sanction to review).</param>
    /// <param name="changedTo">The kind after review, with <see cref="SanctionReviewOutcome.Changed"/>.</param>
    public RecordStatus ReviewSanction(
        Agency caller, LifecycleRecord record, long expectedVersion, SanctionKind? current, SanctionReviewOutcome outcome, SanctionKind? changedTo)
    {
        EnsureSourceChange(caller, record, expectedVersion, "record a review of its sanction");
        if (record.Category != RecordCategory.DisciplinarySanction || current is not { } kind)
        {
            throw Precondition(
                ErrorReason.NotASanction,
                $"Record {record.Id} is not a disciplinary sanction (政务处分) with a sanction kind: there is nothing a review (复审/复核) changes.");
        }

        return outcome switch
        {
            SanctionReviewOutcome.Changed when changedTo is { } lighter && lighter < kind => RecordStatus.Corrected,
            SanctionReviewOutcome.Changed => throw DomainException.InvalidArgument(ErrorReason.InvalidRequest, [new FieldViolation(
                "sanction_kind",
                $"must be lighter than the current {kind}: a review does not aggravate the sanction (公职人员政务处分法 ch. 5)",
                FieldViolationReason.NotAllowed)]),
            SanctionReviewOutcome.Revoked => RecordStatus.Revoked,
            _ => record.Status,
        };
    }

    /// <summary>The source agency withdraws the record.</summary>
    public RecordStatus Revoke(Agency caller, LifecycleRecord record, long expectedVersion)
    {
        EnsureSourceChange(caller, record, expectedVersion, "revoke it");
        return RecordStatus.Revoked;
    }

    /// <summary>
    /// A subject, through its representative, applies for credit repair (信用修复). The policy that
    /// fixed the record's periods says what repair requires.
    /// </summary>
    /// <param name="terms">The repair terms of the record's policy; null for a judgment-debtor listing, which has none.</param>
    public void ApplyForRepair(
        Agency caller, LifecycleRecord record, long expectedVersion, RepairTerms? terms, DateOnly today,
        bool obligationsFulfilled, bool hasCreditCommitment, bool repairPending)
    {
        EnsureRepresentsSubjects(caller, "apply for credit repair");
        EnsureMaySee(caller, record);
        EnsureVersion(record, expectedVersion);
        EnsureNoOpenObjection(record);
        EnsureStands(record);
        terms = RepairTermsOf(record, terms);
        if (repairPending)
        {
            throw Precondition(ErrorReason.RepairAlreadyPending, $"Record {record.Id} already has a repair application awaiting decision.");
        }

        EnsureRepairable(record, terms, today);
        if (terms.RequiresObligationsFulfilled && !obligationsFulfilled)
        {
            throw Precondition(ErrorReason.ObligationsNotFulfilled, $"Policy {record.Periods.PolicyVersion} allows repair only once the obligations of the decision are fulfilled.");
        }

        if (terms.RequiresCreditCommitment && !hasCreditCommitment)
        {
            throw Precondition(ErrorReason.CreditCommitmentRequired, $"Policy {record.Periods.PolicyVersion} requires a credit commitment (信用承诺) with the application.");
        }
    }

    /// <summary>
    /// The body that made the finding decides a pending repair application. Approval ends
    /// publication (<see cref="RecordStatus.Repaired"/>); refusal leaves the record as it is.
    /// </summary>
    public RecordStatus DecideRepair(
        Agency caller, LifecycleRecord record, long expectedVersion, RepairTerms? terms, DateOnly today,
        RepairState current, RepairState decision)
    {
        EnsureMaySee(caller, record);
        EnsureSourceAgency(caller, record, "decide its repair");
        EnsureVersion(record, expectedVersion);
        if (current != RepairState.Pending)
        {
            throw Precondition(ErrorReason.RepairNotPending, "The repair application has already been decided or closed.");
        }

        EnsureNoOpenObjection(record);
        EnsureStands(record);
        switch (decision)
        {
            case RepairState.Approved:
                EnsureRepairable(record, RepairTermsOf(record, terms), today);
                return RecordStatus.Repaired;
            case RepairState.Refused:
                return record.Status;
            default:
                throw new ArgumentOutOfRangeException(nameof(decision), decision, "A decision approves or refuses.");
        }
    }

    /// <summary>
    /// The court removes a judgment-debtor listing (删除失信信息) on a ground of 法释〔2017〕7号 that fits
    /// it. Publication stops at once: the record becomes <see cref="RecordStatus.Expired"/>.
    /// </summary>
    public RecordStatus RemoveListing(Agency caller, LifecycleRecord record, long expectedVersion, ListingRemovalGround ground, DateOnly today)
    {
        EnsureSourceChange(caller, record, expectedVersion, "remove its judgment-debtor listing");
        if (record.Listing is not { } listing)
        {
            throw Precondition(ErrorReason.NotAJudgmentDebtorListing, $"Record {record.Id} is not a judgment-debtor listing (its content has no judgment_debtor).");
        }

        if (listing.RemovedOn is { } removed)
        {
            throw Precondition(ErrorReason.ListingAlreadyRemoved, $"The listing of record {record.Id} was removed on {removed:yyyy-MM-dd}.");
        }

        if (JudgmentDebtorRules.RemovalRefusal(listing, ground, today) is { } why)
        {
            throw Precondition(ErrorReason.RemovalGroundNotApplicable, $"Ground {ground} cannot remove the listing of record {record.Id}: {why}.");
        }

        return RecordStatus.Expired;
    }

    /// <summary>Whether the expiry sweep should record that publication stopped (see <see cref="RecordStanding.DueForExpiryRecord"/>).</summary>
    public static bool IsDueForExpiry(LifecycleRecord record, DateOnly today) => RecordStanding.Of(record.Standing, today).DueForExpiryRecord;

    /// <summary>Whether the caller may take lifecycle steps on the record (<see cref="RecordVisibility.Handles"/>).</summary>
    public bool MaySee(Agency caller, LifecycleRecord record) =>
        RecordVisibility.Handles(caller, record.SourceAgencyId, record.Status, RepresentsSubjects(caller));

    /// <summary>Records the caller may not see are answered as absent, exactly as a read would be.</summary>
    public void EnsureMaySee(Agency caller, LifecycleRecord record)
    {
        if (!MaySee(caller, record))
        {
            throw NotFound(caller, record.Id);
        }
    }

    public static DomainException NotFound(Agency caller, Guid recordId) =>
        new(ErrorKind.NotFound, ErrorReason.RecordNotFound, $"No record {recordId} is visible to agency '{caller.Id}'.");

    public bool RepresentsSubjects(Agency caller) => subjectRepresentatives.Contains(caller.Id);

    private void EnsureSourceChange(Agency caller, LifecycleRecord record, long expectedVersion, string action)
    {
        EnsureMaySee(caller, record);
        EnsureSourceAgency(caller, record, action);
        EnsureVersion(record, expectedVersion);
        EnsureNoOpenObjection(record);
        EnsureStands(record);
    }

    public void EnsureRepresentsSubjects(Agency caller, string action)
    {
        if (!RepresentsSubjects(caller))
        {
            throw new DomainException(
                ErrorKind.PermissionDenied,
                ErrorReason.NotSubjectRepresentative,
                $"Agency '{caller.Id}' may not {action}: only the agencies acting for subjects ({string.Join(", ", subjectRepresentatives.Order())}) may.");
        }
    }

    private static void EnsureSourceAgency(Agency caller, LifecycleRecord record, string action)
    {
        if (caller.Id != record.SourceAgencyId)
        {
            throw new DomainException(
                ErrorKind.PermissionDenied,
                ErrorReason.NotSourceAgency,
                $"Agency '{caller.Id}' may not {action}: only the source agency '{record.SourceAgencyId}' of record {record.Id} may.");
        }
    }

    private static void EnsureVersion(LifecycleRecord record, long expectedVersion)
    {
        if (record.Version != expectedVersion)
        {
            throw VersionMismatch(record.Id, expectedVersion, record.Version);
        }
    }

    public static DomainException VersionMismatch(Guid recordId, long expected, long? actual) => new(
        ErrorKind.Aborted,
        ErrorReason.VersionMismatch,
        actual is null
            ? $"Record {recordId} changed while the request was made against version {expected}; read it again and retry. Nothing was changed."
            : $"Record {recordId} is at version {actual}, the request was made against version {expected}; read it again and retry. Nothing was changed.");

    private static void EnsureNoOpenObjection(LifecycleRecord record)
    {
        if (record.Status == RecordStatus.InDispute)
        {
            throw Precondition(ErrorReason.ObjectionOpen, $"Record {record.Id} has an open objection: answer it (AnswerObjection) to correct or revoke the record.");
        }
    }

    private static void EnsureStands(LifecycleRecord record)
    {
        if (!RecordStanding.StandsIn(record.Status))
        {
            throw Precondition(ErrorReason.RecordNotInForce, $"Record {record.Id} is {record.Status}: it no longer changes.");
        }
    }

    /// <summary>
    /// A judgment-debtor listing is ended by the court (<see cref="RemoveListing"/>), not by credit repair; credit repair
    /// reaches only the categories <see cref="RecordRemedies"/> names.
    /// </summary>
    private static RepairTerms RepairTermsOf(LifecycleRecord record, RepairTerms? terms)
    {
        if (record.Listing is not null)
        {
            throw Precondition(
                ErrorReason.ListingNotRepairable,
                $"Record {record.Id} is a judgment-debtor listing: the court removes it (法释〔2017〕7号 art. 10), it is not repaired under the disclosure policy.");
        }

        if (RecordRemedies.WhyNotRepairable(record.Category) is { } why)
        {
            throw Precondition(ErrorReason.RepairNotApplicable, $"Record {record.Id}: {why}");
        }

        return terms ?? throw new InvalidOperationException($"Record {record.Id} has no repair terms.");
    }

    private static void EnsureRepairable(LifecycleRecord record, RepairTerms terms, DateOnly today)
    {
        if (terms.RequiresMinimumPeriod && !record.Periods.MinimumServed(today))
        {
            throw Precondition(
                ErrorReason.MinimumPeriodNotServed,
                $"Under policy {record.Periods.PolicyVersion} record {record.Id} may be repaired from {record.Periods.MinimumEnd:yyyy-MM-dd} (minimum disclosure period).");
        }
    }

    private static DomainException Precondition(ErrorReason reason, string message) => new(ErrorKind.FailedPrecondition, reason, message);
}
