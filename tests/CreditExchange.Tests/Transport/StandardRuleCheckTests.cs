using System.Collections;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Validation;
using CreditExchange.Tests.Operations;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Records;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ProtoValidate;

namespace CreditExchange.Tests.Transport;

/// <summary>
/// The native check of the contract's standard rules (StandardRuleCheck) against ProtoValidate itself, on valid
/// requests of every method and on every field of each set, one at a time, to values at and around the rules' edges:
/// whatever the native check passes, ProtoValidate passes too (it may refuse more, never less), and the valid
/// requests do pass it (else it would spare nothing).
/// </summary>
public sealed class StandardRuleCheckTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Validator ProtoValidator = new(new ValidatorOptions { PreLoadDescriptors = false, DisableLazy = false, FileDescriptors = [] });

    private static readonly string[] Texts = BuildTexts();

    private static readonly long[] Numbers = [0, 1, -1, 2, 3, 5, 9, 10, 11, 50, 99, 100, 101, 500, 999, 1000, 1001, 9999, 10000, 10001,
        int.MaxValue, int.MinValue, long.MaxValue, long.MinValue];

    private readonly StandardRuleCheck _check = new();

    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in ContractCalls.Methods())
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void EveryRequestType_HasOnlyRulesTheCheckKnows()
    {
        var unknown = CreditExchange.Contracts.HubContract.Methods.Select(m => m.InputType).Distinct()
            .Where(t => !_check.Knows(t)).Select(t => t.FullName).ToList();
        Assert.Empty(unknown);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void ValidRequest_Passes_AndEveryFieldAtTheEdges_NeverPassesWhatProtoValidateRefuses(string method)
    {
        AssertAgreesOnEveryField(ContractCalls.For(method).Request);
    }

    [Fact]
    public void RecordsWithEveryPart_PassAndAgreeOnEveryField()
    {
        var debtor = LawRecordsTestData.JudgmentDebtor("2025-03-01");
        var ppp = LawRecordsTestData.PppJudgment("2025-03-01", "PPP-150102-2019-0007", TestData.NewResidentId(), TestData.NewResidentId());
        ppp.Record.Arrears = new Arrears { ProjectPayments = LawRecordsTestData.Owed(250_000_000, 50_000_000), MigrantWorkersWages = LawRecordsTestData.Owed(1_000_000) };
        var servant = TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject());
        foreach (var request in new IMessage[] { debtor, ppp, servant, new SubmitRecordsRequest { Item = debtor } })
        {
            AssertAgreesOnEveryField(request);
        }
    }

    private void AssertAgreesOnEveryField(IMessage valid)
    {
        Assert.True(ProtoValidator.Validate(valid, false).IsSuccess, $"the test's own request is invalid: {valid}");
        Assert.True(_check.Passes(valid), $"a valid {valid.Descriptor.Name} does not pass the native check: {valid}");
        var cases = 0;
        var lenient = new List<string>();
        var stricter = new List<string>();
        foreach (var variant in Variants(valid, valid, "", depth: 0))
        {
            cases++;
            var native = _check.Passes(variant.Root);
            var proto = ProtoValidator.Validate(variant.Root, false).IsSuccess;
            if (native && !proto)
            {
                lenient.Add(variant.Change);
            }
            else if (proto && !native)
            {
                stricter.Add(variant.Change);
            }
        }

        // Refusing what ProtoValidate passes only costs time (ProtoValidate then passes it): say where, to see it.
        output.WriteLine($"{valid.Descriptor.Name}: {cases} variants, {stricter.Count} refused here and passed by ProtoValidate: {string.Join("; ", stricter.Take(10))}");

        Assert.True(cases > 10 || valid.Descriptor.Fields.InFieldNumberOrder().Count == 0, $"only {cases} variants of {valid.Descriptor.Name}");
        Assert.True(lenient.Count == 0, $"the native check passed what ProtoValidate refuses: {string.Join("; ", lenient.Take(20))}");
    }

    /// <summary>Copies of <paramref name="root"/> with one field of <paramref name="message"/> (a part of the copy being built) changed.</summary>
    private static IEnumerable<(IMessage Root, string Change)> Variants(IMessage root, IMessage message, string path, int depth)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var at = path + field.Name;
            if (field.IsMap)
            {
                continue;
            }

            if (field.IsRepeated)
            {
                foreach (var list in Lists(field, (IList)field.Accessor.GetValue(message)))
                {
                    yield return (With(root, message, copy => Replace((IList)field.Accessor.GetValue(copy), list)), $"{at} = [{list.Count} items]");
                }

                var items = (IList)field.Accessor.GetValue(message);
                if (field.FieldType == FieldType.Message && items.Count > 0 && depth < 4)
                {
                    foreach (var nested in Variants(root, (IMessage)items[0]!, at + "[0].", depth + 1))
                    {
                        yield return nested;
                    }
                }

                continue;
            }

            if (field.FieldType == FieldType.Message)
            {
                yield return (With(root, message, copy => field.Accessor.Clear(copy)), at + " cleared");
                yield return (With(root, message, copy => field.Accessor.SetValue(copy, field.MessageType.Parser.ParseFrom([]))), at + " = {}");
                if (field.Accessor.HasValue(message) && depth < 4)
                {
                    foreach (var nested in Variants(root, (IMessage)field.Accessor.GetValue(message), at + ".", depth + 1))
                    {
                        yield return nested;
                    }
                }

                continue;
            }

            foreach (var value in Values(field, field.Accessor.GetValue(message)))
            {
                yield return (With(root, message, copy => field.Accessor.SetValue(copy, value)), $"{at} = {Show(value)}");
            }
        }
    }

    /// <summary>A copy of <paramref name="root"/> in which <paramref name="change"/> is applied to the copy of <paramref name="part"/>.</summary>
    private static IMessage With(IMessage root, IMessage part, Action<IMessage> change)
    {
        var copy = root.Descriptor.Parser.ParseFrom(root.ToByteString());
        change(Find(root, copy, part) ?? throw new InvalidOperationException("part not found"));
        return copy;
    }

    private static IMessage? Find(IMessage original, IMessage copy, IMessage part)
    {
        if (ReferenceEquals(original, part))
        {
            return copy;
        }

        foreach (var field in original.Descriptor.Fields.InFieldNumberOrder().Where(f => f.FieldType == FieldType.Message && !f.IsMap))
        {
            if (field.IsRepeated)
            {
                var originals = (IList)field.Accessor.GetValue(original);
                var copies = (IList)field.Accessor.GetValue(copy);
                for (var i = 0; i < originals.Count; i++)
                {
                    if (Find((IMessage)originals[i]!, (IMessage)copies[i]!, part) is { } found)
                    {
                        return found;
                    }
                }
            }
            else if (field.Accessor.HasValue(original) && Find((IMessage)field.Accessor.GetValue(original), (IMessage)field.Accessor.GetValue(copy), part) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static IEnumerable<object> Values(FieldDescriptor field, object current) => field.FieldType switch
    {
        FieldType.String => Texts.Concat(Edits((string)current)),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Numbers.Select(n => (object)(int)Math.Clamp(n, int.MinValue, int.MaxValue)),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Numbers.Select(n => (object)n),
        FieldType.UInt32 or FieldType.Fixed32 => Numbers.Where(n => n >= 0).Select(n => (object)(uint)Math.Min(n, uint.MaxValue)),
        FieldType.UInt64 or FieldType.Fixed64 => Numbers.Where(n => n >= 0).Select(n => (object)(ulong)n),
        FieldType.Bool => [true, false],
        FieldType.Enum => Numbers.Where(n => n is > -3 and < 200).Concat(field.EnumType.Values.Select(v => (long)v.Number)).Distinct()
            .Select(n => Enum.ToObject(field.EnumType.ClrType, (int)n)),
        FieldType.Bytes => [ByteString.Empty, ByteString.CopyFromUtf8("x")],
        _ => [],
    };

    /// <summary>Lists of a repeated field: empty, one item, a duplicate, and long ones around the usual limits.</summary>
    private static IEnumerable<IList> Lists(FieldDescriptor field, IList current)
    {
        var first = current.Count > 0 ? current[0] : field.FieldType == FieldType.Message ? field.MessageType.Parser.ParseFrom([]) : Values(field, "").First();
        yield return new List<object>();
        yield return new List<object> { first! };
        yield return new List<object> { first!, first! };
        if (field.FieldType != FieldType.Message)
        {
            foreach (var value in Values(field, current.Count > 0 ? current[0]! : ""))
            {
                yield return new List<object> { value };
                yield return current.Cast<object>().Append(value).ToList();
            }
        }

        foreach (var count in new[] { 2, 10, 11, 20, 21, 100, 101, 1000, 1001, 10000, 10001 })
        {
            yield return Enumerable.Range(0, count).Select(i => Distinct(field, first!, i)).ToList();
        }
    }

    private static object Distinct(FieldDescriptor field, object sample, int i) => sample switch
    {
        string s when s.Length >= 4 => s[..^4] + (i % 10000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
        string s => s + i,
        IMessage m => Copy(m),
        Enum => Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values[i % field.EnumType.Values.Count].Number),
        long n => n + i,
        int n => n + i,
        _ => sample,
    };

    private static void Replace(IList target, IList items)
    {
        target.Clear();
        foreach (var item in items)
        {
            target.Add(item is IMessage m ? Copy(m) : item);
        }
    }

    private static IMessage Copy(IMessage message) => message.Descriptor.Parser.ParseFrom(message.ToByteString());

    private static IEnumerable<object> Edits(string current)
    {
        if (current.Length == 0)
        {
            yield break;
        }

        yield return current + "x";
        yield return "x" + current;
        yield return current[..^1];
        yield return current[1..];
        yield return current.ToUpperInvariant();
        yield return current.ToLowerInvariant();
        yield return current + "\n";
        yield return " " + current;
        yield return current.Replace('-', '_');
        yield return current[..^1] + "😀";
    }

    private static string[] BuildTexts()
    {
        var texts = new List<string>
        {
            "", " ", "a", "\u0000", "\n", "\ud800", "😀", "a\nb", "2026-01-01", "2026-13-01", "150102", "15010", "1501020",
            "91152201078371135X", "11150100011524408D", "150102199001011234", "0", "-1", "urn:creditexchange:agency:court",
            "court", "drc", "records.submit", "SHA256:abc",
            Guid.NewGuid().ToString(), Guid.NewGuid().ToString().ToUpperInvariant(), Guid.NewGuid().ToString("N"), Guid.Empty.ToString(),
            "{" + Guid.NewGuid() + "}",
        };
        foreach (var n in new[] { 2, 7, 8, 9, 16, 17, 18, 19, 20, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200, 255, 256, 257, 500, 501, 1000, 1001, 2000, 2001, 4000, 4001, 4096, 4097, 10000, 10001 })
        {
            texts.Add(new string('a', n));
            texts.Add(new string('字', n));
            texts.Add(string.Concat(Enumerable.Repeat("😀", n)));
        }

        return [.. texts];
    }

    private static string Show(object value) => value is string s ? $"\"{(s.Length > 12 ? s[..12] + $"…({s.Length})" : s)}\"" : value.ToString() ?? "null";
}
