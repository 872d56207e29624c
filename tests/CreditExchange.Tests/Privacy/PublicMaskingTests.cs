using CreditExchange.Domain.Publication;

namespace CreditExchange.Tests.Privacy;

/// <summary>The public list's masking rules against what clerks really type (PublicMasking, the one place they live).</summary>
public sealed class PublicMaskingTests
{
    private const string Id = "15010219770530123X";
    private static readonly NamedPerson[] Persons = [new("欧阳修远", Id), new("钱某", "")];

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("张三丰", "张*丰")]
    [InlineData("欧阳修远", "欧**远")]
    [InlineData("王", "*")]
    [InlineData(" 李四 ", "李*")]
    [InlineData("", "")]
    public void Name_FirstAndLastCharacterKept(string name, string expected)
    {
        Assert.Equal(expected, PublicMasking.Name(name));
    }

    [Theory]
    [InlineData("15010219770530123X", "150102************")]
    [InlineData("15010219770530123x", "150102************")]
    [InlineData("１５０１０２１９７７０５３０１２３Ｘ", "150102************")]
    [InlineData("150102 19770530 123X", "150102************")]
    [InlineData("150102770530123", "150102*********")]
    [InlineData("", "*")]
    [InlineData("12345", "*****")]
    public void ResidentId_OnlyTheRegionKept(string id, string expected)
    {
        Assert.Equal(expected, PublicMasking.ResidentId(id));
    }

    public static TheoryData<string> BirthDates() => new()
    {
        "1977年5月30日",
        "1977年05月30日",
        "1977 年 5 月 30 日",
        "1977-05-30",
        "1977-5-30",
        "1977/5/30",
        "1977.5.30",
        "19770530",
        "１９７７年５月３０日",
        "１９７７－０５－３０",
        "一九七七年五月三十日",
        "一九七七年五月",
        "1977年5月",
    };

    /// <summary>A birth date of a person the record names, in any form, with or without 出生 next to it.</summary>
    [Theory]
    [MemberData(nameof(BirthDates))]
    public void FreeText_BirthDateOfANamedPerson_MaskedInEveryForm(string date)
    {
        foreach (var text in new[] { $"欧阳修远，男，{date}出生，汉族。", $"当事人于{date}报到。", $"出生日期：{date}。" })
        {
            var masked = PublicMasking.FreeText(text, Persons);

            AssertNoDate(masked, 1977, 5);
        }
    }

    [Theory]
    [InlineData("张某，1981年3月7日出生，", 1981, 3)]
    [InlineData("张某（生于1981-03-07）", 1981, 3)]
    [InlineData("张某，一九八一年三月七日生，", 1981, 3)]
    [InlineData("张某，出生日期19810307，", 1981, 3)]
    [InlineData("张某，1981.3生，", 1981, 3)]
    public void FreeText_AnyBirthDateWrittenAsSuch_Masked(string text, int year, int month)
    {
        AssertNoDate(PublicMasking.FreeText(text, Persons), year, month);
    }

    [Theory]
    [InlineData("2024年3月5日，某局违规审批。")]
    [InlineData("于2024-03-05作出决定。")]
    [InlineData("罚款5000元，没收违法所得12000元。")]
    [InlineData("(2025)内01执88号")]
    [InlineData("依据《行政处罚法》第五十一条。")]
    public void FreeText_DatesAndNumbersThatAreNotPersonal_Kept(string text)
    {
        Assert.Equal(text, PublicMasking.FreeText(text, Persons));
    }

    [Theory]
    [InlineData("身份证号15010219770530123X。")]
    [InlineData("身份证号15010219770530123x。")]
    [InlineData("身份证号１５０１０２１９７７０５３０１２３Ｘ。")]
    [InlineData("身份证号150102 19770530 123X。")]
    [InlineData("身份证号150102-1977-0530-123X。")]
    [InlineData("身份证号 1501 0219 7705 3012 3X。")]
    [InlineData("ID15010219770530123Xabc")]
    [InlineData("no.15010219770530123X")]
    public void FreeText_ResidentIdHoweverTyped_OnlyRegionLeft(string text)
    {
        var masked = PublicMasking.FreeText(text, Persons);

        AssertNoDigitsBeyondRegion(masked);
        Assert.Contains("150102", masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("旧证150102770530123，", "770530123")]
    [InlineData("电话13800138000。", "13800138000")]
    [InlineData("电话+86 138 0013 8000。", "13800138000")]
    [InlineData("电话+86-138-0013-8000。", "13800138000")]
    [InlineData("手机１３８００１３８０００。", "13800138000")]
    [InlineData("座机0471-6661234。", "04716661234")]
    [InlineData("卡号6222021234567890123，", "6222021234567890123")]
    [InlineData("卡号6222 0212 3456 7890，", "6222021234567890")]
    [InlineData("账户622202123456789012A", "622202123456789012")]
    public void FreeText_PhonesCardsAndOldIds_Masked(string text, string secret)
    {
        var masked = PublicMasking.FreeText(text, Persons);

        Assert.DoesNotContain(secret[^8..], Digits(masked), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("住址：呼和浩特市新城区兴安北路1号3单元，", "兴安北路")]
    [InlineData("家住包头市昆都仑区钢铁大街88号。", "钢铁大街")]
    [InlineData("现住赤峰市红山区某小区2-3-501；", "某小区")]
    [InlineData("户籍地为乌兰察布市集宁区新华街。", "新华街")]
    [InlineData("住所：通辽市科尔沁区民主路（临时）", "民主路")]
    [InlineData("户籍所在地 鄂尔多斯市东胜区天骄路", "天骄路")]
    public void FreeText_Address_MaskedToThePunctuation(string text, string street)
    {
        var masked = PublicMasking.FreeText(text, Persons);

        Assert.DoesNotContain(street, masked, StringComparison.Ordinal);
        Assert.Equal(text[..2], masked[..2]);
    }

    [Theory]
    [InlineData("欧阳修远违规审批。", "欧**远违规审批。")]
    [InlineData("由欧阳 修远签字，钱某经办。", "由欧**远签字，钱*经办。")]
    [InlineData("呼和浩特市某局（政府机关）作出决定。", "呼和浩特市某局（政府机关）作出决定。")]
    public void FreeText_NamesTheRecordNames_MaskedEverywhere_BodiesInFull(string text, string expected)
    {
        Assert.Equal(expected, PublicMasking.FreeText(text, Persons));
    }

    [Fact]
    public void FreeText_UnmaskedTextKeepsWhatWasTyped()
    {
        var text = "当事人欧阳修远（身份证号１５０１０２１９７７０５３０１２３Ｘ），电话：13800138000。";

        Assert.Equal("当事人欧**远（身份证号150102************），电话：***********。", PublicMasking.FreeText(text, Persons));
    }

    private static void AssertNoDate(string masked, int year, int month)
    {
        var flat = Digits(masked);
        Assert.DoesNotContain(year.ToString(System.Globalization.CultureInfo.InvariantCulture), flat, StringComparison.Ordinal);
        Assert.DoesNotContain(Chinese(year), masked, StringComparison.Ordinal);
        Assert.DoesNotContain($"{month}月", masked, StringComparison.Ordinal);
    }

    private static void AssertNoDigitsBeyondRegion(string masked)
    {
        var flat = Digits(masked);
        Assert.True(flat.Length <= 6, $"more than the region survived: {masked}");
        Assert.DoesNotContain("19770530", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("123", flat, StringComparison.Ordinal);
    }

    /// <summary>The text with full-width digits as ASCII and everything but digits removed.</summary>
    private static string Digits(string text) =>
        string.Concat(text.Select(c => c is >= '０' and <= '９' ? (char)(c - '０' + '0') : c).Where(char.IsAsciiDigit));

    private static string Chinese(int year) =>
        string.Concat(year.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => "〇一二三四五六七八九"[c - '0']));
}
