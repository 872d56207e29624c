using Google.Protobuf;
using Google.Protobuf.Reflection;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;

namespace CreditExchange.Server.Validation;

/// <summary>
/// No text the hub accepts may hold U+0000: it has no meaning in any field of the contract, and
/// PostgreSQL cannot store it in text. Checked for every string of every request, at any depth,
/// so a field added to the contract is covered without a rule of its own.
/// </summary>
internal static class NulCharacters
{
    private const int MaxDepth = 16;

    public static void Check(IMessage message, string path, List<FieldViolation> violations, int depth = 0)
    {
        if (depth > MaxDepth)
        {
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
                        Report(item as string, $"{name}[{index++}]", violations);
                    }

                    break;
                case FieldType.String when !field.IsRepeated:
                    Report(value as string, name, violations);
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

    private static void Report(string? text, string path, List<FieldViolation> violations)
    {
        if (text is not null && text.Contains('\0', StringComparison.Ordinal))
        {
            violations.Add(new FieldViolation(path, "must not contain NUL (U+0000) characters", "nul_character"));
        }
    }
}
