namespace CreditExchange.Server.Limits;

/// <summary>A method whose calls may outlive Hub:Limits:MaxCallDuration (a feed stream runs for days).</summary>
/// <param name="Path">The gRPC path, "/package.Service/Method".</param>
public sealed record LongLivedMethod(string Path);

/// <summary>The methods features declared long-lived (<see cref="LongLivedMethod"/>), for the server-side deadline to leave alone.</summary>
public sealed class LongLivedMethods(IEnumerable<LongLivedMethod> methods)
{
    private readonly HashSet<string> _paths = methods.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);

    public bool Contains(string path) => _paths.Contains(path);
}
