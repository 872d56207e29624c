using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Paging;
using CreditExchange.Server.Privacy;
using Google.Protobuf;

namespace CreditExchange.Server.Records;

/// <summary>
/// The record lists' page tokens (<see cref="KeysetPageToken"/>: ListSubjectRecords, ListProjectRecords):
/// the last (decision date, sequence) seen, bound to the query's method and filters.
/// </summary>
internal static class PageToken
{
    public static string Encode(ListSubjectRecordsRequest request, DateOnly decisionDate, long sequence) =>
        KeysetPageToken.Encode(Binding(request), decisionDate, sequence);

    public static (DateOnly DecisionDate, long Sequence)? Decode(ListSubjectRecordsRequest request) =>
        KeysetPageToken.Decode(request.PageToken, Binding(request));

    public static string Encode(ListProjectRecordsRequest request, DateOnly decisionDate, long sequence) =>
        KeysetPageToken.Encode(Binding(request), decisionDate, sequence);

    public static (DateOnly DecisionDate, long Sequence)? Decode(ListProjectRecordsRequest request) =>
        KeysetPageToken.Decode(request.PageToken, Binding(request));

    private static byte[] Binding(ListSubjectRecordsRequest request)
    {
        var filters = request.Clone();
        filters.PageToken = "";
        filters.PageSize = 0;
        if (filters.Subject?.KeyCase == SubjectKey.KeyOneofCase.ResidentId)
        {
            filters.Subject.ResidentId = RecordSubjects.NormalizeResidentId(filters.Subject.ResidentId);
        }

        return KeysetPageToken.Bind(ListSubjectRecordsRequest.Descriptor.FullName, filters.ToByteArray());
    }

    private static byte[] Binding(ListProjectRecordsRequest request) =>
        KeysetPageToken.Bind(ListProjectRecordsRequest.Descriptor.FullName, new ListProjectRecordsRequest { ProjectCode = request.ProjectCode }.ToByteArray());
}
