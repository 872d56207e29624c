using System.Collections.Frozen;
using CreditExchange.Contracts;
using CreditExchange.Contracts.Api.V1;
using CreditExchange.Domain.Agencies;
using Google.Protobuf.Reflection;

namespace CreditExchange.Server.Calls;

/// <summary>A method of the contract with its declared policy (the <c>creditexchange.api.v1.policy</c> option).</summary>
/// <param name="Path">The gRPC path, "/package.Service/Method".</param>
/// <param name="Policy">The declared policy; null when the method declares none (the pipeline then refuses every call).</param>
public sealed record HubMethod(string Path, MethodDescriptor Descriptor, MethodPolicy? Policy)
{
    /// <summary>The scope a call needs; null when none is declared.</summary>
    public string? Scope => Policy is { Scope.Length: > 0 } p ? p.Scope : null;

    /// <summary>Streams that may outlive Hub:Limits:MaxCallDuration (the feed): no server-side deadline, no unary gate.</summary>
    public bool LongLived => Policy?.LongLived == true;

    /// <summary>One call may read or answer many records (the policy's <c>bulk</c>): it runs in the bulk lane (Hub:Limits:MaxConcurrentBulkCalls).</summary>
    public bool Bulk => Policy?.Bulk == true;

    /// <summary>Whether a request message arrives before the handler runs (unary and server-streaming calls).</summary>
    public bool HasSingleRequest => !Descriptor.IsClientStreaming;
}

/// <summary>
/// Which calls are the hub's own (certificate, token, scope, audit, limits) as opposed to reflection and health,
/// which need the certificate only: exactly the methods of the contract (<see cref="HubContract"/>), each with the
/// policy it declares, read from the descriptors. Decided once per call, by path. (A singleton; tests may build one
/// from other descriptors, e.g. a contract whose option they changed.)
/// </summary>
public sealed class HubMethods
{
    private readonly FrozenDictionary<string, HubMethod> _byPath;

    public HubMethods(IEnumerable<MethodDescriptor> methods) =>
        _byPath = methods
            .Select(m => new HubMethod(HubContract.Path(m), m, HubContract.PolicyOf(m)))
            .ToFrozenDictionary(m => m.Path, StringComparer.Ordinal);

    /// <summary>The contract as compiled into the hub.</summary>
    public static HubMethods Contract { get; } = new(HubContract.Methods);

    /// <summary>Every method of the contract.</summary>
    public IEnumerable<HubMethod> All => _byPath.Values;

    /// <summary>The contract's method at a gRPC path ("/creditexchange.records.v1.RecordService/GetRecord"), or null.</summary>
    public HubMethod? Find(string path) => _byPath.GetValueOrDefault(path);

    /// <summary>
    /// What is wrong with the declared policies, one line per method: a method without the option, or whose scope is
    /// not one the hub grants (<see cref="Scopes.All"/>). Empty when every method is declared. The hub refuses to start
    /// otherwise.
    /// </summary>
    public IReadOnlyList<string> PolicyProblems() =>
        [.. All.OrderBy(m => m.Path, StringComparer.Ordinal).Select(m => m switch
        {
            { Policy: null } => $"{m.Path} declares no (creditexchange.api.v1.policy) option",
            { Scope: null } => $"{m.Path} declares no scope in its policy",
            { Scope: { } scope } when !Scopes.All.Contains(scope) => $"{m.Path} declares the unknown scope '{scope}'",
            _ => null,
        }).OfType<string>()];
}
