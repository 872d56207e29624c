using CreditExchange.Domain.Identifiers;

namespace CreditExchange.Tests.Identifiers;

public sealed class ResidentIdNumberTests
{
    private static readonly DateOnly Today = new(2025, 6, 1);

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("360426199101010071")]
    [InlineData("44011320141005001X")]
    public void TryNormalize_PublishedValidNumber_ReturnsTrueUnchanged(string id)
    {
        var ok = ResidentIdNumber.TryNormalize(id, Today, out var normalized, out var error);

        Assert.True(ok, error?.Message);
        Assert.Null(error);
        Assert.Equal(id, normalized);
    }

    [Fact]
    public void TryNormalize_LowercaseX_NormalisedToUppercase()
    {
        var ok = ResidentIdNumber.TryNormalize("11010519491231002x", Today, out var normalized, out var error);

        Assert.True(ok, error?.Message);
        Assert.Equal("11010519491231002X", normalized);
    }

    [Fact]
    public void TryNormalize_WrongCheckCharacter_MessageNamesExpectedCharacter()
    {
        var ok = ResidentIdNumber.TryNormalize("36042619910102009X", Today, out var normalized, out var error);

        Assert.False(ok);
        Assert.Equal(string.Empty, normalized);
        Assert.Equal(IdentifierErrorReasons.CheckCharacterMismatch, error!.Reason);
        Assert.Contains("should be 3", error.Message, StringComparison.Ordinal);
        Assert.True(ResidentIdNumber.TryNormalize("360426199101020093", Today, out _, out _));
    }

    [Fact]
    public void TryNormalize_LowercaseXWhereDigitExpected_CheckMismatch()
    {
        Assert.False(ResidentIdNumber.TryNormalize("36042619910102009x", Today, out _, out var error));
        Assert.Equal(IdentifierErrorReasons.CheckCharacterMismatch, error!.Reason);
    }

    [Theory]
    [InlineData("19910230")] // 30 February
    [InlineData("19910229")] // 1991 is not a leap year
    [InlineData("19900229")]
    [InlineData("19911301")]
    [InlineData("19910001")]
    [InlineData("19910100")]
    [InlineData("19910431")]
    [InlineData("00000000")]
    public void TryNormalize_ImpossibleBirthDate_ImpossibleBirthDate(string yyyymmdd)
    {
        var id = WithCheck("360426" + yyyymmdd + "007");

        var ok = ResidentIdNumber.TryNormalize(id, Today, out _, out var error);

        Assert.False(ok);
        Assert.Equal(IdentifierErrorReasons.ImpossibleBirthDate, error!.Reason);
    }

    [Theory]
    [InlineData("20000229")] // divisible by 400: leap
    [InlineData("19960229")]
    [InlineData("19000101")] // earliest accepted
    [InlineData("20250601")] // born today
    public void TryNormalize_BoundaryRealBirthDate_ReturnsTrue(string yyyymmdd)
    {
        var id = WithCheck("360426" + yyyymmdd + "007");

        Assert.True(ResidentIdNumber.TryNormalize(id, Today, out _, out var error), error?.Message);
    }

    [Theory]
    [InlineData("20250602")]
    [InlineData("20300101")]
    public void TryNormalize_BirthDateAfterToday_BirthDateInFuture(string yyyymmdd)
    {
        var id = WithCheck("150102" + yyyymmdd + "001");

        var ok = ResidentIdNumber.TryNormalize(id, Today, out _, out var error);

        Assert.False(ok);
        Assert.Equal(IdentifierErrorReasons.BirthDateInFuture, error!.Reason);
    }

    [Fact]
    public void TryNormalize_BirthDateBefore1900_Rejected()
    {
        var id = WithCheck("15010218991231001");

        Assert.False(ResidentIdNumber.TryNormalize(id, Today, out _, out var error));
        Assert.Equal(IdentifierErrorReasons.BirthDateBefore1900, error!.Reason);
    }

    [Theory]
    [InlineData("152701", "20010226")] // Ih Ju League, on the day it was retired
    [InlineData("152701", "20050101")]
    [InlineData("152301", "19990113")] // Jirim League
    [InlineData("152601", "20040101")] // Ulanqab League
    [InlineData("152101", "20020101")] // Hulunbuir League
    [InlineData("152401", "19900101")] // Ju Ud League
    [InlineData("152801", "20100101")] // Bayannur League
    public void TryNormalize_RetiredRegionBornAfterRetirement_RetiredRegion(string region, string yyyymmdd)
    {
        var id = WithCheck(region + yyyymmdd + "001");

        var ok = ResidentIdNumber.TryNormalize(id, Today, out _, out var error);

        Assert.False(ok);
        Assert.Equal(IdentifierErrorReasons.RetiredRegion, error!.Reason);
        Assert.DoesNotContain(yyyymmdd, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("152701", "20010225")] // the day before Ih Ju League became Ordos
    [InlineData("152701", "19700101")]
    [InlineData("152401", "19830101")]
    [InlineData("150601", "19700101")] // a new code in an older person's re-issued number
    [InlineData("150000", "19700101")]
    public void TryNormalize_RegionInUseAtOrAfterBirth_ReturnsTrue(string region, string yyyymmdd)
    {
        var id = WithCheck(region + yyyymmdd + "001");

        Assert.True(ResidentIdNumber.TryNormalize(id, Today, out _, out var error), error?.Message);
    }

    [Theory]
    [InlineData("151001")] // no such prefecture in Inner Mongolia
    [InlineData("153001")]
    [InlineData("990101")] // no such province
    [InlineData("000000")]
    [InlineData("830000")] // not among the 34 provincial-level prefixes
    public void TryNormalize_UnknownRegion_UnknownRegion(string region)
    {
        var id = WithCheck(region + "19800101001");

        Assert.False(ResidentIdNumber.TryNormalize(id, Today, out _, out var error));
        Assert.Equal(IdentifierErrorReasons.UnknownRegion, error!.Reason);
    }

    [Theory]
    [InlineData("110105194912310")] // 15-digit first-generation number
    [InlineData("11010519491231002")]
    [InlineData("11010519491231002X0")]
    [InlineData(" 11010519491231002X")]
    public void TryNormalize_WrongLength_WrongLength(string id)
    {
        Assert.False(ResidentIdNumber.TryNormalize(id, Today, out _, out var error));
        Assert.Equal(IdentifierErrorReasons.WrongLength, error!.Reason);
    }

    [Fact]
    public void TryNormalize_FifteenDigits_MessageExplainsConversion()
    {
        Assert.False(ResidentIdNumber.TryNormalize("110105491231002", Today, out _, out var error));
        Assert.Contains("first-generation", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryNormalize_NullOrEmpty_Missing(string? id)
    {
        Assert.False(ResidentIdNumber.TryNormalize(id, Today, out _, out var error));
        Assert.Equal(IdentifierErrorReasons.Missing, error!.Reason);
    }

    [Theory]
    [InlineData("1101051949123100X2")] // X only allowed last
    [InlineData("11010519491231002Y")]
    [InlineData("1101051949-231002X")]
    [InlineData("11010519491231002 ")]
    [InlineData("１1010519491231002X")] // full-width digit one
    public void TryNormalize_ForbiddenCharacter_ForbiddenCharacter(string id)
    {
        Assert.False(ResidentIdNumber.TryNormalize(id, Today, out _, out var error));
        Assert.Equal(IdentifierErrorReasons.ForbiddenCharacter, error!.Reason);
    }

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("36042619910102009X")]
    [InlineData("36042619910230007Y")]
    [InlineData("152701200501010015")]
    [InlineData("11010519491231002")]
    public void TryNormalize_AnyFailure_MessageDoesNotLeakNumberOrBirthDate(string id)
    {
        // Force a failure for the valid vector by validating "before" its holder was born.
        ResidentIdNumber.TryNormalize(id, new DateOnly(1900, 1, 1), out _, out var error);

        Assert.NotNull(error);
        Assert.DoesNotContain(id, error.Message, StringComparison.Ordinal);
        if (id.Length >= 14)
        {
            Assert.DoesNotContain(id.Substring(6, 8), error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("1101051949123100")]
    [InlineData("110105194912310021")]
    [InlineData("1101051949123100X")]
    public void ComputeCheckCharacter_InvalidInput_Throws(string first17)
    {
        Assert.Throws<ArgumentException>(() => ResidentIdNumber.ComputeCheckCharacter(first17));
    }

    internal static string WithCheck(string first17) => first17 + ResidentIdNumber.ComputeCheckCharacter(first17);
}
