using System.Text.RegularExpressions;

namespace CreditExchange.Tests.Architecture;

/// <summary>
/// Each feature wires itself (Add&lt;Feature&gt;/Map&lt;Feature&gt; in its folder), features never depend on
/// the host, and the middleware order lives in one place (HubApp), so Map methods only map.
/// </summary>
public sealed partial class FeatureWiringTests
{
    private static readonly string ServerFolder = Path.Combine(RepositoryRoot(), "src", "CreditExchange.Server");

    public static TheoryData<string> FeatureFolders()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(ServerFolder)
                     .Select(Path.GetFileName)
                     .Where(name => name is not ("bin" or "obj" or "Properties" or "Hosting" or "Validation" or "Calls"))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(folder!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FeatureFolders))]
    public void FeatureFolder_NeverReferencesTheHost(string folder)
    {
        var offenders = SourceFiles(folder).Where(f => File.ReadAllText(f).Contains("CreditExchange.Server.Hosting", StringComparison.Ordinal)).ToList();

        Assert.Empty(offenders);
    }

    [Theory]
    [MemberData(nameof(FeatureFolders))]
    public void FeatureFolder_WiresItselfAndItsMapMethodsOnlyMap(string folder)
    {
        var wiring = SourceFiles(folder).Where(f => f.EndsWith("Extensions.cs", StringComparison.Ordinal)).ToList();
        var text = string.Join("\n", wiring.Select(File.ReadAllText));

        Assert.NotEmpty(wiring);
        Assert.Matches(AddMethod(), text);
        Assert.DoesNotMatch(MiddlewareCall(), text);
    }

    [Fact]
    public void HubApp_IsTheOnlyPlaceThatAddsMiddleware()
    {
        var users = Directory.GetFiles(ServerFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => MiddlewareCall().IsMatch(File.ReadAllText(f)))
            .Select(Path.GetFileName)
            .ToList();

        Assert.Equal(["HubApp.cs"], users);
    }

    private static string[] SourceFiles(string folder) =>
        Directory.GetFiles(Path.Combine(ServerFolder, folder), "*.cs", SearchOption.AllDirectories);

    [GeneratedRegex(@"public static \w+ (Add|Initialize)\w*\(this (IHostApplicationBuilder|WebApplicationBuilder|IServiceCollection|WebApplication) ")]
    private static partial Regex AddMethod();

    // app.UseX(...) on a WebApplication / IApplicationBuilder: adding middleware.
    [GeneratedRegex(@"\bapp\.Use[A-Z]\w*\(")]
    private static partial Regex MiddlewareCall();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreditExchange.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (CreditExchange.sln) was not found above " + AppContext.BaseDirectory);
    }
}
