using CreditExchange.Domain.Identifiers;

namespace CreditExchange.Tests.Identifiers;

public sealed class DivisionCodesTests
{
    private static readonly DateOnly Today = new(2025, 6, 1);

    [Theory]
    [InlineData("150000")]
    [InlineData("150100")]
    [InlineData("150102")]
    [InlineData("150400")]
    [InlineData("150602")]
    [InlineData("150700")]
    [InlineData("150981")]
    [InlineData("152201")]
    [InlineData("152502")]
    [InlineData("152921")]
    [InlineData("150199")] // county digits are not checked
    public void IsCurrentSubjectRegion_CurrentInnerMongoliaCode_ReturnsTrue(string code)
    {
        Assert.True(DivisionCodes.IsCurrentSubjectRegion(code, Today, out var error), error?.Message);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("152100", "150700")]
    [InlineData("152301", "150500")]
    [InlineData("152400", "150400")]
    [InlineData("152601", "150900")]
    [InlineData("152701", "150600")]
    [InlineData("152822", "150800")]
    public void IsCurrentSubjectRegion_RetiredLeague_RetiredRegionNamingSuccessor(string code, string successor)
    {
        var ok = DivisionCodes.IsCurrentSubjectRegion(code, Today, out var error);

        Assert.False(ok);
        Assert.Equal(IdentifierErrorReasons.RetiredRegion, error!.Reason);
        Assert.Contains(successor, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsCurrentSubjectRegion_RetiredLeagueBeforeRetirement_ReturnsTrue()
    {
        Assert.True(DivisionCodes.IsCurrentSubjectRegion("152701", new DateOnly(2001, 2, 25), out _));
        Assert.False(DivisionCodes.IsCurrentSubjectRegion("152701", new DateOnly(2001, 2, 26), out _));
    }

    [Fact]
    public void IsCurrentSubjectRegion_SuccessorBeforeItTookEffect_RegionNotYetEffective()
    {
        Assert.False(DivisionCodes.IsCurrentSubjectRegion("150600", new DateOnly(2001, 2, 25), out var error));
        Assert.Equal(IdentifierErrorReasons.RegionNotYetEffective, error!.Reason);
        Assert.True(DivisionCodes.IsCurrentSubjectRegion("150600", new DateOnly(2001, 2, 26), out _));
    }

    [Theory]
    [InlineData("110105")]
    [InlineData("140000")]
    [InlineData("100000")]
    public void IsCurrentSubjectRegion_OutsideInnerMongolia_UnknownRegion(string code)
    {
        Assert.False(DivisionCodes.IsCurrentSubjectRegion(code, Today, out var error));
        Assert.Equal(IdentifierErrorReasons.UnknownRegion, error!.Reason);
    }

    [Theory]
    [InlineData("151000")]
    [InlineData("152000")]
    [InlineData("153000")]
    [InlineData("159901")]
    public void IsCurrentSubjectRegion_UnknownPrefecture_UnknownRegion(string code)
    {
        Assert.False(DivisionCodes.IsCurrentSubjectRegion(code, Today, out var error));
        Assert.Equal(IdentifierErrorReasons.UnknownRegion, error!.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15010")]
    [InlineData("1501000")]
    [InlineData("15010a")]
    [InlineData("15 100")]
    public void IsCurrentSubjectRegion_NotSixDigits_MalformedRegion(string code)
    {
        Assert.False(DivisionCodes.IsCurrentSubjectRegion(code, Today, out var error));
        Assert.Equal(IdentifierErrorReasons.MalformedRegion, error!.Reason);
    }

    [Theory]
    [InlineData("152701", 2001, 2, 25, true)]
    [InlineData("152701", 2001, 2, 26, false)]
    [InlineData("152301", 1999, 1, 12, true)]
    [InlineData("152301", 1999, 1, 13, false)]
    [InlineData("152601", 2003, 11, 30, true)]
    [InlineData("152601", 2003, 12, 1, false)]
    [InlineData("150900", 1960, 1, 1, true)] // the effective date is irrelevant for birth regions
    [InlineData("110105", 1949, 12, 31, true)]
    [InlineData("500101", 1950, 1, 1, true)] // Chongqing, created 1997; numbers re-issued later
    [InlineData("710000", 1980, 1, 1, true)]
    [InlineData("810000", 1980, 1, 1, true)]
    [InlineData("820000", 1980, 1, 1, true)]
    [InlineData("990101", 1980, 1, 1, false)]
    [InlineData("151001", 1980, 1, 1, false)]
    public void IsPlausibleBirthRegion_DatedTable_ReturnsExpected(string code, int year, int month, int day, bool expected)
    {
        Assert.Equal(expected, DivisionCodes.IsPlausibleBirthRegion(code, new DateOnly(year, month, day), out var error));
        Assert.Equal(expected, error is null);
    }

    [Theory]
    [InlineData("100000", true)]
    [InlineData("110000", true)]
    [InlineData("150000", true)]
    [InlineData("152201", true)]
    [InlineData("350100", true)]
    [InlineData("820000", true)]
    [InlineData("100001", false)]
    [InlineData("000000", false)]
    [InlineData("160000", false)]
    [InlineData("990000", false)]
    [InlineData("15000A", false)]
    [InlineData("15000", false)]
    public void IsKnownCreditCodeRegion_Code_ReturnsExpected(string code, bool expected)
    {
        Assert.Equal(expected, DivisionCodes.IsKnownCreditCodeRegion(code));
    }

    [Fact]
    public void Provinces_Table_HasThirtyFourProvincialLevelDivisions()
    {
        Assert.Equal(34, DivisionCodes.Provinces.Count);
        Assert.Equal("Taiwan", DivisionCodes.Provinces["71"]);
        Assert.Equal("Hong Kong", DivisionCodes.Provinces["81"]);
        Assert.Equal("Macao", DivisionCodes.Provinces["82"]);
    }

    [Fact]
    public void InnerMongolia_RetiredLeague_SuccessorTookOverOnRetirementDay()
    {
        var byCode = DivisionCodes.InnerMongolia.ToDictionary(e => e.Code, StringComparer.Ordinal);
        var retired = DivisionCodes.InnerMongolia.Where(e => e.RetiredOn is not null).ToList();

        Assert.Equal(6, retired.Count);
        foreach (var league in retired)
        {
            var successor = byCode[league.SuccessorCode!];
            Assert.Null(successor.RetiredOn);
            Assert.Equal(league.RetiredOn, successor.EffectiveFrom);
        }
    }

    [Fact]
    public void InnerMongolia_Today_TwelvePrefecturesAndRegionCurrent()
    {
        Assert.Equal(13, DivisionCodes.InnerMongolia.Count(e => e.IsCurrentOn(Today)));
    }
}
