using System.Collections.Frozen;
using System.Reflection;
using CreditExchange.Contracts.Api.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CreditExchange.Contracts;

/// <summary>
/// The contract as compiled into this assembly: every creditexchange proto file, service and method, found from the
/// generated descriptors (never a hand-kept list), and each method's <see cref="MethodPolicy"/> option. The hub's
/// pipeline, health map and validation, and the every-method test suites enumerate it, so a new service or method is
/// covered without an edit.
/// </summary>
public static class HubContract
{
    /// <summary>The package prefix of the contract's own files (not the vendored google and buf ones).</summary>
    public const string PackagePrefix = "creditexchange.";

    /// <summary>Every creditexchange file of the contract, by name.</summary>
    public static IReadOnlyList<FileDescriptor> Files { get; } = typeof(HubContract).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: true, IsSealed: true } && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
        .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
        .OfType<FileDescriptor>()
        .Where(f => f.Package.StartsWith(PackagePrefix, StringComparison.Ordinal))
        .DistinctBy(f => f.Name)
        .OrderBy(f => f.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>Every service the contract declares.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services { get; } = Files.SelectMany(f => f.Services).ToList();

    /// <summary>Every method of every service.</summary>
    public static IReadOnlyList<MethodDescriptor> Methods { get; } = Services.SelectMany(s => s.Methods).ToList();

    private static readonly FrozenDictionary<string, MethodDescriptor> ByPath =
        Methods.ToFrozenDictionary(Path, StringComparer.Ordinal);

    /// <summary>The gRPC path of a method: "/package.Service/Method".</summary>
    public static string Path(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    /// <summary>The contract's method at a gRPC path, or null when the path is not one of the contract's.</summary>
    public static MethodDescriptor? Find(string path) => ByPath.GetValueOrDefault(path);

    private static readonly MessageParser<MethodOptions> OptionsParser =
        MethodOptions.Parser.WithExtensionRegistry(new ExtensionRegistry { PolicyExtensions.Policy });

    /// <summary>
    /// The method's policy option; null when it declares none. Read from the options' bytes with this assembly's
    /// extension, so a descriptor parsed elsewhere (another assembly compiled from the same protos, as the C# SDK is,
    /// or a descriptor set built at run time) reads the same.
    /// </summary>
    public static MethodPolicy? PolicyOf(MethodDescriptor method) =>
        method.GetOptions() is { } options && OptionsParser.ParseFrom(options.ToByteArray()) is { } parsed && parsed.HasExtension(PolicyExtensions.Policy)
            ? parsed.GetExtension(PolicyExtensions.Policy)
            : null;
}
