using System.Reflection;
using Google.Protobuf.Reflection;
using Proto = CreditExchange.Contracts;

namespace CreditExchange.Tests.Domain;

/// <summary>
/// The domain's enums and the contract's agree by name and number, so that mapping one to the other
/// by a cast can never change a meaning: every non-zero contract value has a domain value of the same
/// name and number, and the domain has no other.
/// </summary>
public sealed class ContractEnumAgreementTests
{
    public static TheoryData<Type, Type> Pairs => new()
    {
        { typeof(Proto.Records.V1.Category), typeof(CreditExchange.Domain.Records.RecordCategory) },
        { typeof(Proto.Records.V1.Severity), typeof(CreditExchange.Domain.Records.RecordSeverity) },
        { typeof(Proto.Records.V1.RecordDomain), typeof(CreditExchange.Domain.Records.RecordDomain) },
        { typeof(Proto.Records.V1.Disclosure), typeof(CreditExchange.Domain.Records.RecordDisclosure) },
        { typeof(Proto.Records.V1.RecordStatus), typeof(CreditExchange.Domain.Records.RecordStatus) },
        { typeof(Proto.Records.V1.PenaltyKind), typeof(CreditExchange.Domain.Records.PenaltyKind) },
        { typeof(Proto.Records.V1.SanctionKind), typeof(CreditExchange.Domain.Records.SanctionKind) },
        { typeof(Proto.Records.V1.AccountabilityMeasure), typeof(CreditExchange.Domain.Records.AccountabilityMeasure) },
        { typeof(Proto.Records.V1.ResponsibleRole), typeof(CreditExchange.Domain.Records.ResponsibleRole) },
        { typeof(Proto.Records.V1.DishonestConduct), typeof(CreditExchange.Domain.Records.DishonestConduct) },
        { typeof(Proto.Records.V1.ListingRemovalGround), typeof(CreditExchange.Domain.Records.ListingRemovalGround) },
        { typeof(Proto.Lifecycle.V1.RecordChange), typeof(CreditExchange.Domain.Lifecycle.RecordChange) },
        { typeof(Proto.Lifecycle.V1.ObjectionState), typeof(CreditExchange.Domain.Lifecycle.ObjectionState) },
        { typeof(Proto.Lifecycle.V1.RepairState), typeof(CreditExchange.Domain.Lifecycle.RepairState) },
        { typeof(Proto.Lifecycle.V1.ComplaintGround), typeof(CreditExchange.Domain.Lifecycle.ComplaintGround) },
        { typeof(Proto.Lifecycle.V1.ComplaintState), typeof(CreditExchange.Domain.Lifecycle.ComplaintState) },
        { typeof(Proto.Lifecycle.V1.SanctionReviewOutcome), typeof(CreditExchange.Domain.Lifecycle.SanctionReviewOutcome) },
        { typeof(Proto.Bidding.V1.BiddingDomain), typeof(CreditExchange.Domain.Bidding.BiddingDomain) },
        { typeof(Proto.Bidding.V1.MarketRole), typeof(CreditExchange.Domain.Bidding.MarketRole) },
        { typeof(Proto.Bidding.V1.EntryState), typeof(CreditExchange.Domain.Bidding.EntryState) },
        { typeof(Proto.Evaluation.V1.IndicatorKind), typeof(CreditExchange.Domain.Evaluation.IndicatorKind) },
        { typeof(Proto.Evaluation.V1.PeriodKind), typeof(CreditExchange.Domain.Evaluation.EvaluationPeriodKind) },
        { typeof(Proto.Appraisal.V1.AppraisalType), typeof(CreditExchange.Domain.Appraisal.AppraisalType) },
        { typeof(Proto.Appraisal.V1.Decision), typeof(CreditExchange.Domain.Appraisal.Decision) },
        { typeof(Proto.Appraisal.V1.AppraisalBasis), typeof(CreditExchange.Domain.Records.AppraisalBasis) },
        { typeof(Proto.Statistics.V1.RegionLevel), typeof(CreditExchange.Domain.Statistics.RegionLevel) },
        { typeof(Proto.Statistics.V1.Dimension), typeof(CreditExchange.Domain.Statistics.StatisticsDimension) },
        { typeof(Proto.Statistics.V1.Period), typeof(CreditExchange.Domain.Statistics.PeriodLength) },
        { typeof(Proto.Statistics.V1.WarningTarget), typeof(CreditExchange.Domain.Statistics.WarningTarget) },
        { typeof(Proto.Statistics.V1.WarningReason), typeof(CreditExchange.Domain.Statistics.WarningReason) },
        { typeof(Proto.Errors.V1.ErrorReason), typeof(CreditExchange.Domain.Errors.ErrorReason) },
        { typeof(Proto.Errors.V1.FieldViolationReason), typeof(CreditExchange.Domain.Errors.FieldViolationReason) },
        { typeof(Proto.Feed.V1.PunishmentAction), typeof(CreditExchange.Domain.Feed.PunishmentAction) },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void DomainEnum_AgreesWithContractByNameAndNumber(Type contract, Type domain)
    {
        var expected = Values(contract).Where(v => v.Number != 0).ToList();
        var actual = Values(domain).Where(v => v.Number != 0).ToList(); // a domain Unspecified mirrors the contract's zero

        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(v => v.Number), actual.OrderBy(v => v.Number));
    }

    [Fact]
    public void Pairs_CoverEveryContractEnumTheDomainMirrors()
    {
        // A new contract enum with a domain twin must be listed above; this catches a forgotten pair.
        var listed = Pairs.Select(p => (Type)p[0]).ToHashSet();
        var domainNames = typeof(CreditExchange.Domain.Records.RecordStanding).Assembly.GetTypes().Where(t => t.IsEnum).Select(t => t.Name).ToHashSet();
        var mirrored = typeof(Proto.Records.V1.Record).Assembly.GetTypes()
            .Where(t => t.IsEnum && t.Namespace?.StartsWith("CreditExchange.Contracts.", StringComparison.Ordinal) == true && t.DeclaringType is null)
            .Where(t => domainNames.Contains(t.Name));
        Assert.All(mirrored, t => Assert.Contains(t, listed));
    }

    /// <summary>Names as the C# code spells them (the contract's value names, prefix removed, in Pascal case).</summary>
    private static IEnumerable<(string Name, int Number)> Values(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (f.Name, Convert.ToInt32(f.GetValue(null), System.Globalization.CultureInfo.InvariantCulture)));
}
