using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CreditExchange.Tests.Hub;

namespace CreditExchange.Tests.Tools;

/// <summary>
/// The README runs as it stands: its integrator walk-through, block after block in one bash session, against a live
/// hub (its address and certificates passed as <c>HUB</c> and <c>CERTS</c>, which the README's first block defaults
/// to a reader's <c>localhost:5443</c> and <c>certs-dev</c>); grpcurl, not installable here, is skipped where a buf
/// curl twin sits beside it. Every other shell block is run by a test of its own (named by the marker comment
/// before it) or marked illustrative.
/// </summary>
public sealed partial class ReadmeBlocksTests
{
    private static readonly ReadmeDocument Readme = ReadmeDocument.Load();

    [Fact]
    public async Task WalkThrough_RunInOrderInOneShell_EveryBlockSucceedsAgainstALiveHub()
    {
        var walk = Readme.WalkThrough();
        Assert.True(walk.Count >= 10, $"the integrator walk-through has only {walk.Count} runnable blocks");
        var (script, readmeLineOf) = Script(walk);

        var scratch = Directory.CreateTempSubdirectory("creditexchange-readme-").FullName;
        try
        {
            // A checkout as the reader has it after `npm ci`: the pinned buf and the contract; everything the
            // blocks write (record.json, …) lands here, not in the repository.
            Directory.CreateSymbolicLink(Path.Combine(scratch, "node_modules"), NodeModules());
            Directory.CreateSymbolicLink(Path.Combine(scratch, "protos"), ReadmeDocument.RepositoryFile("protos"));
            await File.WriteAllTextAsync(Path.Combine(scratch, "readme-walk-through.sh"), script);

            await using var hub = await HubHost.StartAsync(null);
            var (exitCode, output) = await RunBashAsync(scratch, new()
            {
                ["HUB"] = $"{hub.Address.Host}:{hub.Address.Port}",
                ["CERTS"] = TestCertificates.Set.Folder,
            });

            if (exitCode != 0)
            {
                Assert.Fail(Failure(exitCode, output, walk, readmeLineOf));
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public void EveryShellBlock_RunByATestOrMarkedIllustrative()
    {
        var testSources = Directory.GetFiles(ReadmeDocument.RepositoryFile("tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && Path.GetFileName(f) is not (nameof(ReadmeBlocksTests) + ".cs") and not "ReadmeDocument.cs")
            .Select(File.ReadAllText)
            .ToList();
        var walk = Readme.WalkThrough();

        var unaccounted = Readme.ShellBlocks
            .Where(b => !b.IsIllustrative && !walk.Contains(b))
            .Where(b => b.Marker.Length == 0 || !testSources.Any(s => s.Contains(b.Marker, StringComparison.Ordinal)))
            .Select(b => $"README.md line {b.Line} (section \"{b.Section}\", marker \"{b.Marker}\"): {(b.Lines.Count > 0 ? b.Lines[0] : "")}")
            .ToList();

        Assert.True(
            unaccounted.Count == 0,
            "Shell blocks that no test runs and that are not marked illustrative (put it in the integrator walk-through, name "
            + "it with a <!-- marker --> a test runs, or mark it ```sh illustrative / <!-- illustrative -->):\n" + string.Join('\n', unaccounted));
    }

    [Fact]
    public void EveryGrpcurlCall_HasARunnableBufCurlTwinInTheSameOrAnAdjacentBlock()
    {
        var problems = new List<string>();
        var calls = 0;
        foreach (var block in Readme.ShellBlocks)
        {
            var near = new[] { block }.Concat(Readme.Neighbours(block)).Where(b => !b.IsIllustrative).ToList();
            var others = near.SelectMany(b => b.Commands()).Where(c => !c.IsGrpcurl && !c.IsComment).ToList();
            foreach (var grpcurl in block.Commands().Where(c => c.IsGrpcurl))
            {
                calls++;
                var words = grpcurl.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var describe = Array.IndexOf(words, "describe");
                var method = words.LastOrDefault(w => GrpcMethod().IsMatch(w));
                bool twinned;
                string what;
                if (words[^1] == "list")
                {
                    (what, twinned) = ("list", others.Any(c => c.IsBufCurl && c.Text.Contains("--list-methods", StringComparison.Ordinal)));
                }
                else if (describe > 0 && describe < words.Length - 1)
                {
                    // buf curl has no describe: the twin asks reflection for the symbol's file.
                    var symbol = words[describe + 1];
                    (what, twinned) = ($"describe {symbol}", others.Any(c => c.Text.Contains(symbol, StringComparison.Ordinal))
                        && others.Any(c => c.IsBufCurl && c.Text.Contains("ServerReflectionInfo", StringComparison.Ordinal)));
                }
                else if (method is not null)
                {
                    (what, twinned) = (method, others.Any(c => c.IsBufCurl && c.Text.Contains("/" + method, StringComparison.Ordinal)));
                }
                else
                {
                    (what, twinned) = ("(no method found)", false);
                }

                if (!twinned)
                {
                    problems.Add($"README.md line {grpcurl.Line}: grpcurl {what} has no runnable buf curl twin in its block or the next to it");
                }
            }
        }

        Assert.True(calls >= 20, $"only {calls} grpcurl calls found: is the parser still reading the README?");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void WalkThrough_NoPlaceholders()
    {
        var placeholders = Readme.WalkThrough()
            .SelectMany(b => b.Commands())
            .Where(c => !c.IsComment && !c.IsGrpcurl)
            .SelectMany(c => c.Lines.Select((line, i) => (Line: c.Line + i, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith('#') && (Placeholder().IsMatch(l.Text) || l.Text.Contains('…', StringComparison.Ordinal)))
            .Select(l => $"README.md line {l.Line}: {l.Text}")
            .ToList();

        Assert.True(placeholders.Count == 0, "Placeholders a reader cannot run (define the value in an earlier block, e.g. captured with jq):\n" + string.Join('\n', placeholders));
    }

    [Fact]
    public void TableOfContents_LinksEverySectionAndEveryLinkResolves()
    {
        var headings = Readme.Lines.Where(l => Regex.IsMatch(l, "^#{2,3} ") && l != "## Contents").Select(l => l.TrimStart('#').Trim()).ToList();
        var anchors = Readme.Lines.Where(l => l.StartsWith('#')).Select(l => Anchor(l.TrimStart('#').Trim())).ToHashSet();
        var text = string.Join('\n', Readme.Lines);
        var contents = text[text.IndexOf("## Contents", StringComparison.Ordinal)..text.IndexOf("\n## Run and test", StringComparison.Ordinal)];

        Assert.All(headings, h => Assert.Contains($"[{h}](#{Anchor(h)})", contents, StringComparison.Ordinal));
        var links = MarkdownLink().Matches(text).Select(m => m.Groups[1].Value).Where(l => !l.StartsWith("http", StringComparison.Ordinal)).ToList();
        Assert.All(links.Where(l => l.StartsWith('#')), l => Assert.Contains(l[1..], anchors));
        Assert.All(
            links.Where(l => !l.StartsWith('#')),
            l => Assert.True(Path.Exists(ReadmeDocument.RepositoryFile(l.Split('#')[0])), $"README links {l}, which does not exist"));
        Assert.Contains("docs/benchmark.md", links);
    }

    /// <summary>The walk-through as one bash script, each grpcurl command replaced by a no-op line; the README line of each script line.</summary>
    private static (string Script, Dictionary<int, int> ReadmeLineOf) Script(IReadOnlyList<ReadmeBlock> walk)
    {
        var script = new List<string>
        {
            "set -Eeuo pipefail",
            "exec 2>&1",
            "trap 'echo \"@@README-FAILED $LINENO\"' ERR",
        };
        var readmeLineOf = new Dictionary<int, int>();
        foreach (var block in walk)
        {
            script.Add($"echo '@@README-BLOCK {block.Line}'");
            foreach (var command in block.Commands())
            {
                var lines = command.Lines.ToList();
                for (var i = 0; i < lines.Count; i++)
                {
                    readmeLineOf[script.Count + 1] = command.Line + i;
                    script.Add(command.IsGrpcurl ? $": grpcurl not run here: README line {command.Line + i} has its buf curl twin beside it" : lines[i]);
                }
            }
        }

        script.Add("echo '@@README-DONE'");
        return (string.Join('\n', script) + "\n", readmeLineOf);
    }

    private static string Failure(int exitCode, string output, IReadOnlyList<ReadmeBlock> walk, Dictionary<int, int> readmeLineOf)
    {
        var blockStart = output.LastIndexOf("@@README-BLOCK ", StringComparison.Ordinal);
        var blockLine = blockStart < 0 ? walk[0].Line : int.Parse(Regex.Match(output[blockStart..], @"@@README-BLOCK (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        // The ERR trap names the script line of a failed command; bash itself names it for a syntax error.
        var failed = Regex.Match(output, @"@@README-FAILED (\d+)");
        failed = failed.Success ? failed : Regex.Match(output, @"readme-walk-through\.sh: line (\d+):");
        var commandLine = failed.Success && readmeLineOf.TryGetValue(int.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture), out var l) ? l : blockLine;
        var block = walk.Single(b => b.Line == blockLine);
        var blockOutput = TraceLine().Replace(blockStart < 0 ? output : output[(output.IndexOf('\n', blockStart) + 1)..], "");
        return new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"The README block at README.md line {blockLine} failed (exit {exitCode}) at README.md line {commandLine}:")
            .AppendLine(CultureInfo.InvariantCulture, $"  {(commandLine - block.Line - 1 < block.Lines.Count && commandLine > block.Line ? block.Lines[commandLine - block.Line - 1] : "")}")
            .AppendLine("Its output:")
            .AppendLine(blockOutput.Trim())
            .ToString();
    }

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string folder, Dictionary<string, string> variables)
    {
        var bash = new ProcessStartInfo("bash") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        bash.ArgumentList.Add("readme-walk-through.sh");
        // The reader's environment, not the test process's: nothing the README does not define itself leaks in.
        bash.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "TMPDIR" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                bash.Environment[name] = value;
            }
        }

        bash.Environment["LANG"] = "C.UTF-8";
        foreach (var (name, value) in variables)
        {
            bash.Environment[name] = value;
        }

        using var process = Process.Start(bash)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await output + await errors + "\n(the walk-through did not finish within 5 minutes)");
        }

        return (process.ExitCode, await output + await errors);
    }

    /// <summary>The node_modules that `npm ci` fills at the repository root (tests/test.sh runs it), with the pinned buf.</summary>
    private static string NodeModules()
    {
        var folder = ReadmeDocument.RepositoryFile("node_modules");
        Assert.True(File.Exists(Path.Combine(folder, ".bin", "buf")), "node_modules/.bin/buf is missing: run `npm ci` at the repository root (tests/test.sh does).");
        return folder;
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped, spaces as dashes.</summary>
    private static string Anchor(string heading) =>
        AnchorDropped().Replace(heading.ToLowerInvariant(), "").Replace(' ', '-');

    [GeneratedRegex(@"^@@README-.*\n?", RegexOptions.Multiline)]
    private static partial Regex TraceLine();

    [GeneratedRegex(@"^[A-Za-z_][\w.]*\.[A-Za-z_]\w*/[A-Za-z_]\w*$")]
    private static partial Regex GrpcMethod();

    [GeneratedRegex(@"<[A-Za-z][A-Za-z0-9 _-]*>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"[^\w\- \u4e00-\u9fff]")]
    private static partial Regex AnchorDropped();
}
