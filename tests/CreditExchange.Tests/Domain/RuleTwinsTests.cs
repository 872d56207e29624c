using System.Collections.Frozen;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Tests.Domain;

/// <summary>
/// Each rule that a list must apply in SQL has one owner in the domain and its query twin beside it in Storage: the
/// twin answers exactly as the owner for every status, kind of agency and day (as <see cref="StandingQueriesTests"/>
/// does for "in force").
/// </summary>
public sealed class RuleTwinsTests
{
    private static readonly Agency Source = Agency("court", mayQuery: false);
    private static readonly Agency QueryingOther = Agency("drc", mayQuery: true);
    private static readonly Agency PlainOther = Agency("finance", mayQuery: false);
    private static readonly Agency QueryingSource = Agency("court", mayQuery: true);

    private static readonly DateOnly Decided = new(2025, 6, 10);
    private static readonly DateOnly[] Days = [Decided, Decided.AddMonths(6).AddDays(-1), Decided.AddMonths(6), Decided.AddMonths(6).AddDays(1), new(2040, 1, 1)];

    [Fact]
    public void VisibilityQueries_EveryStatusAndAgency_AgreeWithRecordVisibility()
    {
        var cases = 0;
        foreach (var status in Enum.GetValues<RecordStatus>())
        {
            foreach (var caller in new[] { Source, QueryingOther, PlainOther, QueryingSource })
            {
                var row = Row(status, Decided.AddMonths(12));

                Assert.Equal(RecordVisibility.Shares(caller, row.AgencyId, status), VisibilityQueries.SharedWith(caller).Compile()(row));
                cases++;
            }
        }

        Assert.Equal(6 * 4, cases);
        // The rule itself: repaired records are the source's alone; others without query rights see nothing.
        Assert.False(RecordVisibility.Shares(QueryingOther, "court", RecordStatus.Repaired));
        Assert.True(RecordVisibility.Shares(Source, "court", RecordStatus.Repaired));
        Assert.False(RecordVisibility.Shares(PlainOther, "court", RecordStatus.Active));
        Assert.True(RecordVisibility.Follows(QueryingOther, "court"));
    }

    [Fact]
    public void DueForExpiryOn_EveryStatusAndDay_AgreesWithRecordStanding()
    {
        var cases = 0;
        foreach (var status in Enum.GetValues<RecordStatus>())
        {
            var row = Row(status, Decided.AddMonths(6));
            foreach (var day in Days)
            {
                Assert.Equal(RecordStanding.Of(row.Standing(), day).DueForExpiryRecord, StandingQueries.DueForExpiryOn(day).Compile()(row));
                cases++;
            }
        }

        Assert.Equal(6 * Days.Length, cases);
    }

    [Fact]
    public void DueForEffectEndOn_EveryStatusLastDayRecordedEndAndDay_AgreesWithRecordStanding()
    {
        var lastDays = new DateOnly?[] { null, Decided.AddMonths(6).AddDays(-1), PeriodOfEffect.Indefinite };
        var cases = 0;
        var due = 0;
        foreach (var status in Enum.GetValues<RecordStatus>())
        {
            foreach (var last in lastDays)
            {
                foreach (var recorded in new DateOnly?[] { null, last, Decided.AddDays(3) })
                {
                    var row = Row(status, Decided.AddMonths(12));
                    row.EffectLastDay = last;
                    row.EffectEndRecorded = recorded;
                    foreach (var day in Days)
                    {
                        var owner = RecordStanding.Of(row.Standing(), day).DueForEffectEndRecord(recorded);
                        Assert.Equal(owner, StandingQueries.DueForEffectEndOn(day).Compile()(row));
                        due += owner ? 1 : 0;
                        cases++;
                    }
                }
            }
        }

        Assert.Equal(6 * 3 * 3 * Days.Length, cases);
        // Due: the four standing states, the ending last day, not yet recorded (two ways), on the three days after it.
        Assert.Equal(4 * 2 * 3, due);
    }

    [Fact]
    public void OverdueQueries_EveryStateAndDay_AgreeWithOverdue()
    {
        var due = Decided.AddMonths(6);
        var cases = 0;
        foreach (var day in Days)
        {
            foreach (var state in Enum.GetValues<ObjectionState>())
            {
                var objection = new ObjectionEntity { State = (int)state, AnswerDueDate = due, FiledBy = "drc", Grounds = "", SourceAgencyId = "court" };
                Assert.Equal(Overdue.Objection(state, due, day), OverdueQueries.Objections(day).Compile()(objection));
                cases++;
            }

            foreach (var state in Enum.GetValues<ComplaintState>())
            {
                var complaint = new ComplaintEntity { State = (int)state, ReviewDueDate = due, FiledBy = "drc", Grounds = "", SourceAgencyId = "court" };
                Assert.Equal(Overdue.Complaint(state, due, day), OverdueQueries.Complaints(day).Compile()(complaint));
                cases++;
            }

            foreach (var state in Enum.GetValues<RepairState>())
            {
                foreach (var decisionDue in new DateOnly?[] { due, null })
                {
                    var repair = new RepairApplicationEntity
                    {
                        State = (int)state, DecisionDueDate = decisionDue, AppliedBy = "drc", SourceAgencyId = "finance", ObligationsEvidence = "", CreditCommitment = "",
                    };
                    Assert.Equal(Overdue.Repair(state, decisionDue, day), OverdueQueries.Repairs(day).Compile()(repair));
                    cases++;
                }
            }
        }

        Assert.Equal(Days.Length * (5 + 3 + (4 * 2)), cases);
        Assert.False(Overdue.Objection(ObjectionState.Open, due, due));
        Assert.True(Overdue.Objection(ObjectionState.Open, due, due.AddDays(1)));
    }

    private static RecordEntity Row(RecordStatus status, DateOnly disclosureEnd) => new()
    {
        AgencyId = "court", SourceRecordId = "s", ContentHash = [], SubjectKey = "k", DivisionCode = "150102", Content = [],
        Status = (int)status, DecisionDate = Decided, Disclosure = (int)RecordDisclosure.Public, DisclosureMaximumEnd = disclosureEnd,
        PolicyVersion = "2017-nmg-123",
    };

    private static Agency Agency(string id, bool mayQuery) =>
        new(id, id, FrozenSet<RecordCategory>.Empty, FrozenSet<RecordDomain>.Empty, FrozenSet<string>.Empty, mayQuery, Suspended: false);
}
