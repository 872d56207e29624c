using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using CreditExchange.Tests.Hub;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// The README's production set-up as written: its key and certificate commands (the block after
/// <c>&lt;!-- production-keys --&gt;</c>, run by bash with /etc/creditexchange pointed at a scratch folder and the
/// published dll at the built one) make every file <c>deploy/hub.env.example</c> names, and the hub starts on them in
/// Production (SQLite instead of its PostgreSQL) until ready, with /metrics behind the management token. Without one of
/// its key settings, Production refuses to mint it: one line, exit 2.
/// </summary>
public sealed partial class ProductionSetupTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    private readonly string _etc = Directory.CreateTempSubdirectory("creditexchange-etc-").FullName;

    public void Dispose() => Directory.Delete(_etc, recursive: true);

    [Fact]
    public async Task ReadmeCommands_MakeEveryFileHubEnvNames_AndTheHubStartsInProduction()
    {
        var settings = await MakeFilesAsync();
        // Every file hub.env names (the SQLite database is made by the hub).
        foreach (var (name, value) in settings.Where(s => s.Key != "Hub__Storage__SqlitePath" && s.Value?.StartsWith(_etc, StringComparison.Ordinal) == true))
        {
            Assert.True(File.Exists(value), $"{name}={value}: the README's commands did not make it.");
        }

        await using var hub = HubProcess.Start(settings);
        await hub.WaitUntilReadyAsync(Timeout);

        Assert.Contains("Environment: Production (from ASPNETCORE_ENVIRONMENT)", hub.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("bound beyond loopback", hub.StandardOutput, StringComparison.Ordinal);
        using var http = new HttpClient();
        var metrics = new Uri($"http://127.0.0.1:{hub.ManagementPort}/metrics");
        using (var refused = await http.GetAsync(metrics))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, metrics);
        request.Headers.Authorization = new("Bearer", (await File.ReadAllTextAsync(Path.Combine(_etc, "keys", "management.token"))).Trim());
        using var answered = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Theory]
    [InlineData("Hub__Tokens__SigningKey", "Hub:Tokens:SigningKey")]
    [InlineData("Hub__Privacy__LookupKey", "Hub:Privacy:LookupKey")]
    [InlineData("Hub__Receipts__SigningKeys__2026_01", "Hub:Receipts")]
    public async Task Production_KeySettingMissing_RefusesToMintIt(string variable, string named)
    {
        var settings = await MakeFilesAsync();
        settings[variable] = "";
        settings["Hub__Tls__DevCertificatesFolder"] = Path.Combine(_etc, "certs-dev");

        await using var hub = HubProcess.Start(settings);
        var exit = await hub.WaitForExitAsync(Timeout);

        Assert.True(exit == 2, $"exit {exit}; {hub.StandardError}{hub.StandardOutput}");
        var line = Assert.Single(hub.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("CreditExchange hub cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_etc, "certs-dev")), "Production minted a development key.");
    }

    /// <summary>Runs the README's commands into the scratch folder; the settings of hub.env.example pointed at it, on SQLite.</summary>
    private async Task<Dictionary<string, string?>> MakeFilesAsync()
    {
        var root = RepositoryRoot();
        var readme = (await File.ReadAllTextAsync(Path.Combine(root, "README.md"))).ReplaceLineEndings("\n");
        var block = KeysBlock().Match(readme);
        Assert.True(block.Success, "The README's <!-- production-keys --> block was not found.");
        foreach (var folder in new[] { "ca", "tls", "keys" })
        {
            Directory.CreateDirectory(Path.Combine(_etc, folder));
        }

        var script = block.Groups[1].Value
            .Replace("dotnet /opt/creditexchange/CreditExchange.Server.dll", $"dotnet {HubProcess.ServerDll()}", StringComparison.Ordinal)
            .Replace("/etc/creditexchange", _etc, StringComparison.Ordinal);
        var bash = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _etc };
        bash.ArgumentList.Add("-euo");
        bash.ArgumentList.Add("pipefail");
        bash.ArgumentList.Add("-c");
        bash.ArgumentList.Add(script);
        using var run = Process.Start(bash)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var errors = run.StandardError.ReadToEndAsync();
        using (var cts = new CancellationTokenSource(Timeout))
        {
            await run.WaitForExitAsync(cts.Token);
        }

        Assert.True(run.ExitCode == 0, $"The README's commands failed ({run.ExitCode}): {await output}{await errors}");

        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(root, "deploy", "hub.env.example")))
        {
            if (line.StartsWith('#') || !line.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            var at = line.IndexOf('=', StringComparison.Ordinal);
            settings[line[..at]] = line[(at + 1)..].Replace("/etc/creditexchange", _etc, StringComparison.Ordinal);
        }

        // What the unit sets, and what differs here: SQLite in the scratch folder, the test's own free ports (HubProcess).
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";
        settings["ConnectionStrings__Postgres"] = "";
        settings["Hub__Storage__SqlitePath"] = Path.Combine(_etc, "data", "creditexchange.db");
        settings.Remove("Hub__Url");
        settings.Remove("Hub__Management__Url");
        settings["Hub__Telemetry__JsonConsoleLogs"] = "false";
        return settings;
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

    [GeneratedRegex("<!-- production-keys -->\n```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex KeysBlock();
}
