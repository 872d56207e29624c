using CreditExchange.Domain.Lifecycle;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Domain.Records;

namespace CreditExchange.Tests.Lifecycle;

public sealed class DisclosurePolicyTests
{
    private static DisclosurePolicy Policy(string version, DateOnly effective, int generalMax = 12) => new(
        version,
        version,
        effective,
        new Dictionary<RecordSeverity, DisclosureTerms>
        {
            [RecordSeverity.Minor] = new(false, 0, 3),
            [RecordSeverity.General] = new(true, 3, generalMax),
            [RecordSeverity.Serious] = new(true, 12, 36),
        },
        new RepairTerms(true, true, true));

    private static readonly DisclosurePolicyBook Book = new([
        Policy("p2026", new DateOnly(2026, 4, 1), 12),
        Policy("p2023", new DateOnly(2023, 1, 1), 24),
        Policy("p2027", new DateOnly(2027, 1, 1), 6),
    ]);

    [Theory]
    [InlineData("2026-04-01", "2026-11-26", "p2026")] // effective on the decision date
    [InlineData("2026-03-31", "2026-11-26", "p2023")] // the day before: the older policy
    [InlineData("2023-01-01", "2026-11-26", "p2023")]
    [InlineData("2027-02-01", "2027-02-02", "p2027")]
    [InlineData("2020-06-01", "2026-11-26", "p2026")] // older than every policy: in force on acceptance
    [InlineData("2020-06-01", "2022-06-01", "p2023")] // ... and older than that too: the earliest
    public void Select_PolicyInForceOnDecisionDate(string decided, string accepted, string expected)
    {
        var policy = Book.Select(DateOnly.Parse(decided, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(accepted, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, policy.Version);
    }

    [Fact]
    public void Fix_PeriodsRunFromDecisionDate_MonthEndClamped()
    {
        var periods = Book.Fix(RecordSeverity.General, new DateOnly(2026, 5, 31), new DateOnly(2026, 6, 1));

        Assert.Equal(new DisclosurePeriods("p2026", true, new DateOnly(2026, 8, 31), new DateOnly(2027, 5, 31)), periods);
        Assert.Equal(new DateOnly(2026, 9, 30), Policy("x", new DateOnly(2026, 1, 1)).PeriodsFor(RecordSeverity.General, new DateOnly(2026, 6, 30)).MinimumEnd);
        Assert.Equal(new DateOnly(2027, 2, 28), Policy("x", new DateOnly(2026, 1, 1)).PeriodsFor(RecordSeverity.Minor, new DateOnly(2026, 11, 30)).MaximumEnd);
    }

    [Fact]
    public void Book_InvalidPolicies_Refused()
    {
        var bad = Policy("bad", new DateOnly(2026, 1, 1)) with
        {
            Tiers = new Dictionary<RecordSeverity, DisclosureTerms> { [RecordSeverity.General] = new(true, 12, 3) },
        };

        Assert.Throws<ArgumentException>(() => new DisclosurePolicyBook([]));
        Assert.Throws<ArgumentException>(() => new DisclosurePolicyBook([bad]));
        Assert.Throws<ArgumentException>(() => new DisclosurePolicyBook([Policy("a", new DateOnly(2026, 1, 1)), Policy("a", new DateOnly(2027, 1, 1))]));
        Assert.Throws<ArgumentException>(() => new DisclosurePolicyBook([Policy("a", new DateOnly(2026, 1, 1)), Policy("b", new DateOnly(2026, 1, 1))]));
    }

    [Fact]
    public void ShippedPolicyFile_IsTheNdrc2026Measures()
    {
        var policies = PolicyFile.Load(Path.Combine(AppContext.BaseDirectory, "Lifecycle", "disclosure-policies.json"));

        var (policy, row) = Assert.Single(policies);
        Assert.Equal("ndrc-credit-repair-2026", policy.Version);
        Assert.Equal(new DateOnly(2026, 4, 1), policy.EffectiveFrom);
        Assert.Equal(new DisclosureTerms(false, 0, 3), policy.Tiers[RecordSeverity.Minor]);
        Assert.Equal(new DisclosureTerms(true, 3, 12), policy.Tiers[RecordSeverity.General]);
        Assert.Equal(new DisclosureTerms(true, 12, 36), policy.Tiers[RecordSeverity.Serious]);
        Assert.Equal(new RepairTerms(true, true, true), policy.Repair);
        Assert.Empty(policy.Problems());
        Assert.Equal(policy.Version, row.Version);
    }

    [Fact]
    public void PolicyFile_MissingMemberOrUnknownTier_Refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"policies":[{"version":"x","title":"x","effectiveFrom":"2026-01-01","tiers":{"huge":{"publishedByDefault":true,"minimumMonths":1,"maximumMonths":2}},"repair":{"requiresMinimumPeriod":true,"requiresObligationsFulfilled":true,"requiresCreditCommitment":true}}]}""");
            Assert.Throws<InvalidOperationException>(() => PolicyFile.Load(path));
            File.WriteAllText(path, """{"policies":[{"version":"x","title":"x","effectiveFrom":"2026-01-01","tiers":{}}]}""");
            Assert.Throws<InvalidOperationException>(() => PolicyFile.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
