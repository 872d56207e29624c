using CreditExchange.Server.Pipeline;
using Google.Rpc;

namespace CreditExchange.Tests.Tools;

public sealed class LocalizedErrorTests
{
    [Theory]
    [InlineData("zh-CN", true)]
    [InlineData("zh-Hans-CN", true)]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.5", true)]
    [InlineData("fr-FR, zh;q=0.2", true)]
    [InlineData("en-US,zh;q=0.5", false)]
    [InlineData("zh;q=0, en", false)]
    [InlineData("fr-FR", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData(";;;", false)]
    public void PrefersChinese_AcceptLanguage_HighestWeightedZhOrEnWins(string? acceptLanguage, bool expected) =>
        Assert.Equal(expected, CallErrors.PrefersChinese(acceptLanguage));

    [Fact]
    public void Chinese_InvalidRequest_NamesTheFields()
    {
        var badRequest = new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "record.subject.civil_servant.resident_id" } } };

        Assert.Contains("record.subject.civil_servant.resident_id", LocalizedReasons.Chinese("INVALID_REQUEST", badRequest), StringComparison.Ordinal);
    }

    [Fact]
    public void Chinese_ReasonWithoutTranslation_Null() => Assert.Null(LocalizedReasons.Chinese("STORAGE_UNAVAILABLE", null));
}
