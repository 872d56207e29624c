namespace CreditExchange.Domain.Identifiers;

/// <summary>
/// The 18-character unified social credit code (统一社会信用代码) of GB 32100-2015.
/// </summary>
/// <remarks>
/// Layout (1-based): 1 registration authority, 2 organization kind, 3–8 region
/// (GB/T 2260), 9–17 the GB 11714 organization code including its own check character
/// at 17, 18 the check character over 1–17.
/// </remarks>
public static class UnifiedSocialCreditCode
{
    /// <summary>The 31 characters GB 32100 uses; I, O, S, V and Z are left out as easily misread.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    public const int Length = 18;

    /// <summary>3^i mod 31 for positions 1–17.</summary>
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>GB 11714 weights for the eight body characters of the organization code.</summary>
    private static readonly int[] OrganizationWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Validates a code strictly: lowercase and whitespace are refused, not normalised,
    /// because the code is copied verbatim into publications and national exchanges.</summary>
    public static bool TryValidate(string? value, out IdentifierError? error) =>
        Validate(value, acceptedNonconforming: null, out error);

    /// <summary>
    /// Validates a code, but accepts the check-character failures of codes an operator has
    /// listed in <paramref name="acceptedNonconforming"/>. Some codes issued during the
    /// 2015 pilots fail their check characters (e.g. 91350100M0001TGQXM) yet are the legal
    /// identity of real bodies; the override makes accepting them an explicit, reviewable
    /// decision instead of a silent weakening of the rule. Length, alphabet and region are
    /// still required.
    /// </summary>
    public static bool TryValidate(string? value, IReadOnlySet<string> acceptedNonconforming, out IdentifierError? error)
    {
        ArgumentNullException.ThrowIfNull(acceptedNonconforming);
        return Validate(value, acceptedNonconforming, out error);
    }

    /// <summary>Registration authority (character 1) of bodies under the establishment authorities (机构编制: 机关, 事业单位, 群团 and others).</summary>
    public const char EstablishmentAuthority = '1';

    /// <summary>
    /// Whether a (valid) code may identify a government body: its registration authority must be
    /// the establishment authorities (1), never e.g. the market regulator (9, enterprises). Codes an
    /// operator listed in <paramref name="acceptedNonconforming"/> are accepted as they are.
    /// </summary>
    public static bool TryValidateGovernmentBody(string code, IReadOnlySet<string> acceptedNonconforming, out IdentifierError? error)
    {
        ArgumentNullException.ThrowIfNull(acceptedNonconforming);
        if (code.Length == 0 || code[0] == EstablishmentAuthority || acceptedNonconforming.Contains(code))
        {
            error = null;
            return true;
        }

        var authority = code[0] switch
        {
            '9' => "9, the market regulator (工商): an enterprise",
            '5' => "5, civil affairs (民政): a social organisation",
            _ => $"{code[0]}, not the establishment authorities",
        };
        error = new IdentifierError(
            IdentifierErrorReasons.NotGovernmentBodyCode,
            $"A government body's unified social credit code carries registration authority 1 (机构编制) in position 1; this code's is {authority}.");
        return false;
    }

    /// <summary>Registration authority (character 1) of the market regulator (市场监管, formerly 工商): enterprises, individual businesses, cooperatives.</summary>
    public const char MarketRegulator = '9';

    /// <summary>
    /// Whether a (valid) code may identify a market subject in bidding (a bidder or a tendering agency): registered
    /// by the market regulator (9; kinds 1 enterprise, 2 individual business, 3 farmers' cooperative), or a public
    /// institution (事业单位: 1, kind 2), never a government body (1, kind 1: 机关) or a body of another authority.
    /// The mirror of <see cref="TryValidateGovernmentBody"/>; codes an operator listed in
    /// <paramref name="acceptedNonconforming"/> are accepted as they are.
    /// </summary>
    public static bool TryValidateMarketSubject(string code, IReadOnlySet<string> acceptedNonconforming, out IdentifierError? error)
    {
        ArgumentNullException.ThrowIfNull(acceptedNonconforming);
        if (code.Length < 2
            || (code[0] == MarketRegulator && code[1] is '1' or '2' or '3')
            || (code[0] == EstablishmentAuthority && code[1] == '2')
            || acceptedNonconforming.Contains(code))
        {
            error = null;
            return true;
        }

        var kind = (code[0], code[1]) switch
        {
            (EstablishmentAuthority, '1') => "1 and kind 1, a government body (机关)",
            (EstablishmentAuthority, _) => $"1 and kind {code[1]}, a body under the establishment authorities but not a public institution",
            (MarketRegulator, _) => $"9 with kind {code[1]}, which the market regulator does not issue",
            _ => $"{code[0]}, not the market regulator (9)",
        };
        error = new IdentifierError(
            IdentifierErrorReasons.NotMarketSubjectCode,
            $"A bidder's or tendering agency's unified social credit code carries registration authority 9 (市场监管) or 1 with kind 2 (事业单位); this code's is {kind}.");
        return false;
    }

    /// <summary>Computes character 18 from characters 1–17.</summary>
    /// <exception cref="ArgumentException">Not 17 characters, or a character outside <see cref="Alphabet"/>.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException("Exactly 17 characters are required.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"Character at position {i + 1} is outside the GB 32100 alphabet.", nameof(first17));
            }

            sum += value * Weights[i];
        }

        return Alphabet[(31 - (sum % 31)) % 31];
    }

    /// <summary>
    /// Computes the GB 11714 organization code check character (USCC character 17) from
    /// the eight body characters (USCC characters 9–16). Letters count 10 for A up to 35
    /// for Z, as in GB 11714; the result is a digit or X (for 10).
    /// </summary>
    /// <exception cref="ArgumentException">Not 8 characters, or not a digit or uppercase ASCII letter.</exception>
    public static char ComputeOrganizationCodeCheckCharacter(ReadOnlySpan<char> body8)
    {
        if (body8.Length != OrganizationWeights.Length)
        {
            throw new ArgumentException("Exactly 8 characters are required.", nameof(body8));
        }

        var sum = 0;
        for (var i = 0; i < body8.Length; i++)
        {
            var c = body8[i];
            int value;
            if (char.IsAsciiDigit(c))
            {
                value = c - '0';
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                value = c - 'A' + 10;
            }
            else
            {
                throw new ArgumentException($"Character at position {i + 1} is not a digit or uppercase letter.", nameof(body8));
            }

            sum += value * OrganizationWeights[i];
        }

        return (11 - (sum % 11)) switch
        {
            10 => 'X',
            11 => '0',
            var digit => (char)('0' + digit),
        };
    }

    private static bool Validate(string? value, IReadOnlySet<string>? acceptedNonconforming, out IdentifierError? error)
    {
        if (string.IsNullOrEmpty(value))
        {
            error = new IdentifierError(IdentifierErrorReasons.Missing, "Unified social credit code is missing.");
            return false;
        }

        if (value.Length != Length)
        {
            error = new IdentifierError(
                IdentifierErrorReasons.WrongLength,
                $"Unified social credit code must be 18 characters long, got {value.Length}.");
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (Alphabet.Contains(c, StringComparison.Ordinal))
            {
                continue;
            }

            var why = char.IsAsciiLetterLower(c)
                ? "is lowercase; codes are uppercase only and are not normalised"
                : c is 'I' or 'O' or 'S' or 'V' or 'Z'
                    ? $"is '{c}', which GB 32100 never uses (I, O, S, V and Z are excluded)"
                    : "is not one of 0-9 or A-Y without I, O, S, V";
            error = new IdentifierError(
                IdentifierErrorReasons.ForbiddenCharacter,
                $"Unified social credit code character at position {i + 1} {why}.");
            return false;
        }

        // Structure first, then check characters, then meaning: a code that fails its check
        // character is mistyped, and reporting a "wrong region" for a typo would mislead.
        var overridden = acceptedNonconforming?.Contains(value) == true;
        if (!overridden)
        {
            var expected = ComputeCheckCharacter(value.AsSpan(0, Length - 1));
            if (value[Length - 1] != expected)
            {
                error = new IdentifierError(
                    IdentifierErrorReasons.CheckCharacterMismatch,
                    $"Unified social credit code check character (position 18) should be {expected}; the code is probably mistyped.");
                return false;
            }

            // The mod-31 check cannot tell a made-up code from a real one; the inner
            // organization code check catches codes composed without the GB 11714 rule.
            var expectedInner = ComputeOrganizationCodeCheckCharacter(value.AsSpan(8, 8));
            if (value[16] != expectedInner)
            {
                error = new IdentifierError(
                    IdentifierErrorReasons.OrganizationCodeCheckMismatch,
                    $"Organization code check character (position 17) should be {expectedInner}; characters 9-17 are not a valid GB 11714 organization code.");
                return false;
            }
        }

        if (!DivisionCodes.IsKnownCreditCodeRegion(value.Substring(2, 6)))
        {
            error = new IdentifierError(
                IdentifierErrorReasons.UnknownRegion,
                "Unified social credit code characters 3-8 are not a known division code (a provincial-level prefix or 100000).");
            return false;
        }

        error = null;
        return true;
    }
}
