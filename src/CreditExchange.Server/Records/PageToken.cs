using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Errors;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;
using Google.Protobuf;

namespace CreditExchange.Server.Records;

/// <summary>
/// Opaque keyset page token of the record lists (ListSubjectRecords, ListProjectRecords): the last
/// (decision date, sequence) seen, bound to the query's filters and its method, so a token cannot be
/// replayed against another query.
/// </summary>
internal static class PageToken
{
    private const byte Version = 1;
    private const int FilterHashLength = 16;
    private const int Length = 1 + FilterHashLength + 4 + 8;

    public static string Encode(ListSubjectRecordsRequest request, DateOnly decisionDate, long sequence) =>
        Encode(FilterHash(request), decisionDate, sequence);

    public static string Encode(ListProjectRecordsRequest request, DateOnly decisionDate, long sequence) =>
        Encode(FilterHash(request), decisionDate, sequence);

    public static (DateOnly DecisionDate, long Sequence)? Decode(ListSubjectRecordsRequest request) =>
        request.PageToken.Length == 0 ? null : Decode(request.PageToken, FilterHash(request));

    public static (DateOnly DecisionDate, long Sequence)? Decode(ListProjectRecordsRequest request) =>
        request.PageToken.Length == 0 ? null : Decode(request.PageToken, FilterHash(request));

    private static string Encode(byte[] filterHash, DateOnly decisionDate, long sequence)
    {
        var bytes = new byte[Length];
        bytes[0] = Version;
        filterHash.CopyTo(bytes.AsSpan(1));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1 + FilterHashLength), decisionDate.DayNumber);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1 + FilterHashLength + 4), sequence);
        return Base64Url.EncodeToString(bytes);
    }

    private static (DateOnly DecisionDate, long Sequence) Decode(string token, byte[] filterHash)
    {
        Span<byte> bytes = stackalloc byte[Length + 3];
        if (!Base64Url.IsValid(token, out var decodedLength) || decodedLength != Length
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != Length || bytes[0] != Version
            || !bytes.Slice(1, FilterHashLength).SequenceEqual(filterHash))
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

        // Subject-list tokens keep the hash earlier hubs issued (no method prefix), so they stay valid.
        return SHA256.HashData(filters.ToByteArray())[..FilterHashLength];
    }

    private static byte[] FilterHash(ListProjectRecordsRequest request)
    {
        // The method's name comes first, so a project token never matches a subject query's hash.
        var filters = new ListProjectRecordsRequest { ProjectCode = request.ProjectCode };
        return SHA256.HashData([.. Encoding.ASCII.GetBytes(ListProjectRecordsRequest.Descriptor.FullName), .. filters.ToByteArray()])[..FilterHashLength];
    }

    private static DomainException Invalid() => DomainException.InvalidArgument(
        "INVALID_PAGE_TOKEN",
        [new FieldViolation("page_token", "is not a page token this hub issued for the same filters", "invalid_page_token")]);
}
