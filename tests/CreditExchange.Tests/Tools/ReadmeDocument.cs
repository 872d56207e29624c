using System.Text.RegularExpressions;

namespace CreditExchange.Tests.Tools;

/// <summary>One fenced code block of the README: where it is, its info string, the marker comment on the line before it.</summary>
/// <param name="Line">The 1-based README line of the opening fence.</param>
/// <param name="Info">The fence's info string (<c>sh</c>, <c>sh illustrative</c>, <c>json</c>, …).</param>
/// <param name="Marker">The HTML comment on the line just before the fence, without <c>&lt;!--</c> and <c>--&gt;</c>; empty if none.</param>
/// <param name="Section">The <c>## </c> section the block is in (its heading without the hashes).</param>
/// <param name="Lines">The block's lines, its indentation removed.</param>
public sealed partial record ReadmeBlock(int Line, string Info, string Marker, string Section, IReadOnlyList<string> Lines)
{
    public string Language => Info.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";

    public bool IsShell => Language is "sh" or "bash" or "shell" or "console";

    /// <summary>Marked as not run: <c>```sh illustrative</c>, or <c>&lt;!-- illustrative … --&gt;</c> on the line before the fence.</summary>
    public bool IsIllustrative =>
        Info.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Contains("illustrative", StringComparer.Ordinal)
        || Marker.StartsWith("illustrative", StringComparison.Ordinal);

    /// <summary>The README line of the block's i-th line.</summary>
    public int LineOf(int index) => Line + 1 + index;

    /// <summary>The block's shell commands: a line with its continuation lines (trailing <c>\</c>) and here-document bodies.</summary>
    public IReadOnlyList<ShellCommand> Commands()
    {
        var commands = new List<ShellCommand>();
        var i = 0;
        while (i < Lines.Count)
        {
            var first = i;
            string? terminator = null;
            while (true)
            {
                var line = Lines[i];
                if (terminator is null && HereDocument().Match(line) is { Success: true } here)
                {
                    terminator = here.Groups[1].Value;
                }

                i++;
                if (line.EndsWith('\\') && i < Lines.Count)
                {
                    continue;
                }

                if (terminator is not null)
                {
                    while (i < Lines.Count && Lines[i] != terminator)
                    {
                        i++;
                    }

                    i = Math.Min(i + 1, Lines.Count);
                }

                break;
            }

            commands.Add(new ShellCommand(this, first, i - first));
        }

        return commands;
    }

    [GeneratedRegex(@"<<-?\s*'?""?([A-Za-z_]+)'?""?")]
    private static partial Regex HereDocument();
}

/// <summary>One command of a shell block: <paramref name="Count"/> lines from line <paramref name="First"/> of the block.</summary>
public sealed partial record ShellCommand(ReadmeBlock Block, int First, int Count)
{
    public IEnumerable<string> Lines => Block.Lines.Skip(First).Take(Count);

    /// <summary>The README line the command starts on.</summary>
    public int Line => Block.LineOf(First);

    /// <summary>The command's first line, with its continuation lines joined (here-document bodies left out).</summary>
    public string Text
    {
        get
        {
            var joined = new List<string>();
            foreach (var line in Lines)
            {
                joined.Add(line.TrimEnd('\\').Trim());
                if (!line.EndsWith('\\'))
                {
                    break;
                }
            }

            return string.Join(' ', joined);
        }
    }

    public bool IsComment => Text.StartsWith('#') || Text.Length == 0;

    /// <summary>grpcurl is not installed where the tests run: such a command needs a buf curl twin beside it.</summary>
    public bool IsGrpcurl => Text.StartsWith("grpcurl ", StringComparison.Ordinal);

    public bool IsBufCurl => Text.Contains("$BUF ", StringComparison.Ordinal) || Text.Contains("buf curl", StringComparison.Ordinal);
}

/// <summary>README.md of the repository, read as Markdown fenced blocks and headings.</summary>
public sealed partial class ReadmeDocument
{
    private ReadmeDocument(string path, IReadOnlyList<string> lines, IReadOnlyList<ReadmeBlock> blocks)
    {
        Path = path;
        Lines = lines;
        Blocks = blocks;
    }

    public string Path { get; }

    public IReadOnlyList<string> Lines { get; }

    public IReadOnlyList<ReadmeBlock> Blocks { get; }

    public IEnumerable<ReadmeBlock> ShellBlocks => Blocks.Where(b => b.IsShell);

    public static ReadmeDocument Load() => Parse(RepositoryFile("README.md"));

    public static ReadmeDocument Parse(string path)
    {
        var lines = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<ReadmeBlock>();
        var section = "";
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("## ", StringComparison.Ordinal))
            {
                section = lines[i][3..].Trim();
                continue;
            }

            var open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var indent = open.Groups[1].Value.Length;
            var body = new List<string>();
            var j = i + 1;
            while (j < lines.Length && !Fence().IsMatch(lines[j]))
            {
                body.Add(lines[j].Length >= indent && string.IsNullOrWhiteSpace(lines[j][..indent]) ? lines[j][indent..] : lines[j].TrimStart());
                j++;
            }

            var marker = i > 0 && MarkerComment().Match(lines[i - 1].Trim()) is { Success: true } m ? m.Groups[1].Value.Trim() : "";
            blocks.Add(new ReadmeBlock(i + 1, open.Groups[2].Value.Trim(), marker, section, body));
            i = j;
        }

        return new ReadmeDocument(path, lines, blocks);
    }

    /// <summary>The blocks a reader runs in order, in one shell, in the integrator walk-through (the section <c>## For integrators</c>).</summary>
    public IReadOnlyList<ReadmeBlock> WalkThrough() =>
        [.. ShellBlocks.Where(b => b.Section == "For integrators" && !b.IsIllustrative)];

    /// <summary>The shell blocks just before and after <paramref name="block"/> in the document.</summary>
    public IEnumerable<ReadmeBlock> Neighbours(ReadmeBlock block)
    {
        var shell = ShellBlocks.ToList();
        var at = shell.IndexOf(block);
        if (at > 0)
        {
            yield return shell[at - 1];
        }

        if (at < shell.Count - 1)
        {
            yield return shell[at + 1];
        }
    }

    public static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, "protos")) && File.Exists(System.IO.Path.Combine(dir.FullName, "CreditExchange.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, name);
            }
        }

        throw new InvalidOperationException($"{name} was not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^(\s*)```(.*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^<!--(.*?)-->$")]
    private static partial Regex MarkerComment();
}
