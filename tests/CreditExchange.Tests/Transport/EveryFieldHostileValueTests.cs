using CreditExchange.Server.Validation;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace CreditExchange.Tests.Transport;

/// <summary>
/// Every field of every request, at once, set to values a hostile client would send: shapes that
/// pass the contract's patterns but not the rules behind them (18 digits, impossible dates, nil
/// UUIDs), extremes of every integer, undefined enum numbers, control characters, out-of-range
/// timestamps. Whatever the method, the answer is never INTERNAL or UNKNOWN.
/// </summary>
[Collection("postgres")]
public sealed class EveryFieldHostileValueTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly (string Text, long Number, int Enum)[] Variants =
    [
        ("999999999999999999", long.MaxValue, 1),
        ("00000000-0000-0000-0000-000000000000", 0, 2),
        ("2099-02-29", -1, 999),
        ("\u0000\t\n０１２３<script>'; drop table records;--", long.MinValue, -5),
        ("9999-12-31", 1, 3),
        ("150000", int.MaxValue, 0),
        (new string('字', 5000), int.MinValue, 7),
    ];

    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var service in CreditExchange.Contracts.HubContract.Services)
        {
            foreach (var method in service.Methods)
            {
                data.Add($"{service.FullName}/{method.Name}");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task AnyMethod_EveryFieldHostile_NeverInternalOrUnknown(string name)
    {
        var method = CreditExchange.Contracts.HubContract.Services
            .SelectMany(s => s.Methods).Single(m => $"{m.Service.FullName}/{m.Name}" == name);
        var agency = method.Name.StartsWith("SubmitRecord", StringComparison.Ordinal) ? "court" : "drc";
        var token = await _hub.TokenAsync(agency);
        foreach (var variant in Variants)
        {
            var request = method.InputType.Parser.ParseFrom([]);
            Fill(request, variant, depth: 0);

            var (status, message) = await RawGrpc.SendAsync(
                _hub.Address, "/" + name, request.ToByteArray(), TestCertificates.Agency(agency), token, timeout: EveryMethodHostileInputTests.StreamDeadline("/" + name));

            Assert.False(status is (int)StatusCode.Internal or (int)StatusCode.Unknown or -1,
                $"{name} answered {(StatusCode)status} to {variant.Text[..Math.Min(20, variant.Text.Length)]}/{variant.Number}/{variant.Enum}: {message}");
        }
    }

    private static void Fill(IMessage message, (string Text, long Number, int Enum) v, int depth)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var accessor = field.Accessor;
            if (field.IsMap)
            {
                continue;
            }

            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)accessor.GetValue(message);
                for (var i = 0; i < 3; i++)
                {
                    if (Value(field, v, depth) is { } item)
                    {
                        list.Add(item);
                    }
                }

                continue;
            }

            if (Value(field, v, depth) is { } value)
            {
                accessor.SetValue(message, value);
            }
        }
    }

    private static object? Value(FieldDescriptor field, (string Text, long Number, int Enum) v, int depth) => field.FieldType switch
    {
        FieldType.String => v.Text,
        FieldType.Bytes => ByteString.CopyFromUtf8(v.Text),
        FieldType.Bool => true,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)Math.Clamp(v.Number, int.MinValue, int.MaxValue),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)(v.Number & uint.MaxValue),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => v.Number,
        FieldType.UInt64 or FieldType.Fixed64 => unchecked((ulong)v.Number),
        FieldType.Double => v.Number == 0 ? double.NaN : (double)v.Number,
        FieldType.Float => (float)v.Number,
        FieldType.Enum => v.Enum,
        FieldType.Message when depth < 4 => Nested(field, v, depth),
        _ => null,
    };

    private static IMessage Nested(FieldDescriptor field, (string Text, long Number, int Enum) v, int depth)
    {
        var child = field.MessageType.Parser.ParseFrom([]);
        Fill(child, v, depth + 1);
        return child;
    }
}
