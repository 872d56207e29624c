using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Privacy;
using CreditExchange.Tests.Hub;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// Key rotation that cannot lose data, as the README tells an operator to do it: in a scratch
/// checkout (a CreditExchange.sln marker, the built server under src/CreditExchange.Server, its own
/// certs-dev/, data/ and keys/), records encrypted with the development key; the hub refuses to start
/// without that key; the README's example, run by bash with only its launch command pointed at the
/// built server, re-encrypts them and starts the hub on the new key alone; the records still read.
/// </summary>
public sealed partial class KeyRotationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("creditexchange-rotation-").FullName;

    [Fact]
    public async Task ReadmeRotationExample_RecordsUnderOldKey_RefusedWithoutItThenRotatedAndReadable()
    {
        var server = Path.Combine(_root, "src", "CreditExchange.Server");
        CopyDirectory(Path.GetDirectoryName(HubProcess.ServerDll())!, server);
        await File.WriteAllTextAsync(Path.Combine(_root, "CreditExchange.sln"), "");
        var privacy = Path.Combine(_root, "certs-dev", "privacy");
        var database = Path.Combine(_root, "data", "creditexchange.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var recordIds = await SubmitUnderAsync(database, new() { ["dev-1"] = Path.Combine(privacy, "content-dev-1.key") }, "dev-1", privacy, count: 3);

        // Without the key the stored records need, the hub refuses to start, naming it and the rows.
        var newKey = Path.Combine(_root, "keys", "content-2026_02.key");
        Directory.CreateDirectory(Path.GetDirectoryName(newKey)!);
        PrivacyKeys.MintIfMissing(newKey);
        await using (var refused = HubProcess.Start(Settings(database, privacy, ("2026_02", newKey))))
        {
            Assert.Equal(2, await refused.WaitForExitAsync(TimeSpan.FromSeconds(90)));
            // 3 record contents, 4 version contents, the objection's grounds in its version reason and in the objection.
            Assert.Contains("9 stored values (record contents, versions, free text) are encrypted with privacy key 'dev-1'", refused.StandardError, StringComparison.Ordinal);
        }

        File.Delete(newKey);

        var (printed, errors) = await RunReadmeExampleAsync(server);
        Assert.Contains("mint-privacy-key: wrote keys/content-2026_02.key", printed, StringComparison.Ordinal);
        Assert.Contains("rotate-privacy-key: re-encrypted 9 of 9 values", printed, StringComparison.Ordinal);
        Assert.Contains("rotate-privacy-key: verified: all 9 sealed values open with the keys held.", printed, StringComparison.Ordinal);
        Assert.Contains("Keys no longer needed: dev-1", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot start", errors, StringComparison.Ordinal);
        var minted = await File.ReadAllTextAsync(newKey);

        // The whole block again: the key is kept, nothing is re-encrypted, everything still opens, the hub is ready.
        var (again, againErrors) = await RunReadmeExampleAsync(server);
        Assert.Equal(minted, await File.ReadAllTextAsync(newKey));
        Assert.Contains("mint-privacy-key: keys/content-2026_02.key exists: kept as it is", again, StringComparison.Ordinal);
        // The hub of the first run sealed a few values of its own (under the new key): they count too.
        var nothing = Regex.Match(again, @"rotate-privacy-key: nothing to re-encrypt: all (\d+) sealed values are already under key '2026_02'");
        Assert.True(nothing.Success, again);
        Assert.True(int.Parse(nothing.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 9, again);
        Assert.Contains($"rotate-privacy-key: verified: all {nothing.Groups[1].Value} sealed values open with the keys held.", again, StringComparison.Ordinal);
        Assert.DoesNotContain("re-encrypted", again, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot start", againErrors, StringComparison.Ordinal);

        // The records read back under the new key alone.
        await using var hub = await HubHost.StartAsync(null, Settings(database, privacy, ("2026_02", newKey)).ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => s.Value));
        foreach (var id in recordIds)
        {
            Assert.Equal(id, (await hub.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = id })).Record.RecordId);
        }

        var history = await new Contracts.Lifecycle.V1.LifecycleService.LifecycleServiceClient(hub.AgencyChannel("court"))
            .GetRecordHistoryAsync(new Contracts.Lifecycle.V1.GetRecordHistoryRequest { RecordId = recordIds[0] });
        Assert.Equal("当事人欧阳修远对事实有异议", Assert.Single(history.Objections).Grounds);

        // A key file minted again under the same id (what `head -c 32 /dev/urandom | base64 > …` did): the hub and the
        // rotation command refuse, naming the key id, rather than serve records they cannot open.
        PrivacyKeys.MintIfMissing(Path.Combine(_root, "other.key"));
        File.Copy(Path.Combine(_root, "other.key"), newKey, overwrite: true);
        foreach (var arguments in new[] { Array.Empty<string>(), ["rotate-privacy-key"] })
        {
            await using var replaced = HubProcess.Start(Settings(database, privacy, ("2026_02", newKey)), arguments);
            Assert.Equal(2, await replaced.WaitForExitAsync(TimeSpan.FromSeconds(120)));
            var line = Assert.Single(replaced.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.Contains("privacy key", StringComparison.Ordinal));
            Assert.Contains("privacy key '2026_02'", line, StringComparison.Ordinal);
            Assert.Contains("its key file was replaced", line, StringComparison.Ordinal);
        }
    }

    /// <summary>Runs the README's example in the scratch checkout until its hub is ready, then stops it; what it printed.</summary>
    private async Task<(string Output, string Errors)> RunReadmeExampleAsync(string server)
    {
        var (script, found) = ReadmeExample(server);
        Assert.True(found, "the README example was not found");
        var port = FreePort();
        var management = FreePort();
        var bash = new ProcessStartInfo("bash") { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        bash.ArgumentList.Add("-euc");
        bash.ArgumentList.Add(script);
        bash.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        bash.Environment["Hub__Url"] = $"https://127.0.0.1:{port}";
        bash.Environment["Hub__Management__Url"] = $"http://127.0.0.1:{management}";
        using var example = Process.Start(bash)!;
        var output = example.StandardOutput.ReadToEndAsync();
        var errors = example.StandardError.ReadToEndAsync();
        var failure = "";
        try
        {
            failure = await WaitUntilReadyAsync(example, management);
        }
        finally
        {
            example.Kill(entireProcessTree: true);
            await example.WaitForExitAsync();
        }

        Assert.True(failure.Length == 0, $"{failure} It printed: {await output}{await errors}");
        return (await output, await errors);
    }

    /// <summary>The README's key-rotation example, with its launch command pointed at the built server in the scratch checkout.</summary>
    private static (string Script, bool Found) ReadmeExample(string server)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var match = ExampleBlock().Match(readme);
        var launch = $"dotnet {Path.Combine(server, "CreditExchange.Server.dll")} --contentRoot {server}";
        var script = match.Groups[1].Value
            .Replace("dotnet run --project src/CreditExchange.Server --", launch, StringComparison.Ordinal)
            .Replace("dotnet run --project src/CreditExchange.Server", launch, StringComparison.Ordinal);
        return (script, match.Success);
    }

    private async Task<List<string>> SubmitUnderAsync(string database, Dictionary<string, string> ring, string current, string privacy, int count)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hub:Storage:SqlitePath"] = database,
            ["Hub:Privacy:CurrentEncryptionKey"] = current,
            ["Hub:Privacy:LookupKey"] = PrivacyKeys.MintIfMissing(Path.Combine(privacy, "lookup.key")),
            ["Hub:Privacy:AuditMacKey"] = PrivacyKeys.MintIfMissing(Path.Combine(privacy, "audit-mac.key")),
        };
        foreach (var (id, file) in ring)
        {
            settings[$"Hub:Privacy:EncryptionKeys:{id}"] = PrivacyKeys.MintIfMissing(file);
        }

        await using var hub = await HubHost.StartAsync(null, settings);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await hub.Records("court").SubmitRecordAsync(TestData.Submission(subject: TestData.CivilServantSubject()))).Record.RecordId);
        }

        // Free text is sealed with the same ring: rotation must carry it over too.
        await new Contracts.Lifecycle.V1.LifecycleService.LifecycleServiceClient(hub.AgencyChannel("drc")).FileObjectionAsync(
            new Contracts.Lifecycle.V1.FileObjectionRequest { RecordId = ids[0], ExpectedVersion = 1, Grounds = "当事人欧阳修远对事实有异议" });

        return ids;
    }

    private static Dictionary<string, string?> Settings(string database, string privacy, params (string Id, string File)[] ring)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hub__Storage__SqlitePath"] = database,
            ["Hub__Privacy__CurrentEncryptionKey"] = ring[^1].Id,
            ["Hub__Privacy__LookupKey"] = Path.Combine(privacy, "lookup.key"),
            ["Hub__Privacy__AuditMacKey"] = Path.Combine(privacy, "audit-mac.key"),
        };
        foreach (var (id, file) in ring)
        {
            settings[$"Hub__Privacy__EncryptionKeys__{id}"] = file;
        }

        return settings;
    }

    /// <summary>Empty once ready, else why not.</summary>
    private static async Task<string> WaitUntilReadyAsync(Process process, int managementPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(240);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{managementPort}/healthz/ready"))).StatusCode == HttpStatusCode.OK)
                {
                    return "";
                }
            }
            catch (HttpRequestException)
            {
                // Still rotating or starting.
            }

            await Task.Delay(250);
        }

        return process.HasExited ? $"The example exited with {process.ExitCode} before the hub was ready." : "The hub of the example was not ready within 240 s.";
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

        throw new InvalidOperationException("No repository root above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"<!-- key-rotation-example -->\s*```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
