using System.Globalization;

namespace CreditExchange.Domain.Identifiers;

/// <summary>
/// The 18-character citizen identity number (公民身份号码) of GB 11643-1999.
/// </summary>
/// <remarks>
/// Layout (1-based): 1–6 region of household registration (GB/T 2260), 7–14 birth date
/// yyyyMMdd, 15–17 sequence (17 odd for men), 18 the ISO 7064 MOD 11-2 check character.
/// The number is sensitive personal information under PIPL: nothing here ever puts it,
/// or its birth date, into an error message.
/// </remarks>
public static class ResidentIdNumber
{
    public const int Length = 18;

    /// <summary>2^(17-i) mod 11 for positions 1–17 (ISO 7064 MOD 11-2).</summary>
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Check character indexed by the weighted sum mod 11.</summary>
    private const string CheckCharacters = "10X98765432";

    /// <summary>Nobody alive with an ID number was born earlier; older dates are typing errors.</summary>
    private static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    /// <summary>
    /// Validates an ID number and returns it in canonical form. The only normalisation is a
    /// lowercase x check character to X: it is a common input-method artefact, and storing
    /// one canonical form keeps look-ups by ID exact. Whitespace and 15-digit first-generation
    /// numbers are refused rather than repaired, so a submitting agency learns of the defect.
    /// </summary>
    /// <param name="today">Injected so that validation is deterministic and testable.</param>
    public static bool TryNormalize(string? value, DateOnly today, out string normalized, out IdentifierError? error)
    {
        normalized = string.Empty;

        if (string.IsNullOrEmpty(value))
        {
            error = new IdentifierError(IdentifierErrorReasons.Missing, "Resident ID number is missing.");
            return false;
        }

        if (value.Length != Length)
        {
            var hint = value.Length == 15
                ? " 15-digit first-generation numbers must be converted to the 18-character form before submission."
                : string.Empty;
            error = new IdentifierError(
                IdentifierErrorReasons.WrongLength,
                $"Resident ID number must be 18 characters long, got {value.Length}.{hint}");
            return false;
        }

        for (var i = 0; i < Length - 1; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                error = new IdentifierError(
                    IdentifierErrorReasons.ForbiddenCharacter,
                    $"Resident ID number character at position {i + 1} must be a digit.");
                return false;
            }
        }

        var last = value[Length - 1];
        if (!char.IsAsciiDigit(last) && last is not 'X' and not 'x')
        {
            error = new IdentifierError(
                IdentifierErrorReasons.ForbiddenCharacter,
                "Resident ID number character at position 18 must be a digit or X.");
            return false;
        }

        var canonical = last == 'x' ? string.Concat(value.AsSpan(0, Length - 1), "X") : value;

        // Check character before meaning: a mismatch means a typo, and a typo in the date
        // digits would otherwise be reported as a misleading "impossible birth date".
        var expected = ComputeCheckCharacter(canonical.AsSpan(0, Length - 1));
        if (canonical[Length - 1] != expected)
        {
            error = new IdentifierError(
                IdentifierErrorReasons.CheckCharacterMismatch,
                $"Resident ID number check character (position 18) should be {expected}; the number is probably mistyped.");
            return false;
        }

        if (!DateOnly.TryParseExact(canonical.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate))
        {
            error = new IdentifierError(
                IdentifierErrorReasons.ImpossibleBirthDate,
                "Resident ID number characters 7-14 are not a real calendar date (yyyyMMdd).");
            return false;
        }

        if (birthDate > today)
        {
            error = new IdentifierError(
                IdentifierErrorReasons.BirthDateInFuture,
                "Resident ID number birth date (characters 7-14) is later than today.");
            return false;
        }

        if (birthDate < EarliestBirthDate)
        {
            error = new IdentifierError(
                IdentifierErrorReasons.BirthDateBefore1900,
                "Resident ID number birth date (characters 7-14) is before 1900-01-01.");
            return false;
        }

        if (!DivisionCodes.IsPlausibleBirthRegion(canonical[..6], birthDate, out error))
        {
            return false;
        }

        normalized = canonical;
        error = null;
        return true;
    }

    /// <summary>Computes character 18 from the first 17 digits.</summary>
    /// <exception cref="ArgumentException">Not 17 characters, or not all ASCII digits.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException("Exactly 17 digits are required.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            if (!char.IsAsciiDigit(first17[i]))
            {
                throw new ArgumentException($"Character at position {i + 1} is not a digit.", nameof(first17));
            }

            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }
}
