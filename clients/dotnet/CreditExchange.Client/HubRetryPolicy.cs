using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace CreditExchange.Client;

/// <summary>
/// The gRPC service-config retry policy of the idempotent calls: UNAVAILABLE (the hub's storage or
/// audit briefly down) and RESOURCE_EXHAUSTED (rate limit) are retried with exponential backoff. A
/// rate-limit refusal carries RetryInfo and the grpc-retry-pushback-ms trailer with the same delay;
/// the channel waits exactly that long before the next attempt.
/// Retried: every RecordService call (submissions are idempotent on source_record_id), the reads and feed acknowledgements.
/// Not retried: lifecycle and agency changes, whose retries would meet VERSION_MISMATCH or ALREADY_EXISTS.
/// </summary>
public static class HubRetryPolicy
{
    /// <summary>Whole services whose every method is idempotent.</summary>
    public static IReadOnlyList<string> IdempotentServices { get; } =
    [
        "creditexchange.records.v1.RecordService",
        "creditexchange.appraisal.v1.AppraisalService",
        "creditexchange.creditfile.v1.CreditFileService",
        "creditexchange.statistics.v1.StatisticsService",
        "creditexchange.audit.v1.AuditService",
        "creditexchange.receipts.v1.ReceiptService",
        "creditexchange.publication.v1.PublicationService",
    ];

    /// <summary>Single idempotent methods of services that also change state.</summary>
    public static IReadOnlyList<(string Service, string Method)> IdempotentMethods { get; } =
    [
        ("creditexchange.lifecycle.v1.LifecycleService", "GetRecordHistory"),
        ("creditexchange.lifecycle.v1.LifecycleService", "ListOverdueObjections"),
        ("creditexchange.admin.v1.AdminService", "ListAgencies"),
        // Acknowledging is idempotent and never moves a subscription back. Subscribe is resumed by FeedFollower instead.
        ("creditexchange.feed.v1.FeedService", "AcknowledgeEvents"),
    ];

    /// <summary>The service config to set on the channel (<c>GrpcChannelOptions.ServiceConfig</c>).</summary>
    public static ServiceConfig ServiceConfig(int maxAttempts)
    {
        var retried = new MethodConfig
        {
            RetryPolicy = maxAttempts <= 1 ? null : new RetryPolicy
            {
                MaxAttempts = maxAttempts,
                InitialBackoff = TimeSpan.FromMilliseconds(200),
                MaxBackoff = TimeSpan.FromSeconds(5),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable, StatusCode.ResourceExhausted },
            },
        };
        foreach (var service in IdempotentServices)
        {
            retried.Names.Add(new MethodName { Service = service });
        }

        foreach (var (service, method) in IdempotentMethods)
        {
            retried.Names.Add(new MethodName { Service = service, Method = method });
        }

        return new ServiceConfig { MethodConfigs = { retried } };
    }
}
