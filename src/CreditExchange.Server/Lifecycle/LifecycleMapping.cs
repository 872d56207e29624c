using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using TimeLimits = CreditExchange.Domain.Lifecycle.TimeLimits;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage.Entities;
using Google.Protobuf.WellKnownTypes;

namespace CreditExchange.Server.Lifecycle;

internal static class LifecycleMapping
{
    public static Objection ToProto(ObjectionEntity row, DateOnly today, PersonalDataProtector protector, TimeLimits limits)
    {
        var objection = new Objection
        {
            ObjectionId = row.Id.ToString(),
            RecordId = row.RecordId.ToString(),
            SourceAgencyId = row.SourceAgencyId,
            FiledBy = row.FiledBy,
            FiledAt = Timestamp.FromDateTimeOffset(row.FiledAt),
            Grounds = protector.OpenText(row.Grounds),
            AnswerDueDate = Date(row.AnswerDueDate),
            State = (ObjectionState)row.State,
            Overdue = Domain.Lifecycle.Overdue.Objection((Domain.Lifecycle.ObjectionState)row.State, row.AnswerDueDate, today),
            AnsweredBy = row.AnsweredBy ?? "",
            Answer = protector.OpenText(row.Answer) ?? "",
            ExtendedFromDueDate = row.ExtendedFromDueDate is { } extendedFrom ? Date(extendedFrom) : "",
            ExtensionReason = protector.OpenText(row.ExtensionReason) ?? "",
            ReopenedByComplaintId = row.ReopenedByComplaintId?.ToString() ?? "",
            TimeLimit = Limit(limits, row.ReopenedByComplaintId is null ? TimeLimits.ObjectionAnswer : TimeLimits.ReopenedHandling, row.AnswerDueDate),
        };
        if (row.AnsweredAt is { } answeredAt)
        {
            objection.AnsweredAt = Timestamp.FromDateTimeOffset(answeredAt);
        }

        return objection;
    }

    public static RepairApplication ToProto(RepairApplicationEntity row, DateOnly today, PersonalDataProtector protector, TimeLimits limits)
    {
        var repair = new RepairApplication
        {
            RepairId = row.Id.ToString(),
            RecordId = row.RecordId.ToString(),
            SourceAgencyId = row.SourceAgencyId,
            AppliedBy = row.AppliedBy,
            AppliedAt = Timestamp.FromDateTimeOffset(row.AppliedAt),
            ObligationsFulfilled = row.ObligationsFulfilled,
            ObligationsEvidence = protector.OpenText(row.ObligationsEvidence),
            CreditCommitment = protector.OpenText(row.CreditCommitment),
            State = (RepairState)row.State,
            DecidedBy = row.DecidedBy ?? "",
            DecisionReason = protector.OpenText(row.DecisionReason) ?? "",
            DecisionDueDate = row.DecisionDueDate is { } due ? Date(due) : "",
            Overdue = Domain.Lifecycle.Overdue.Repair((Domain.Lifecycle.RepairState)row.State, row.DecisionDueDate, today),
            ReopenedByComplaintId = row.ReopenedByComplaintId?.ToString() ?? "",
            TimeLimit = Limit(limits, row.ReopenedByComplaintId is null ? TimeLimits.RepairDecision : TimeLimits.ReopenedHandling, row.DecisionDueDate),
        };
        if (row.DecidedAt is { } decidedAt)
        {
            repair.DecidedAt = Timestamp.FromDateTimeOffset(decidedAt);
        }

        return repair;
    }

    public static Complaint ToProto(ComplaintEntity row, DateOnly today, PersonalDataProtector protector, TimeLimits limits)
    {
        var complaint = new Complaint
        {
            ComplaintId = row.Id.ToString(),
            RecordId = row.RecordId.ToString(),
            SourceAgencyId = row.SourceAgencyId,
            FiledBy = row.FiledBy,
            FiledAt = Timestamp.FromDateTimeOffset(row.FiledAt),
            Ground = (ComplaintGround)row.Ground,
            Grounds = protector.OpenText(row.Grounds),
            ReviewDueDate = Date(row.ReviewDueDate),
            State = (ComplaintState)row.State,
            Overdue = Domain.Lifecycle.Overdue.Complaint((Domain.Lifecycle.ComplaintState)row.State, row.ReviewDueDate, today),
            ReviewedBy = row.ReviewedBy ?? "",
            Decision = protector.OpenText(row.Decision) ?? "",
            TimeLimit = Limit(limits, TimeLimits.ComplaintReview, row.ReviewDueDate),
            ReopenedDueDate = row.ReopenedDueDate is { } reopenedDue ? Date(reopenedDue) : "",
        };
        if (row.ObjectionId is { } objectionId)
        {
            complaint.ObjectionId = objectionId.ToString();
        }
        else if (row.RepairId is { } repairId)
        {
            complaint.RepairId = repairId.ToString();
        }

        if (row.ReviewedAt is { } reviewedAt)
        {
            complaint.ReviewedAt = Timestamp.FromDateTimeOffset(reviewedAt);
        }

        return complaint;
    }

    public static RecordVersion ToProto(RecordVersionEntity row, PersonalDataProtector protector) => new()
    {
        Version = row.Version,
        Change = (RecordChange)row.Change,
        Status = (RecordStatus)row.Status,
        AgencyId = row.AgencyId,
        ChangedAt = Timestamp.FromDateTimeOffset(row.ChangedAt),
        Reason = protector.OpenText(row.Reason),
        Content = RecordContent.Parser.ParseFrom(protector.Open(row.Content)),
        ContentSha256 = Convert.ToHexStringLower(row.ContentHash),
    };

    /// <summary>The rule a handling's deadline follows, with its source, as the contract's TimeLimit.</summary>
    public static TimeLimit Limit(TimeLimits limits, string rule, DateOnly? due) => Calls.TimeLimitMapping.ToProto(limits, rule, due);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
