using System.Collections;
using System.Collections.Concurrent;
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
/// <c>matches</c> builds a new <c>Regex</c> on each call; that was about 160 µs and 270 KB of garbage per
/// submitted record, the largest part of ingest's CPU.
/// </summary>
public sealed partial class StandardRuleCheck
{
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
        if (rules.Ignore == Ignore.Always)
        {
            return true;
        }

        // What is left of the rules once each kind of field takes the ones it knows must be empty.
        var rest = rules.Clone();
        rest.ClearRequired();
        rest.ClearIgnore();
        bool known;
        check = field.IsMap ? MapCheck(field, rules, rest, out known)
            : field.IsRepeated ? ListCheck(field, rules, rest, building, out known)
            : field.FieldType == FieldType.Message ? MessageFieldCheck(field, rules, rest, building, out known)
            : ScalarFieldCheck(field, rules, rest, out known);
        return known;
    }

    private static Func<IMessage, bool>? MapCheck(FieldDescriptor field, FieldRules rules, FieldRules rest, out bool known)
    {
        known = Empty(rest) && field.MessageType.FindFieldByNumber(2).FieldType != FieldType.Message;
        var accessor = field.Accessor;
        return rules.Required ? m => ((IDictionary)accessor.GetValue(m)).Count > 0 : null;
    }

    private Func<IMessage, bool>? ListCheck(FieldDescriptor field, FieldRules rules, FieldRules rest, HashSet<MessageDescriptor> building, out bool known)
    {
        var repeated = rules.Repeated ?? new RepeatedRules();
        rest.Repeated = null;
        var items = ItemCheck(field, repeated.Items, building, out known);
        known &= Empty(rest)
            && Empty(repeated, r => { r.ClearMinItems(); r.ClearMaxItems(); r.ClearUnique(); r.Items = null; })
            && !(repeated.Unique && field.FieldType is FieldType.Message or FieldType.Bytes);
        var (required, ignoreZero, accessor) = (rules.Required, rules.Ignore == Ignore.IfZeroValue, field.Accessor);
        ulong? min = repeated.HasMinItems ? repeated.MinItems : null, max = repeated.HasMaxItems ? repeated.MaxItems : null;
        var unique = repeated.Unique;
        return m =>
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
    }

    private Func<IMessage, bool> MessageFieldCheck(FieldDescriptor field, FieldRules rules, FieldRules rest, HashSet<MessageDescriptor> building, out bool known)
    {
        // Well-known types (timestamps and the like) have no rules of their own to check.
        var wellKnown = field.MessageType.File.Package == "google.protobuf";
        var nested = wellKnown ? null : Cached(field.MessageType, building);
        known = Empty(rest) && (wellKnown || nested is not null);
        var (required, accessor) = (rules.Required, field.Accessor);
        return m => accessor.HasValue(m) ? nested?.Passes((IMessage)accessor.GetValue(m)) ?? true : !required;
    }

    private static Func<IMessage, bool>? ScalarFieldCheck(FieldDescriptor field, FieldRules rules, FieldRules rest, out bool known)
    {
        var value = ScalarCheck(field, rules, out known);
        rest.ClearType();
        known &= Empty(rest);
        var (required, ignoreZero, presence, accessor) = (rules.Required, rules.Ignore == Ignore.IfZeroValue, field.HasPresence, field.Accessor);
        if (value is null && !required)
        {
            return null;
        }

        return m =>
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
        known &= Empty(items, r => { r.ClearIgnore(); r.ClearType(); });
        var skipEmpty = items.Ignore == Ignore.IfZeroValue;
        return value is null ? null : item => (skipEmpty && item is string { Length: 0 }) || value(item);
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
