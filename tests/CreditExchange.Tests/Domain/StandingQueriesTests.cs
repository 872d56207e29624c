using CreditExchange.Domain.Records;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Tests.Domain;

/// <summary>The set-based filter answers exactly as the domain's standing, for every status and date.</summary>
public sealed class StandingQueriesTests
{
    [Fact]
    public void InForceOn_EveryStatusAndDate_AgreesWithRecordStanding()
    {
        var decided = new DateOnly(2025, 6, 10);
        DateOnly?[] effects = [null, new DateOnly(2025, 12, 9), decided, PeriodOfEffect.Indefinite];
        DateOnly[] days = [decided.AddDays(-1), decided, new DateOnly(2025, 12, 9), new DateOnly(2025, 12, 10), new DateOnly(2030, 1, 1)];
        var checkedCases = 0;
        foreach (var status in Enum.GetValues<RecordStatus>())
        {
            foreach (var effect in effects)
            {
                var row = new RecordEntity
                {
                    AgencyId = "court", SourceRecordId = "s", ContentHash = [], SubjectKey = "k", DivisionCode = "150102", Content = [],
                    Status = (int)status, DecisionDate = decided, EffectLastDay = effect, Disclosure = (int)RecordDisclosure.Public,
                    DisclosureMaximumEnd = decided.AddMonths(12),
                };
                foreach (var day in days)
                {
                    Assert.Equal(RecordStanding.Of(row.Standing(), day).InForce, StandingQueries.InForceOn(day).Compile()(row));
                    checkedCases++;
                }
            }
        }

        Assert.Equal(6 * 4 * 5, checkedCases);
    }
}
