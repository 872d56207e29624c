using System.Reflection;
using CreditExchange.Contracts.Api.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace CreditExchange.Client;

/// <summary>
/// The gRPC service-config retry policy of the idempotent calls: UNAVAILABLE (the hub's storage or
/// audit briefly down) and RESOURCE_EXHAUSTED (rate limit) are retried with exponential backoff. A
/// rate-limit refusal carries RetryInfo and the grpc-retry-pushback-ms trailer with the same delay;
/// the channel waits exactly that long before the next attempt.
/// Which calls are idempotent is the contract's to say, not this class's: every RPC declares
/// <c>option (creditexchange.api.v1.policy)</c> (protos/creditexchange/api/v1/policy.proto), and the
/// calls retried are exactly those whose policy sets <c>idempotent: true</c> (submissions, which are
/// idempotent on source_record_id, the reads and feed acknowledgements). Lifecycle and agency changes,
/// whose retries would meet VERSION_MISMATCH or ALREADY_EXISTS, and the feed stream, which
/// <see cref="FeedFollower"/> resumes instead, do not set it.
/// </summary>
public static class HubRetryPolicy
{
    /// <summary>The wait before the second attempt; it doubles with each further one, up to <see cref="MaxBackoff"/>.</summary>
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between attempts (without the hub's pushback).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary>The factor the wait grows by from one attempt to the next.</summary>
    public const double BackoffMultiplier = 2;

    private static readonly MessageParser<MethodOptions> OptionsParser =
        MethodOptions.Parser.WithExtensionRegistry(new ExtensionRegistry { PolicyExtensions.Policy });

    /// <summary>
    /// Every idempotent method of every creditexchange service compiled into this SDK, as (full service
    /// name, method name), e.g. ("creditexchange.records.v1.RecordService", "SubmitRecord"): read from
    /// the generated descriptors' policy option, in file, service and method order.
    /// </summary>
    public static IReadOnlyList<(string Service, string Method)> IdempotentMethods { get; } =
        [.. from service in ContractServices()
            from method in service.Methods
            where PolicyOf(method)?.Idempotent == true
            select (service.FullName, method.Name)];

    /// <summary>
    /// The idempotent methods whose requests the agency signs (<see cref="RequestSigner"/>): they are retried by the
    /// signer, each attempt signed anew, not by the channel (which would resend a spent nonce).
    /// </summary>
    public static IReadOnlySet<(string Service, string Method)> SignedRetriedMethods { get; } =
        (from service in ContractServices()
            from method in service.Methods
            where PolicyOf(method)?.Idempotent == true && RequestSigner.SignatureField(method.InputType) is not null
            select (service.FullName, method.Name)).ToHashSet();

    /// <summary>
    /// The method's policy option, read from the options' bytes with this assembly's extension: a process that also
    /// loads the hub's contract assembly (the hub's tests) may hold the option parsed as that assembly's type.
    /// </summary>
    private static MethodPolicy? PolicyOf(MethodDescriptor method) =>
        method.GetOptions() is { } options ? OptionsParser.ParseFrom(options.ToByteArray()).GetExtension(PolicyExtensions.Policy) : null;

    /// <summary>The service config to set on the channel (<c>GrpcChannelOptions.ServiceConfig</c>).</summary>
    public static ServiceConfig ServiceConfig(int maxAttempts)
    {
        var retried = new MethodConfig
        {
            RetryPolicy = maxAttempts <= 1 ? null : new RetryPolicy
            {
                MaxAttempts = maxAttempts,
                InitialBackoff = InitialBackoff,
                MaxBackoff = MaxBackoff,
                BackoffMultiplier = BackoffMultiplier,
                RetryableStatusCodes = { StatusCode.Unavailable, StatusCode.ResourceExhausted },
            },
        };
        foreach (var (service, method) in IdempotentMethods.Where(m => !SignedRetriedMethods.Contains(m)))
        {
            retried.Names.Add(new MethodName { Service = service, Method = method });
        }

        return new ServiceConfig { MethodConfigs = { retried } };
    }

    /// <summary>
    /// The services of every creditexchange.* proto file Grpc.Tools compiled into this assembly (each
    /// file's generated <c>*Reflection</c> class holds its descriptor), ordered by file name.
    /// </summary>
    private static IEnumerable<ServiceDescriptor> ContractServices() =>
        from type in typeof(HubRetryPolicy).Assembly.GetTypes()
        where type is { IsAbstract: true, IsSealed: true, Namespace: not null } && type.Namespace.StartsWith("CreditExchange.Contracts.", StringComparison.Ordinal)
        let property = type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)
        where property?.PropertyType == typeof(FileDescriptor)
        let file = (FileDescriptor)property.GetValue(null)!
        where file.Package.StartsWith("creditexchange.", StringComparison.Ordinal)
        orderby file.Name, type.FullName
        from service in file.Services
        select service;
}
