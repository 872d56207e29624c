using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using CreditExchange.Domain.Errors;

namespace CreditExchange.Domain.Paging;

/// <summary>
/// The one opaque keyset page token of the hub: where a page ended — one (day, sequence) position per
/// ordered list the page merges, each possibly not reached yet — bound to the query it was issued for
/// (a hash of its method and filters), so that a token cannot be replayed against another query or
/// forged into an out-of-range position. Every paged list uses it.
/// </summary>
public static class KeysetPageToken
{
    private const byte Version = 2;
    private const int BindingLength = 16;
    private const int PositionLength = 1 + 4 + 8; // reached flag, day, sequence
    private const int MaxPositions = 4;

    /// <summary>The binding of a query: the first bytes of SHA-256 over its method name and canonical filter bytes.</summary>
    public static byte[] Bind(string method, ReadOnlySpan<byte> canonicalFilters)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(method + "\n"));
        sha.AppendData(canonicalFilters);
        return sha.GetHashAndReset()[..BindingLength];
    }

    public static string Encode(ReadOnlySpan<byte> binding, DateOnly day, long sequence) => Encode(binding, [(day, sequence)]);

    public static string Encode(ReadOnlySpan<byte> binding, IReadOnlyList<(DateOnly Day, long Sequence)?> positions)
    {
        var bytes = new byte[1 + BindingLength + 1 + (positions.Count * PositionLength)];
        bytes[0] = Version;
        binding.CopyTo(bytes.AsSpan(1, BindingLength));
        bytes[1 + BindingLength] = (byte)positions.Count;
        for (var i = 0; i < positions.Count; i++)
        {
            if (positions[i] is var (day, sequence))
            {
                var at = bytes.AsSpan(2 + BindingLength + (i * PositionLength));
                at[0] = 1;
                BinaryPrimitives.WriteInt32BigEndian(at[1..], day.DayNumber);
                BinaryPrimitives.WriteInt64BigEndian(at[5..], sequence);
            }
        }

        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The position of a one-list token; null for an empty token; INVALID_ARGUMENT (field page_token) for any other.</summary>
    public static (DateOnly Day, long Sequence)? Decode(string token, ReadOnlySpan<byte> binding) =>
        token.Length == 0 ? null : Decode(token, binding, 1)[0] ?? throw Invalid();

    /// <summary>The <paramref name="count"/> positions of a token (all null for an empty token); INVALID_ARGUMENT for a token not issued for this query.</summary>
    public static (DateOnly Day, long Sequence)?[] Decode(string token, ReadOnlySpan<byte> binding, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxPositions);
        var positions = new (DateOnly Day, long Sequence)?[count];
        if (token.Length == 0)
        {
            return positions;
        }

        var length = 1 + BindingLength + 1 + (count * PositionLength);
        Span<byte> bytes = stackalloc byte[(1 + BindingLength + 1 + (MaxPositions * PositionLength)) + 3];
        if (!Base64Url.IsValid(token, out var decodedLength) || decodedLength != length
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != length || bytes[0] != Version
            || !bytes.Slice(1, BindingLength).SequenceEqual(binding) || bytes[1 + BindingLength] != count)
        {
            throw Invalid();
        }

        for (var i = 0; i < count; i++)
        {
            var at = bytes.Slice(2 + BindingLength + (i * PositionLength), PositionLength);
            positions[i] = at[0] switch
            {
                0 when !at[1..].ContainsAnyExcept((byte)0) => null,
                1 => Read(at[1..]),
                _ => throw Invalid(),
            };
        }

        return positions;
    }

    private static (DateOnly, long) Read(ReadOnlySpan<byte> at)
    {
        var day = BinaryPrimitives.ReadInt32BigEndian(at);
        var sequence = BinaryPrimitives.ReadInt64BigEndian(at[4..]);
        if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber || sequence < 0)
        {
            throw Invalid();
        }

        return (DateOnly.FromDayNumber(day), sequence);
    }

    private static DomainException Invalid() => DomainException.InvalidArgument(
        ErrorReason.InvalidPageToken,
        [new FieldViolation("page_token", "is not a page token this hub issued for the same query", FieldViolationReason.InvalidPageToken)]);
}
