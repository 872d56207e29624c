using System.Buffers.Binary;
using System.Buffers.Text;
using CreditExchange.Domain.Errors;

namespace CreditExchange.Server.Lifecycle;

/// <summary>Opaque keyset token of ListOverdueObjections: the last (answer due date, filing sequence) seen.</summary>
internal static class OverduePageToken
{
    private const byte Version = 1;
    private const int Length = 1 + 4 + 8;

    public static string Encode(DateOnly dueDate, long sequence)
    {
        var bytes = new byte[Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), dueDate.DayNumber);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(5), sequence);
        return Base64Url.EncodeToString(bytes);
    }

    public static (DateOnly DueDate, long Sequence)? Decode(string token)
    {
        if (token.Length == 0)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[Length + 3];
        if (!Base64Url.IsValid(token, out var decodedLength) || decodedLength != Length
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != Length || bytes[0] != Version)
        {
            throw Invalid();
        }

        var day = BinaryPrimitives.ReadInt32BigEndian(bytes[1..]);
        var sequence = BinaryPrimitives.ReadInt64BigEndian(bytes[5..]);
        if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber || sequence < 0)
        {
            throw Invalid();
        }

        return (DateOnly.FromDayNumber(day), sequence);
    }

    private static DomainException Invalid() => DomainException.InvalidArgument(
        ErrorReason.InvalidPageToken,
        [new FieldViolation("page_token", "is not a page token this hub issued", "invalid_page_token")]);
}
