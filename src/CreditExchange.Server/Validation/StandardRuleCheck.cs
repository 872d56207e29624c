using System.Collections;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Buf.Validate;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CreditExchange.Server.Validation;

/// <summary>
/// The contract's standard protovalidate rules (lengths, patterns, UUIDs, ranges, lists, defined enums, required
/// fields and oneofs), read from the same annotations ProtoValidate reads and checked in plain C#: a quick "every
/// rule holds" for the requests that obey them. It never reports a violation itself: a message it does not pass —
/// because a rule fails, or because the message carries a rule it does not know (custom CEL, a rule kind the contract
/// does not use today) — goes to ProtoValidate, which names the violations. So a verdict here can only save work, and
/// where it is unsure it is stricter than ProtoValidate, never more lenient (StandardRuleCheckTests compare the two
/// on every field of every request).
/// Why: protovalidate-net evaluates each standard rule as a CEL expression by walking its parse tree, and CEL's
/// <c>matches</c> builds a new <see cref="Regex"/> on each call; that was about 160 µs and 270 KB of garbage per
/// submitted record, the largest part of ingest's CPU.
/// </summary>
public sealed class StandardRuleCheck
{
    private static readonly Regex Uuid = new("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private readonly ConcurrentDictionary<MessageDescriptor, MessageCheck?> _checks = new();

    /// <summary>True only when every rule on <paramref name="message"/> and the messages it holds is one this check knows and holds.</summary>
    public bool Passes(IMessage message) => For(message.Descriptor) is { } check && check.Passes(message);

    /// <summary>Whether every rule on the type and the types it holds is one this check knows (else its messages always go to ProtoValidate).</summary>
    public bool Knows(MessageDescriptor type) => For(type) is not null;

    private MessageCheck? For(MessageDescriptor type) =>
        _checks.TryGetValue(type, out var check) ? check : _checks.GetOrAdd(type, Build(type, []));

    private MessageCheck? Cached(MessageDescriptor type, HashSet<MessageDescriptor> building) =>
        _checks.TryGetValue(type, out var check) ? check : Build(type, building);

    /// <summary>Null when the type (or one it holds) carries a rule this check does not know, or holds itself.</summary>
    private MessageCheck? Build(MessageDescriptor type, HashSet<MessageDescriptor> building)
    {
        if (!building.Add(type) || !Empty(Rules(type.GetOptions(), ValidateExtensions.Message)))
        {
            return null;
        }

        var oneofs = new List<OneofDescriptor>();
        foreach (var oneof in type.Oneofs.Where(o => !o.IsSynthetic))
        {
            if (Rules(oneof.GetOptions(), ValidateExtensions.Oneof) is { } rules)
            {
                if (!Empty(rules, r => r.ClearRequired()))
                {
                    return null;
                }

                if (rules.Required)
                {
                    oneofs.Add(oneof);
                }
            }
        }

        var fields = new List<Func<IMessage, bool>>();
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            if (!TryBuildField(field, building, out var check))
            {
                return null;
            }

            if (check is not null)
            {
                fields.Add(check);
            }
        }

        building.Remove(type);
        return new MessageCheck([.. oneofs], [.. fields]);
    }

    /// <returns>False when the field carries a rule this check does not know; <paramref name="check"/> is null when it has none to check.</returns>
    private bool TryBuildField(FieldDescriptor field, HashSet<MessageDescriptor> building, out Func<IMessage, bool>? check)
    {
        check = null;
        var rules = Rules(field.GetOptions(), ValidateExtensions.Field) ?? new FieldRules();
        var rest = rules.Clone();
        rest.ClearRequired();
        rest.ClearIgnore();
        if (rules.Ignore == Ignore.Always)
        {
            return true;
        }

        var required = rules.Required;
        var ignoreZero = rules.Ignore == Ignore.IfZeroValue;
        var accessor = field.Accessor;
        if (field.IsMap)
        {
            var values = field.MessageType.FindFieldByNumber(2);
            if (!Empty(rest) || values.FieldType == FieldType.Message)
            {
                return false;
            }

            check = required ? m => ((IDictionary)accessor.GetValue(m)).Count > 0 : null;
            return true;
        }

        if (field.IsRepeated)
        {
            var repeated = rules.Repeated ?? new RepeatedRules();
            rest.Repeated = null;
            var items = ItemCheck(field, repeated.Items, building, out var known);
            var listRest = repeated.Clone();
            listRest.ClearMinItems();
            listRest.ClearMaxItems();
            listRest.ClearUnique();
            listRest.Items = null;
            if (!known || !Empty(rest) || !Empty(listRest) || (repeated.Unique && field.FieldType is FieldType.Message or FieldType.Bytes))
            {
                return false;
            }

            ulong? min = repeated.HasMinItems ? repeated.MinItems : null, max = repeated.HasMaxItems ? repeated.MaxItems : null;
            var unique = repeated.Unique;
            check = m =>
            {
                var list = (IList)accessor.GetValue(m);
                if (list.Count == 0)
                {
                    return !required && (ignoreZero || min is not > 0);
                }

                if ((ulong)list.Count < min || (ulong)list.Count > max || (unique && !Distinct(list)))
                {
                    return false;
                }

                if (items is not null)
                {
                    foreach (var item in list)
                    {
                        if (!items(item))
                        {
                            return false;
                        }
                    }
                }

                return true;
            };
            return true;
        }

        if (field.FieldType == FieldType.Message)
        {
            var nested = field.MessageType.File.Package == "google.protobuf" ? null : Cached(field.MessageType, building);
            if (!Empty(rest) || (nested is null && field.MessageType.File.Package != "google.protobuf"))
            {
                return false;
            }

            check = m => accessor.HasValue(m) ? nested?.Passes((IMessage)accessor.GetValue(m)) ?? true : !required;
            return true;
        }

        var value = ScalarCheck(field, rules, out var scalarKnown);
        rest.ClearType();
        if (!scalarKnown || !Empty(rest))
        {
            return false;
        }

        var presence = field.HasPresence;
        if (value is null && !required)
        {
            return true;
        }

        check = m =>
        {
            if (presence && !accessor.HasValue(m))
            {
                return !required;
            }

            var v = accessor.GetValue(m);
            if (!presence && IsZero(v))
            {
                // ProtoValidate skips an empty string under IGNORE_IF_ZERO_VALUE; a zero number or enum is checked
                // here either way (stricter than it is, never more lenient), and a required field must not be zero.
                if (required)
                {
                    return false;
                }

                if (ignoreZero && v is string)
                {
                    return true;
                }
            }

            return value?.Invoke(v) ?? true;
        };
        return true;
    }

    private Func<object, bool>? ItemCheck(FieldDescriptor field, FieldRules? items, HashSet<MessageDescriptor> building, out bool known)
    {
        known = true;
        if (field.FieldType == FieldType.Message)
        {
            if (field.MessageType.File.Package == "google.protobuf")
            {
                known = Empty(items);
                return null;
            }

            var nested = Cached(field.MessageType, building);
            known = nested is not null && Empty(items);
            return nested is null ? null : item => nested.Passes((IMessage)item);
        }

        if (items is null || items.Ignore == Ignore.Always)
        {
            return null;
        }

        var value = ScalarCheck(field, items, out known);
        var rest = items.Clone();
        rest.ClearIgnore();
        rest.ClearType();
        known &= Empty(rest);
        var skipEmpty = items.Ignore == Ignore.IfZeroValue;
        return value is null ? null : item => (skipEmpty && item is string { Length: 0 }) || value(item);
    }

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

            case FieldRules.TypeOneofCase.Enum when field.FieldType == FieldType.Enum:
            {
                var r = rules.Enum;
                known = Empty(r, x => { x.ClearDefinedOnly(); x.In.Clear(); x.NotIn.Clear(); });
                var type = field.EnumType;
                var definedOnly = r.DefinedOnly;
                var number = NumberCheck(null, null, [.. r.In.Select(v => (long)v)], [.. r.NotIn.Select(v => (long)v)]);
                return v =>
                {
                    var n = Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture);
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
            var n = Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture);
            return !(n < gte) && !(n > lte) && (@in.Length == 0 || @in.Contains(n)) && !notIn.Contains(n);
        };
    }

    private static bool IsZero(object value) => value switch
    {
        string s => s.Length == 0,
        ByteString b => b.IsEmpty,
        bool b => !b,
        Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture) == 0,
        IConvertible c => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture) == 0,
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

    private static T? Rules<TOptions, T>(TOptions? options, Extension<TOptions, T> extension)
        where TOptions : IExtendableMessage<TOptions>
        where T : class, IMessage<T> =>
        options is not null && options.HasExtension(extension) ? options.GetExtension(extension) : null;

    /// <summary>Whether <paramref name="rules"/> holds nothing (after <paramref name="clear"/>): no field, no extension, no unknown field.</summary>
    private static bool Empty<T>(T? rules, Action<T>? clear = null)
        where T : class, IMessage<T>
    {
        if (rules is null)
        {
            return true;
        }

        var rest = rules.Clone();
        clear?.Invoke(rest);
        return rest.CalculateSize() == 0;
    }

    private sealed class MessageCheck(OneofDescriptor[] requiredOneofs, Func<IMessage, bool>[] fields)
    {
        public bool Passes(IMessage message)
        {
            foreach (var oneof in requiredOneofs)
            {
                if (oneof.Accessor.GetCaseFieldDescriptor(message) is null)
                {
                    return false;
                }
            }

            foreach (var field in fields)
            {
                if (!field(message))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
