using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using CreditExchange.Domain.Errors;

namespace CreditExchange.Domain.Paging;

/// <summary>
/// The one opaque keyset page token of the hub: the last (day, sequence) a page ended on, bound to
/// the query it was issued for (a hash of its filters), so that a token cannot be replayed against
/// another query or forged into an out-of-range position. Every paged list uses it.
/// </summary>
public static class KeysetPageToken
{
    private const byte Version = 2;
    private const int BindingLength = 16;
    private const int Length = 1 + BindingLength + 4 + 8;

    /// <summary>The binding of a query: the first bytes of SHA-256 over its canonical filter bytes.</summary>
    public static byte[] Bind(ReadOnlySpan<byte> canonicalFilters) => SHA256.HashData(canonicalFilters)[..BindingLength];

    public static string Encode(ReadOnlySpan<byte> binding, DateOnly day, long sequence)
    {
        var bytes = new byte[Length];
        bytes[0] = Version;
        binding.CopyTo(bytes.AsSpan(1, BindingLength));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1 + BindingLength), day.DayNumber);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1 + BindingLength + 4), sequence);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The position of <paramref name="token"/>; null for an empty token; INVALID_ARGUMENT (field page_token) for any other.</summary>
    public static (DateOnly Day, long Sequence)? Decode(string token, ReadOnlySpan<byte> binding)
    {
        if (token.Length == 0)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[Length + 3];
        if (!Base64Url.IsValid(token, out var decodedLength) || decodedLength != Length
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != Length || bytes[0] != Version
            || !bytes.Slice(1, BindingLength).SequenceEqual(binding))
        {
            throw Invalid();
        }

        var day = BinaryPrimitives.ReadInt32BigEndian(bytes[(1 + BindingLength)..]);
        var sequence = BinaryPrimitives.ReadInt64BigEndian(bytes[(1 + BindingLength + 4)..]);
        if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber || sequence < 0)
        {
            throw Invalid();
        }

        return (DateOnly.FromDayNumber(day), sequence);
    }

    private static DomainException Invalid() => DomainException.InvalidArgument(
        ErrorReason.InvalidPageToken,
        [new FieldViolation("page_token", "is not a page token this hub issued for the same query", "invalid_page_token")]);
}
