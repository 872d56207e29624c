using Google.Protobuf;

namespace CreditExchange.Client;

/// <summary>Splits submissions into SubmitRecords streams the hub accepts.</summary>
public static class Batches
{
    // Per stream message framing: the SubmitRecordsRequest wrapper and the gRPC length prefix.
    private const int FramingBytes = 16;

    /// <summary>Consecutive groups of at most <paramref name="maxItems"/> items and <paramref name="maxBytes"/> encoded bytes, in order.</summary>
    public static IEnumerable<IReadOnlyList<T>> Split<T>(IEnumerable<T> items, int maxItems, long maxBytes)
        where T : IMessage
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        var batch = new List<T>();
        long bytes = 0;
        foreach (var item in items)
        {
            var size = item.CalculateSize() + FramingBytes;
            if (batch.Count > 0 && (batch.Count == maxItems || bytes + size > maxBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(item);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}
