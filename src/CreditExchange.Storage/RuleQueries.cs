using System.Linq.Expressions;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Storage;

/// <summary>
/// Who may see a record (Domain <see cref="RecordVisibility"/>) as query filters, for lists that cannot load every row
/// to ask the domain. Built from the rule's own status list; a test checks that each filter answers exactly as the
/// domain does for every status and kind of agency.
/// </summary>
public static class VisibilityQueries
{
    /// <summary>The records <paramref name="caller"/> may read (<see cref="RecordVisibility.Shares"/>).</summary>
    public static Expression<Func<RecordEntity, bool>> SharedWith(Agency caller)
    {
        var id = caller.Id;
        if (!caller.MayQuery)
        {
            return r => r.AgencyId == id;
        }

        var shared = RecordVisibility.SharedStatuses.Select(s => (int)s).ToList();
        return r => r.AgencyId == id || shared.Contains(r.Status);
    }
}

/// <summary>
/// When a handling is overdue (Domain <see cref="Overdue"/>) as query filters for the overdue list and its count; a
/// test checks them against the domain for every state and day.
/// </summary>
public static class OverdueQueries
{
    /// <summary>The objections overdue on <paramref name="today"/> (<see cref="Overdue.Objection"/>).</summary>
    public static Expression<Func<ObjectionEntity, bool>> Objections(DateOnly today)
    {
        const int Open = (int)ObjectionState.Open;
        return o => o.State == Open && o.AnswerDueDate < today;
    }

    /// <summary>The repair applications overdue on <paramref name="today"/> (<see cref="Overdue.Repair"/>).</summary>
    public static Expression<Func<RepairApplicationEntity, bool>> Repairs(DateOnly today)
    {
        const int Pending = (int)RepairState.Pending;
        return r => r.State == Pending && r.DecisionDueDate != null && r.DecisionDueDate < today;
    }

    /// <summary>The complaints overdue on <paramref name="today"/> (<see cref="Overdue.Complaint"/>).</summary>
    public static Expression<Func<ComplaintEntity, bool>> Complaints(DateOnly today)
    {
        const int Open = (int)ComplaintState.Open;
        return c => c.State == Open && c.ReviewDueDate < today;
    }
}
