using System.Buffers.Binary;
using System.Buffers.Text;
using CreditExchange.Domain.Errors;

namespace CreditExchange.Server.Lifecycle;

/// <summary>Where a page of ListOverdueObjections ended, per kind: the last (due date, filing sequence) seen; null when none of that kind was seen yet.</summary>
internal sealed record OverduePosition((DateOnly DueDate, long Sequence)? Objections, (DateOnly DueDate, long Sequence)? Complaints);

/// <summary>
/// Opaque keyset token of ListOverdueObjections. Version 2 carries a position for objections and
/// one for complaints; version 1 (objections only, issued before complaints were listed) is still
/// read, its complaints starting from the first.
/// </summary>
internal static class OverduePageToken
{
    private const byte Version1 = 1;
    private const byte Version2 = 2;
    private const int PositionLength = 1 + 4 + 8; // present flag, day, sequence
    private const int Length1 = 1 + 4 + 8;
    private const int Length2 = 1 + 2 * PositionLength;

    public static string Encode(OverduePosition position)
    {
        var bytes = new byte[Length2];
        bytes[0] = Version2;
        Write(bytes.AsSpan(1), position.Objections);
        Write(bytes.AsSpan(1 + PositionLength), position.Complaints);
        return Base64Url.EncodeToString(bytes);
    }

    public static OverduePosition Decode(string token)
    {
        if (token.Length == 0)
        {
            return new OverduePosition(null, null);
        }

        Span<byte> bytes = stackalloc byte[Length2 + 3];
        if (!Base64Url.IsValid(token, out var decodedLength) || decodedLength is not (Length1 or Length2)
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != decodedLength)
        {
            throw Invalid();
        }

        return (bytes[0], written) switch
        {
            (Version1, Length1) => new OverduePosition(Read(bytes.Slice(1, 12)), null),
            (Version2, Length2) => new OverduePosition(ReadOptional(bytes.Slice(1, PositionLength)), ReadOptional(bytes.Slice(1 + PositionLength, PositionLength))),
            _ => throw Invalid(),
        };
    }

    private static void Write(Span<byte> into, (DateOnly DueDate, long Sequence)? position)
    {
        if (position is var (due, sequence))
        {
            into[0] = 1;
            BinaryPrimitives.WriteInt32BigEndian(into[1..], due.DayNumber);
            BinaryPrimitives.WriteInt64BigEndian(into[5..], sequence);
        }
    }

    private static (DateOnly, long)? ReadOptional(ReadOnlySpan<byte> from) => from[0] switch
    {
        0 when !from[1..].ContainsAnyExcept((byte)0) => null,
        1 => Read(from[1..]),
        _ => throw Invalid(),
    };

    private static (DateOnly, long) Read(ReadOnlySpan<byte> from)
    {
        var day = BinaryPrimitives.ReadInt32BigEndian(from);
        var sequence = BinaryPrimitives.ReadInt64BigEndian(from[4..]);
        if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber || sequence < 0)
        {
            throw Invalid();
        }

        return (DateOnly.FromDayNumber(day), sequence);
    }

    private static DomainException Invalid() => DomainException.InvalidArgument(
        "INVALID_PAGE_TOKEN",
        [new FieldViolation("page_token", "is not a page token this hub issued", "invalid_page_token")]);
}
