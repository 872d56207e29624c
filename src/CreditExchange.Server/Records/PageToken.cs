using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Errors;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;
using Google.Protobuf;

namespace CreditExchange.Server.Records;

/// <summary>
/// Opaque keyset page token: the last (decision date, sequence) seen, bound to the query's
/// filters so a token cannot be replayed against another query.
/// </summary>
internal static class PageToken
{
    private const byte Version = 1;
    private const int FilterHashLength = 16;
    private const int Length = 1 + FilterHashLength + 4 + 8;

    public static string Encode(ListSubjectRecordsRequest request, DateOnly decisionDate, long sequence)
    {
        var bytes = new byte[Length];
        bytes[0] = Version;
        FilterHash(request).CopyTo(bytes.AsSpan(1));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1 + FilterHashLength), decisionDate.DayNumber);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1 + FilterHashLength + 4), sequence);
        return Base64Url.EncodeToString(bytes);
    }

    public static (DateOnly DecisionDate, long Sequence)? Decode(ListSubjectRecordsRequest request)
    {
        if (request.PageToken.Length == 0)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[Length + 3];
        if (!Base64Url.IsValid(request.PageToken, out var decodedLength) || decodedLength != Length
            || !Base64Url.TryDecodeFromChars(request.PageToken, bytes, out var written) || written != Length || bytes[0] != Version
            || !bytes.Slice(1, FilterHashLength).SequenceEqual(FilterHash(request)))
        {
            throw Invalid();
        }

        var day = BinaryPrimitives.ReadInt32BigEndian(bytes[(1 + FilterHashLength)..]);
        var sequence = BinaryPrimitives.ReadInt64BigEndian(bytes[(1 + FilterHashLength + 4)..]);
        if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber || sequence < 0)
        {
            throw Invalid();
        }

        return (DateOnly.FromDayNumber(day), sequence);
    }

    private static byte[] FilterHash(ListSubjectRecordsRequest request)
    {
        var filters = request.Clone();
        filters.PageToken = "";
        filters.PageSize = 0;
        if (filters.Subject?.KeyCase == SubjectKey.KeyOneofCase.ResidentId)
        {
            filters.Subject.ResidentId = RecordSubjects.NormalizeResidentId(filters.Subject.ResidentId);
        }

        return SHA256.HashData(filters.ToByteArray())[..FilterHashLength];
    }

    private static DomainException Invalid() => DomainException.InvalidArgument(
        ErrorReason.InvalidPageToken,
        [new FieldViolation("page_token", "is not a page token this hub issued for the same filters", "invalid_page_token")]);
}
