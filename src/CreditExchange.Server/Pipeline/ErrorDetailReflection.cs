using System.Reflection;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace CreditExchange.Server.Pipeline;

/// <summary>
/// Server reflection that also serves the types a caller meets only inside error details: the
/// google.rpc detail messages (ErrorInfo, BadRequest, RetryInfo, LocalizedMessage…), google.rpc.Status
/// and the contract's ErrorReason. Without them `buf curl` and grpcurl print error details as base64.
/// Replaces the two reflection services that <c>AddGrpcReflection</c> registers; the services listed
/// are still exactly the mapped ones, as grpc-dotnet discovers them.
/// </summary>
public static class ErrorDetailReflection
{
    /// <summary>The files served besides the mapped services' own (with their imports).</summary>
    public static IReadOnlyList<FileDescriptor> ErrorFiles { get; } =
    [
        Google.Rpc.StatusReflection.Descriptor,
        Google.Rpc.ErrorDetailsReflection.Descriptor,
        Google.Rpc.CodeReflection.Descriptor,
        Contracts.Errors.V1.ErrorsReflection.Descriptor,
    ];

    /// <summary>Call after <c>AddGrpcReflection()</c>.</summary>
    public static IServiceCollection AddErrorDetailReflection(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ReflectionServiceImpl(Discover(sp).Names, Discover(sp).Registry));
        services.AddSingleton(sp => new ReflectionV1ServiceImpl(Discover(sp).Names, Discover(sp).Registry));
        services.AddSingleton<Discovered>();
        return services;
    }

    private static Discovered Discover(IServiceProvider sp) => sp.GetRequiredService<Discovered>();

    /// <summary>The mapped gRPC services, found the way grpc-dotnet's own reflection finds them.</summary>
    private sealed class Discovered
    {
        public Discovered(EndpointDataSource endpoints)
        {
            var descriptors = endpoints.Endpoints
                .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>())
                .OfType<GrpcMethodMetadata>()
                .Select(m => m.ServiceType)
                .Distinct()
                .Select(DescriptorOf)
                .OfType<ServiceDescriptor>()
                .ToList();
            Names = [.. descriptors.Select(d => d.FullName)];
            Registry = SymbolRegistry.FromFiles(descriptors.Select(d => d.File).Concat(ErrorFiles));
        }

        public IReadOnlyList<string> Names { get; }

        public SymbolRegistry Registry { get; }

        // A service implementation derives (perhaps through several classes) from Foo.FooBase, whose
        // declaring class Foo has the static Descriptor property.
        private static ServiceDescriptor? DescriptorOf(Type implementation)
        {
            var baseType = implementation.BaseType;
            while (baseType?.BaseType?.BaseType is not null)
            {
                baseType = baseType.BaseType;
            }

            return baseType?.DeclaringType?.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ServiceDescriptor;
        }
    }
}
