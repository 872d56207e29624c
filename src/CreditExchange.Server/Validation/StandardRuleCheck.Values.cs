using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Buf.Validate;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CreditExchange.Server.Validation;

/// <summary>The value checks of <see cref="StandardRuleCheck"/>: strings, bytes, numbers and enums, as the standard rules' CEL expressions define them.</summary>
public sealed partial class StandardRuleCheck
{
    private static readonly Regex Uuid = new("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    /// <summary>The value check of a scalar field's rules; null when they hold none. <paramref name="known"/> is false for a rule this check does not know.</summary>
    private static Func<object, bool>? ScalarCheck(FieldDescriptor field, FieldRules rules, out bool known)
    {
        known = true;
        switch (rules.TypeCase)
        {
            case FieldRules.TypeOneofCase.None:
                return null;
            case FieldRules.TypeOneofCase.String when field.FieldType == FieldType.String:
                return StringCheck(rules.String, out known);
            case FieldRules.TypeOneofCase.Int32 when field.FieldType == FieldType.Int32:
            {
                var r = rules.Int32;
                known = Empty(r, x => { x.ClearGte(); x.ClearLte(); x.In.Clear(); x.NotIn.Clear(); });
                return NumberCheck(r.HasGte ? r.Gte : null, r.HasLte ? r.Lte : null, [.. r.In.Select(v => (long)v)], [.. r.NotIn.Select(v => (long)v)]);
            }

            case FieldRules.TypeOneofCase.Int64 when field.FieldType == FieldType.Int64:
            {
                var r = rules.Int64;
                known = Empty(r, x => { x.ClearGte(); x.ClearLte(); x.In.Clear(); x.NotIn.Clear(); });
                return NumberCheck(r.HasGte ? r.Gte : null, r.HasLte ? r.Lte : null, [.. r.In], [.. r.NotIn]);
            }

            case FieldRules.TypeOneofCase.Bytes when field.FieldType == FieldType.Bytes:
            {
                var r = rules.Bytes;
                known = Empty(r, x => { x.ClearMinLen(); x.ClearMaxLen(); x.ClearLen(); });
                ulong? min = r.HasMinLen ? r.MinLen : null, max = r.HasMaxLen ? r.MaxLen : null, len = r.HasLen ? r.Len : null;
                return v =>
                {
                    var n = (ulong)((ByteString)v).Length;
                    return n >= (min ?? 0) && n <= (max ?? ulong.MaxValue) && (len is null || n == len);
                };
            }

            case FieldRules.TypeOneofCase.Enum when field.FieldType == FieldType.Enum:
            {
                var r = rules.Enum;
                known = Empty(r, x => { x.ClearDefinedOnly(); x.In.Clear(); x.NotIn.Clear(); });
                var type = field.EnumType;
                var definedOnly = r.DefinedOnly;
                var number = NumberCheck(null, null, [.. r.In.Select(v => (long)v)], [.. r.NotIn.Select(v => (long)v)]);
                return v =>
                {
                    var n = Convert.ToInt32(v, CultureInfo.InvariantCulture);
                    return (!definedOnly || type.FindValueByNumber(n) is not null) && (number?.Invoke((long)n) ?? true);
                };
            }

            default:
                known = false;
                return null;
        }
    }

    private static Func<object, bool> StringCheck(StringRules r, out bool known)
    {
        known = Empty(r, x =>
        {
            x.ClearMinLen();
            x.ClearMaxLen();
            x.ClearLen();
            x.ClearPattern();
            x.ClearUuid();
            x.In.Clear();
            x.NotIn.Clear();
        });
        ulong? min = r.HasMinLen ? r.MinLen : null, max = r.HasMaxLen ? r.MaxLen : null, len = r.HasLen ? r.Len : null;
        var lengths = min is not null || max is not null || len is not null;
        // As CEL's matches compiles it: default options.
        var pattern = r.HasPattern ? new Regex(r.Pattern) : null;
        var uuid = r.Uuid;
        var @in = r.In.Count > 0 ? r.In.ToHashSet(StringComparer.Ordinal) : null;
        var notIn = r.NotIn.ToHashSet(StringComparer.Ordinal);
        return v =>
        {
            var s = (string)v;
            if (lengths)
            {
                // CEL's size() of a string: its code points (a lone surrogate counts as one).
                var n = 0UL;
                foreach (var _ in s.EnumerateRunes())
                {
                    n++;
                }

                if (n < min || n > max || (len is { } exact && n != exact))
                {
                    return false;
                }
            }

            return (pattern is null || pattern.IsMatch(s))
                && (!uuid || Uuid.IsMatch(s))
                && (@in is null || @in.Contains(s))
                && !notIn.Contains(s);
        };
    }

    private static Func<object, bool>? NumberCheck(long? gte, long? lte, long[] @in, long[] notIn)
    {
        if (gte is null && lte is null && @in.Length == 0 && notIn.Length == 0)
        {
            return null;
        }

        return v =>
        {
            var n = Convert.ToInt64(v, CultureInfo.InvariantCulture);
            return !(n < gte) && !(n > lte) && (@in.Length == 0 || @in.Contains(n)) && !notIn.Contains(n);
        };
    }

    private static bool IsZero(object value) => value switch
    {
        string s => s.Length == 0,
        ByteString b => b.IsEmpty,
        bool b => !b,
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture) == 0,
        IConvertible c => c.ToDouble(CultureInfo.InvariantCulture) == 0,
        _ => false,
    };

    private static bool Distinct(IList list)
    {
        var seen = new HashSet<object>();
        foreach (var item in list)
        {
            if (!seen.Add(item))
            {
                return false;
            }
        }

        return true;
    }
}
