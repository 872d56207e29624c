using CreditExchange.Domain.Errors;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;

namespace CreditExchange.Server.Validation;

/// <summary>
/// Rules that hold for every field of every request, at any depth, so a field added to the
/// contract is covered without a rule of its own:
/// <list type="bullet">
/// <item>no text holds U+0000 (meaningless in the contract; PostgreSQL cannot store it in text),
/// a bidirectional override or isolate control (U+202A–U+202E, U+2066–U+2069: they make a name or a
/// document number read as something else), or a Unicode non-character (U+FDD0–U+FDEF, U+xFFFE/F);</item>
/// <item>a name (a field called <c>name</c> or <c>…_name</c>) that is set is not only whitespace;</item>
/// <item>a google.protobuf.Timestamp lies within years 1–9999 with nanos 0–999,999,999, the range
/// every consumer (and .NET's DateTime) can represent.</item>
/// </list>
/// </summary>
internal static class EveryField
{
    // 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds.
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    private const int MaxDepth = 16;

    public static void Check(IMessage message, string path, List<FieldViolation> violations, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        if (message is Google.Protobuf.WellKnownTypes.Timestamp timestamp)
        {
            if (timestamp.Seconds is < MinTimestampSeconds or > MaxTimestampSeconds || timestamp.Nanos is < 0 or > 999_999_999)
            {
                violations.Add(new FieldViolation(path, "must be a time between 0001-01-01 and 9999-12-31 (UTC) with nanos 0–999999999", FieldViolationReason.TimestampRange));
            }

            return;
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var name = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            var value = field.Accessor.GetValue(message);
            switch (field.FieldType)
            {
                case FieldType.String when field.IsRepeated && !field.IsMap:
                    var index = 0;
                    foreach (var item in (System.Collections.IEnumerable)value)
                    {
                        Report(item as string, $"{name}[{index++}]", IsName(field), violations);
                    }

                    break;
                case FieldType.String when !field.IsRepeated:
                    Report(value as string, name, IsName(field), violations);
                    break;
                case FieldType.Message when field.IsRepeated && !field.IsMap:
                    var position = 0;
                    foreach (var item in (System.Collections.IEnumerable)value)
                    {
                        if (item is IMessage child)
                        {
                            Check(child, $"{name}[{position}]", violations, depth + 1);
                        }

                        position++;
                    }

                    break;
                case FieldType.Message when !field.IsRepeated && value is IMessage single:
                    Check(single, name, violations, depth + 1);
                    break;
            }
        }
    }

    private static bool IsName(FieldDescriptor field) => field.Name == "name" || field.Name.EndsWith("_name", StringComparison.Ordinal);

    private static void Report(string? text, string path, bool isName, List<FieldViolation> violations)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            violations.Add(new FieldViolation(path, "must not contain NUL (U+0000) characters", FieldViolationReason.NulCharacter));
        }
        else if (text.Any(c => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')))
        {
            violations.Add(new FieldViolation(path, "must not contain bidirectional override or isolate controls (U+202A–U+202E, U+2066–U+2069)", FieldViolationReason.BidiControl));
        }
        else if (HasNonCharacter(text))
        {
            violations.Add(new FieldViolation(path, "must not contain Unicode non-characters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF)", FieldViolationReason.NonCharacter));
        }
        else if (isName && string.IsNullOrWhiteSpace(text))
        {
            violations.Add(new FieldViolation(path, "must not be only whitespace", FieldViolationReason.WhitespaceOnly));
        }
    }

    private static bool HasNonCharacter(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is >= 0xFDD0 and <= 0xFDEF || (rune.Value & 0xFFFE) == 0xFFFE)
            {
                return true;
            }
        }

        return false;
    }
}
