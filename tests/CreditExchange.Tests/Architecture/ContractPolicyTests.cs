using CreditExchange.Contracts;
using CreditExchange.Contracts.Api.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Server.Calls;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Operations;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Tests.Architecture;

/// <summary>
/// Each method's policy lives in the contract (the creditexchange.api.v1.policy option), and everything that must
/// cover every method enumerates the contract: a new service is served, health-mapped and covered by the
/// hostile-input, every-field and outage suites without an edit, and forgetting any part of it fails here.
/// </summary>
[Collection("postgres")]
public sealed class ContractPolicyTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EveryContractMethod_ServedHealthMappedAndGivenToTheEveryMethodSuites()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        var served = hub.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var health = new Health.HealthClient(hub.Channel(TestCertificates.Agency("drc")));

        Assert.Equal(13, HubContract.Services.Count);
        Assert.All(HubContract.Methods, m => Assert.Contains(HubContract.Path(m), served));
        foreach (var service in HubContract.Services)
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = service.FullName })).Status);
        }

        // The every-method suites (hostile input, every field, outage) run every method the contract declares, from
        // ContractCalls, which has a valid request for each: a method without one fails them.
        Assert.Equal(HubContract.Methods.Count, ContractCalls.Methods().Count);
        Assert.All(ContractCalls.Methods(), m => ContractCalls.For(m.Name));
    }

    [Fact]
    public async Task MethodWithoutPolicy_TheHubRefusesToStartNamingIt()
    {
        var methods = WithPolicy("creditexchange.receipts.v1.ReceiptService", "GetReceiptKeys", null);

        Assert.Contains("/creditexchange.receipts.v1.ReceiptService/GetReceiptKeys declares no (creditexchange.api.v1.policy) option", methods.PolicyProblems());
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), services: s => s.AddSingleton(methods)));
        Assert.Contains("GetReceiptKeys", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopeChangedInTheOption_ChangesWhoMayCall()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using (var shipped = await HubHost.StartAsync(database))
        {
            // As shipped, GetReceiptKeys needs records.read, which court holds.
            await new ReceiptService.ReceiptServiceClient(shipped.AgencyChannel("court")).GetReceiptKeysAsync(new GetReceiptKeysRequest());
        }

        var methods = WithPolicy("creditexchange.receipts.v1.ReceiptService", "GetReceiptKeys", new MethodPolicy { Scope = "audit.read", Idempotent = true });
        await using var hub = await HubHost.StartAsync(database, services: s => s.AddSingleton(methods));

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("court")).GetReceiptKeysAsync(new GetReceiptKeysRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("SCOPE_MISSING", TestData.Reason(e));
        Assert.Contains("audit.read", e.Status.Detail, StringComparison.Ordinal);
        // drc holds audit.read.
        Assert.NotEmpty((await new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("drc")).GetReceiptKeysAsync(new GetReceiptKeysRequest())).Keys);
    }

    /// <summary>
    /// The contract's methods read from descriptors rebuilt with one method's policy option replaced (or removed):
    /// what the hub would read from a contract whose proto said so.
    /// </summary>
    private static HubMethods WithPolicy(string service, string method, MethodPolicy? policy)
    {
        var files = new List<FileDescriptor>();
        void Add(FileDescriptor file)
        {
            if (files.Exists(f => f.Name == file.Name))
            {
                return;
            }

            foreach (var dependency in file.Dependencies)
            {
                Add(dependency);
            }

            files.Add(file);
        }

        foreach (var file in HubContract.Files)
        {
            Add(file);
        }

        var registry = new ExtensionRegistry { PolicyExtensions.Policy };
        var protos = files.Select(f => FileDescriptorProto.Parser.WithExtensionRegistry(registry).ParseFrom(f.SerializedData)).ToList();
        var target = protos.SelectMany(p => p.Service.Select(s => (File: p, Service: s))).Single(x => $"{x.File.Package}.{x.Service.Name}" == service).Service;
        var options = target.Method.Single(m => m.Name == method).Options;
        options.ClearExtension(PolicyExtensions.Policy);
        if (policy is not null)
        {
            options.SetExtension(PolicyExtensions.Policy, policy);
        }

        var rebuilt = FileDescriptor.BuildFromByteStrings(protos.Select(p => p.ToByteString()), registry);
        return new HubMethods(rebuilt.Where(f => f.Package.StartsWith(HubContract.PackagePrefix, StringComparison.Ordinal)).SelectMany(f => f.Services).SelectMany(s => s.Methods));
    }
}
