using CreditExchange.Domain.Identifiers;

namespace CreditExchange.Tests.Identifiers;

/// <summary>
/// Property-style tests with a fixed seed, so that a failure is reproducible.
/// </summary>
public sealed class IdentifierPropertyTests
{
    private const int Seed = 20170901;
    private const int Samples = 1000;
    private static readonly DateOnly Today = new(2025, 6, 1);

    private static readonly string[] CreditCodeRegions =
        ["100000", "110108", "150000", "150102", "150602", "152201", "152921", "350100", "440300", "820000"];

    private static readonly string[] BirthRegions =
        ["150102", "150203", "150421", "150602", "150781", "152201", "152502", "152921", "110105", "360426", "440113", "650102"];

    private const string ResidentCheckAlphabet = "0123456789X";

    [Fact]
    public void TryValidate_RandomCreditCodesWithComputedChecks_AcceptedAndEverySubstitutionRejected()
    {
        var random = new Random(Seed);
        const string alphabet = UnifiedSocialCreditCode.Alphabet;
        var mutationsChecked = 0;

        for (var sample = 0; sample < Samples; sample++)
        {
            var body = new char[8];
            for (var i = 0; i < body.Length; i++)
            {
                body[i] = alphabet[random.Next(alphabet.Length)];
            }

            var code = UnifiedSocialCreditCodeTests.Build(
                string.Concat(alphabet[random.Next(alphabet.Length)].ToString(), alphabet[random.Next(alphabet.Length)].ToString()),
                CreditCodeRegions[random.Next(CreditCodeRegions.Length)],
                new string(body));

            Assert.True(UnifiedSocialCreditCode.TryValidate(code, out var error), error?.Message);

            for (var position = 0; position < code.Length; position++)
            {
                foreach (var replacement in alphabet)
                {
                    if (replacement == code[position])
                    {
                        continue;
                    }

                    var chars = code.ToCharArray();
                    chars[position] = replacement;
                    var mutated = new string(chars);

                    // 31 is prime and every weight is non-zero mod 31, so a single
                    // substitution always changes the sum: the outer check alone catches it.
                    Assert.NotEqual(mutated[17], UnifiedSocialCreditCode.ComputeCheckCharacter(mutated.AsSpan(0, 17)));
                    Assert.False(UnifiedSocialCreditCode.TryValidate(mutated, out _));
                    mutationsChecked++;
                }
            }
        }

        Assert.Equal(Samples * 18 * 30, mutationsChecked);
    }

    [Fact]
    public void TryNormalize_RandomResidentIdsWithComputedCheck_AcceptedAndEverySubstitutionRejected()
    {
        var random = new Random(Seed);
        var earliest = new DateOnly(1930, 1, 1).DayNumber;
        var latest = new DateOnly(2007, 12, 31).DayNumber;
        var mutationsChecked = 0;

        for (var sample = 0; sample < Samples; sample++)
        {
            var birthDate = DateOnly.FromDayNumber(random.Next(earliest, latest + 1));
            var first17 = BirthRegions[random.Next(BirthRegions.Length)]
                + birthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
                + random.Next(1000).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            var id = ResidentIdNumberTests.WithCheck(first17);

            Assert.True(ResidentIdNumber.TryNormalize(id, Today, out var normalized, out var error), error?.Message);
            Assert.Equal(id, normalized);

            for (var position = 0; position < id.Length; position++)
            {
                var replacements = position == 17 ? ResidentCheckAlphabet : "0123456789";
                foreach (var replacement in replacements)
                {
                    if (replacement == id[position])
                    {
                        continue;
                    }

                    var chars = id.ToCharArray();
                    chars[position] = replacement;
                    var mutated = new string(chars);

                    // 11 is prime and every weight is non-zero mod 11; digit differences are
                    // 1..9, so a single substitution always changes the sum mod 11.
                    Assert.NotEqual(mutated[17], ResidentIdNumber.ComputeCheckCharacter(mutated.AsSpan(0, 17)));
                    Assert.False(ResidentIdNumber.TryNormalize(mutated, Today, out _, out _));
                    mutationsChecked++;
                }
            }
        }

        Assert.Equal(Samples * ((17 * 9) + 10), mutationsChecked);
    }
}
