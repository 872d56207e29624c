using CreditExchange.Contracts.Records.V1;

namespace CreditExchange.Tests.Records;

/// <summary>Submitting in tests.</summary>
public static class RecordsKit
{
    /// <summary>Streams <paramref name="items"/> as one <c>SubmitRecords</c> batch and returns its answer.</summary>
    public static async Task<SubmitRecordsResponse> SubmitBatchAsync(this RecordService.RecordServiceClient client, params IEnumerable<SubmitRecordRequest> items)
    {
        using var call = client.SubmitRecords();
        foreach (var item in items)
        {
            await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = item });
        }

        await call.RequestStream.CompleteAsync();
        return await call;
    }
}
