using System.Reflection;
using CreditExchange.Server.Hosting;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// The README's settings table cannot drift: it is generated from the options classes (<see cref="SettingsTable"/>) and
/// must equal, between its markers, what the generator renders now; every options class bound under "Hub" is in it, and
/// every setting has a description.
/// </summary>
public sealed class SettingsTableTests
{
    private const string Begin = "<!-- settings:begin -->\n";
    private const string End = "<!-- settings:end -->";

    [Fact]
    public void ReadmeTable_IsTheGeneratedOne()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no settings table between {Begin.Trim()} and {End}.");
        var documented = readme[(start + Begin.Length)..end];
        var generated = SettingsTable.Markdown();

        Assert.True(
            documented == generated,
            "The README's settings table differs from the options classes. Regenerate it with\n" +
            $"  dotnet run --project src/CreditExchange.Server -- {SettingsTable.CommandName}\n" +
            $"and put the output between {Begin.Trim()} and {End} in README.md. The table now reads:\n\n" + generated);
    }

    [Fact]
    public void EveryHubOptionsClass_IsInTheTable()
    {
        var sections = typeof(HubApp).Assembly.GetTypes()
            .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.Field is { IsLiteral: true } && t.Field.FieldType == typeof(string))
            .Select(t => (Section: (string)t.Field!.GetRawConstantValue()!, t.Type))
            .Where(t => t.Section == "Hub" || t.Section.StartsWith("Hub:", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(sections);
        Assert.All(sections, s => Assert.Contains(s, SettingsTable.Sections));
    }

    [Fact]
    public void EverySetting_HasATypeAndADescription()
    {
        var rows = SettingsTable.Rows();

        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Description), $"{r.Name} has no [Description]."));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Type), $"{r.Name} has no type."));
        Assert.Equal(rows.Count, rows.Select(r => r.Name).Distinct().Count());
        // The settings the hand-written table once missed.
        foreach (var name in new[] { "Hub:Lifecycle:HolidayCalendarFile", "Hub:Management:BearerTokenFile", "Hub:Tls:DevCertificatesFolder", "Hub:Limits:ReplenishmentPeriod" })
        {
            Assert.Contains(rows, r => r.Name == name);
        }
    }

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
