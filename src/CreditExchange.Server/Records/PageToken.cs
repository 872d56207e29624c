using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Paging;
using Google.Protobuf;

namespace CreditExchange.Server.Records;

/// <summary>ListSubjectRecords' page token (<see cref="KeysetPageToken"/>): the last (decision date, sequence) seen, bound to the query's filters.</summary>
internal static class PageToken
{
    public static string Encode(ListSubjectRecordsRequest request, DateOnly decisionDate, long sequence) =>
        KeysetPageToken.Encode(Binding(request), decisionDate, sequence);

    public static (DateOnly DecisionDate, long Sequence)? Decode(ListSubjectRecordsRequest request) =>
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

        return KeysetPageToken.Bind(filters.ToByteArray());
    }
}
