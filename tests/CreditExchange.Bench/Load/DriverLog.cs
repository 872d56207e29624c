using System.Globalization;
using Grpc.Core;

namespace CreditExchange.Bench.Load;

/// <summary>What the scale-out drivers (<see cref="SubmissionDriver"/>, <see cref="FeedFollowDriver"/>) write: tab-separated lines stamped in unix ms.</summary>
internal static class DriverLog
{
    public static string Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>An exception's message on one line, without tabs.</summary>
    public static string Detail(Exception e) =>
        (e is RpcException rpc ? rpc.Status.Detail : e.Message).Replace('\t', ' ').Replace('\n', ' ');

    /// <summary>Writes a line; several clients share one writer.</summary>
    public static void Write(StreamWriter writer, string line)
    {
        lock (writer)
        {
            writer.WriteLine(line);
        }
    }
}
