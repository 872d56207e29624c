using CreditExchange.Domain.Identifiers;

namespace CreditExchange.Tests.Identifiers;

public sealed class UnifiedSocialCreditCodeTests
{
    public static TheoryData<string> ValidCodes => new()
    {
        "91350100M000100Y43", // letters inside the organization code (M=22, Y=34)
        "91110000600037341L",
        "531000005000160090", // check character 0
        "91152201078371135X", // Hinggan League, organization check X
        "911522010783762860", // check character 0
        "91152201078382010M",
    };

    [Theory]
    [MemberData(nameof(ValidCodes))]
    public void TryValidate_PublishedValidCode_ReturnsTrue(string code)
    {
        var ok = UnifiedSocialCreditCode.TryValidate(code, out var error);

        Assert.True(ok, error?.Message);
        Assert.Null(error);
    }

    [Theory]
    [MemberData(nameof(ValidCodes))]
    public void ComputeCheckCharacter_PublishedValidCode_ReturnsLastCharacter(string code)
    {
        Assert.Equal(code[17], UnifiedSocialCreditCode.ComputeCheckCharacter(code.AsSpan(0, 17)));
    }

    [Theory]
    [MemberData(nameof(ValidCodes))]
    public void ComputeOrganizationCodeCheckCharacter_PublishedValidCode_ReturnsCharacter17(string code)
    {
        Assert.Equal(code[16], UnifiedSocialCreditCode.ComputeOrganizationCodeCheckCharacter(code.AsSpan(8, 8)));
    }

    [Theory]
    [MemberData(nameof(ValidCodes))]
    public void TryValidate_EveryOtherCheckCharacter_Rejected(string code)
    {
        var tried = 0;
        foreach (var replacement in UnifiedSocialCreditCode.Alphabet)
        {
            if (replacement == code[17])
            {
                continue;
            }

            var mutated = string.Concat(code.AsSpan(0, 17), replacement.ToString());
            var ok = UnifiedSocialCreditCode.TryValidate(mutated, out var error);

            Assert.False(ok);
            Assert.Equal(IdentifierErrorReasons.CheckCharacterMismatch, error!.Reason);
            Assert.Contains($"should be {code[17]}", error.Message, StringComparison.Ordinal);
            tried++;
        }

        Assert.Equal(30, tried);
    }

    [Fact]
    public void TryValidate_WrongCheckCharacter_MessageNamesExpectedCharacter()
    {
        var ok = UnifiedSocialCreditCode.TryValidate("91110108551385082F", out var error);

        Assert.False(ok);
        Assert.Equal(IdentifierErrorReasons.CheckCharacterMismatch, error!.Reason);
        Assert.Contains("should be Q", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("91110108551385082F", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryValidate_CorrectedCheckCharacter_ReturnsTrue()
    {
        Assert.True(UnifiedSocialCreditCode.TryValidate("91110108551385082Q", out _));
    }

    [Fact]
    public void TryValidate_OuterCheckCoincidentallyRight_RejectedByOrganizationCheck()
    {
        // 123456789012345678 satisfies the mod-31 check by coincidence; only the inner
        // GB 11714 check exposes it as made up.
        Assert.Equal('8', UnifiedSocialCreditCode.ComputeCheckCharacter("12345678901234567"));

        var ok = UnifiedSocialCreditCode.TryValidate("123456789012345678", out var error);

        Assert.False(ok);
        Assert.Equal(IdentifierErrorReasons.OrganizationCodeCheckMismatch, error!.Reason);
        Assert.Contains("should be 8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('S')]
    [InlineData('V')]
    [InlineData('Z')]
    public void TryValidate_ExcludedLetter_ForbiddenCharacter(char letter)
    {
        foreach (var position in new[] { 0, 1, 8, 12, 16, 17 })
        {
            var chars = "91350100M000100Y43".ToCharArray();
            chars[position] = letter;

            var ok = UnifiedSocialCreditCode.TryValidate(new string(chars), out var error);

            Assert.False(ok);
            Assert.Equal(IdentifierErrorReasons.ForbiddenCharacter, error!.Reason);
            Assert.Contains($"position {position + 1}", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("91110000600037341l")]
    [InlineData("91350100m000100Y43")]
    public void TryValidate_Lowercase_RefusedNotNormalised(string code)
    {
        var ok = UnifiedSocialCreditCode.TryValidate(code, out var error);

        Assert.False(ok);
        Assert.Equal(IdentifierErrorReasons.ForbiddenCharacter, error!.Reason);
        Assert.Contains("lowercase", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9111000060003734 L")]
    [InlineData("91110000-00037341L")]
    [InlineData("91110000６00037341L")] // full-width digit six
    public void TryValidate_NonAlphabetCharacter_ForbiddenCharacter(string code)
    {
        Assert.False(UnifiedSocialCreditCode.TryValidate(code, out var error));
        Assert.Equal(IdentifierErrorReasons.ForbiddenCharacter, error!.Reason);
    }

    [Theory]
    [InlineData("91110000600037341")]
    [InlineData("91110000600037341LL")]
    [InlineData(" 91110000600037341L")]
    [InlineData("91110000600037341L ")]
    [InlineData("1")]
    public void TryValidate_WrongLength_WrongLength(string code)
    {
        var ok = UnifiedSocialCreditCode.TryValidate(code, out var error);

        Assert.False(ok);
        Assert.Equal(IdentifierErrorReasons.WrongLength, error!.Reason);
        Assert.Contains($"got {code.Length}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryValidate_NullOrEmpty_Missing(string? code)
    {
        Assert.False(UnifiedSocialCreditCode.TryValidate(code, out var error));
        Assert.Equal(IdentifierErrorReasons.Missing, error!.Reason);
    }

    [Theory]
    [InlineData("990000")]
    [InlineData("000000")]
    [InlineData("160000")]
    public void TryValidate_UnknownRegionWithValidChecks_UnknownRegion(string region)
    {
        var code = Build("91", region, "MA0CX5E8");

        var ok = UnifiedSocialCreditCode.TryValidate(code, out var error);

        Assert.False(ok);
        Assert.Equal(IdentifierErrorReasons.UnknownRegion, error!.Reason);
    }

    [Theory]
    [InlineData("100000")] // registered by a central authority
    [InlineData("150000")]
    [InlineData("152921")]
    [InlineData("820000")]
    public void TryValidate_KnownRegionWithValidChecks_ReturnsTrue(string region)
    {
        Assert.True(UnifiedSocialCreditCode.TryValidate(Build("11", region, "01234567"), out var error), error?.Message);
    }

    [Fact]
    public void TryValidate_PilotCodeWithoutOverride_Rejected()
    {
        // 91350100M0001TGQXM: its organization code is fine (X) but the mod-31 check gives 1.
        var ok = UnifiedSocialCreditCode.TryValidate("91350100M0001TGQXM", out var error);

        Assert.False(ok);
        Assert.Equal(IdentifierErrorReasons.CheckCharacterMismatch, error!.Reason);
        Assert.Contains("should be 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryValidate_PilotCodeListedInOverride_ReturnsTrue()
    {
        var accepted = new HashSet<string>(StringComparer.Ordinal) { "91350100M0001TGQXM" };

        Assert.True(UnifiedSocialCreditCode.TryValidate("91350100M0001TGQXM", accepted, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void TryValidate_OverrideListsInnerCheckFailure_ReturnsTrue()
    {
        var accepted = new HashSet<string>(StringComparer.Ordinal) { "123456789012345678" };

        Assert.True(UnifiedSocialCreditCode.TryValidate("123456789012345678", accepted, out _));
    }

    [Fact]
    public void TryValidate_OverrideDoesNotListCode_StillRejected()
    {
        var accepted = new HashSet<string>(StringComparer.Ordinal) { "91350100M0001TGQXM" };

        Assert.False(UnifiedSocialCreditCode.TryValidate("91110108551385082F", accepted, out var error));
        Assert.Equal(IdentifierErrorReasons.CheckCharacterMismatch, error!.Reason);
    }

    [Theory]
    [InlineData("91350100M0001TGQX", IdentifierErrorReasons.WrongLength)]
    [InlineData("91350100M0001TGQXZ", IdentifierErrorReasons.ForbiddenCharacter)]
    [InlineData("91350100m0001TGQXM", IdentifierErrorReasons.ForbiddenCharacter)]
    [InlineData("91990100M0001TGQXM", IdentifierErrorReasons.UnknownRegion)]
    public void TryValidate_OverrideListsStructurallyBrokenCode_StillRejected(string code, string reason)
    {
        var accepted = new HashSet<string>(StringComparer.Ordinal) { code };

        Assert.False(UnifiedSocialCreditCode.TryValidate(code, accepted, out var error));
        Assert.Equal(reason, error!.Reason);
    }

    [Fact]
    public void TryValidate_OverrideSetNull_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => UnifiedSocialCreditCode.TryValidate("91110000600037341L", null!, out _));
    }

    [Theory]
    [InlineData("M000100Y", '4')]
    [InlineData("60003734", '1')]
    [InlineData("M0001TGQ", 'X')] // result 10 → X
    public void ComputeOrganizationCodeCheckCharacter_LettersCountFromTen_ReturnsStandardCharacter(string body, char expected)
    {
        Assert.Equal(expected, UnifiedSocialCreditCode.ComputeOrganizationCodeCheckCharacter(body));
    }

    [Fact]
    public void ComputeOrganizationCodeCheckCharacter_SumDivisibleByEleven_ReturnsZero()
    {
        // 11 − 0 = 11 maps to 0, not to "11".
        Assert.Equal('0', UnifiedSocialCreditCode.ComputeOrganizationCodeCheckCharacter("00000000"));
    }

    [Theory]
    [InlineData("1234567890123456")]
    [InlineData("123456789012345678")]
    [InlineData("1234567890123456I")]
    [InlineData("1234567890123456a")]
    public void ComputeCheckCharacter_InvalidInput_Throws(string first17)
    {
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.ComputeCheckCharacter(first17));
    }

    [Theory]
    [InlineData("1234567")]
    [InlineData("1234567a")]
    public void ComputeOrganizationCodeCheckCharacter_InvalidInput_Throws(string body)
    {
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.ComputeOrganizationCodeCheckCharacter(body));
    }

    /// <summary>Builds a code whose two check characters are right.</summary>
    [Theory]
    [InlineData("91", true)]  // market regulator: enterprise
    [InlineData("92", true)]  // individual business
    [InlineData("93", true)]  // farmers' cooperative
    [InlineData("12", true)]  // public institution (事业单位)
    [InlineData("11", false)] // government body (机关)
    [InlineData("13", false)] // mass organisation under the establishment authorities
    [InlineData("51", false)] // civil affairs: social organisation
    [InlineData("99", false)] // market regulator, no such kind
    public void TryValidateMarketSubject_ByAuthorityAndKind_AcceptsMarketSubjectsOnly(string authorityAndKind, bool market)
    {
        var code = Build(authorityAndKind, "150102", "MA0B1C2D");
        Assert.True(UnifiedSocialCreditCode.TryValidate(code, out _));

        Assert.Equal(market, UnifiedSocialCreditCode.TryValidateMarketSubject(code, new HashSet<string>(), out var error));
        Assert.Equal(market ? null : IdentifierErrorReasons.NotMarketSubjectCode, error?.Reason);
        // The government-body rule is its mirror for the establishment authorities' bodies: a market subject is never one.
        if (market && authorityAndKind[0] == '9')
        {
            Assert.False(UnifiedSocialCreditCode.TryValidateGovernmentBody(code, new HashSet<string>(), out _));
        }

        // An operator's accepted nonconforming code passes as it is.
        Assert.True(UnifiedSocialCreditCode.TryValidateMarketSubject(code, new HashSet<string> { code }, out _));
    }

    internal static string Build(string authorityAndKind, string region, string organizationBody)
    {
        var first16 = authorityAndKind + region + organizationBody;
        var first17 = first16 + UnifiedSocialCreditCode.ComputeOrganizationCodeCheckCharacter(organizationBody);
        return first17 + UnifiedSocialCreditCode.ComputeCheckCharacter(first17);
    }
}
