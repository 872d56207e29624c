using System.Text.RegularExpressions;

namespace CreditExchange.Tests.Architecture;

/// <summary>
/// The folders of the hub and of the domain form layers: no folder depends, directly or through others, on a folder
/// that depends on it. A folder depends on another when its code names that folder's namespace (a using directive, a
/// qualified name, or the folder's name as a namespace relative to the project's).
/// </summary>
public sealed partial class FolderCycleTests
{
    [Theory]
    [InlineData("CreditExchange.Server")]
    [InlineData("CreditExchange.Domain")]
    public void ProjectFolders_HaveNoDependencyCycle(string project)
    {
        var graph = DependencyGraph(project);

        Assert.True(graph.Count >= 8, $"{project} has only {graph.Count} folders");
        var cycles = Cycles(graph);
        Assert.True(cycles.Count == 0, $"{project} has folder cycles: " + string.Join("; ", cycles.Select(c => string.Join(" -> ", c))));
    }

    [Fact]
    public void CycleDetection_FindsACycle()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };

        Assert.Equal(["A", "B", "C"], Assert.Single(Cycles(graph)).Order(StringComparer.Ordinal));
    }

    /// <summary>Each folder of the project and the other folders its code names.</summary>
    private static Dictionary<string, HashSet<string>> DependencyGraph(string project)
    {
        var root = Path.Combine(RepositoryRoot(), "src", project);
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj" or "Properties" or "Migrations"))
            .ToList();
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var code = LineComment().Replace(File.ReadAllText(file), "");
                foreach (var other in folders.Where(o => o != folder))
                {
                    var qualified = new Regex($@"\b{Regex.Escape(project)}\.{Regex.Escape(other)}\b");
                    var relative = new Regex($@"(?<![\w.]){Regex.Escape(other)}\.[A-Z]");
                    if (qualified.IsMatch(code) || relative.IsMatch(code))
                    {
                        graph[folder].Add(other);
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>The strongly connected components of more than one folder (Tarjan).</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<List<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph[v].Where(graph.ContainsKey))
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w) && index.TryGetValue(w, out var wIndex))
                {
                    low[v] = Math.Min(low[v], wIndex);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    cycles.Add(component);
                }
            }
        }

        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return cycles;
    }

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

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
