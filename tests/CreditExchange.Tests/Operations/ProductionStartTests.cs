using CreditExchange.Tests.Hub;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// Production as an operator starts it (<c>dotnet CreditExchange.Server.dll</c>, real processes): nothing of Development is
/// minted or used, each refusal is one line on stderr and exit 2; an unwritable data folder is a mistake (2), not an
/// outage (1, which systemd would restart for ever); the management port bound beyond loopback is warned about.
/// </summary>
public sealed class ProductionStartTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(120);

    private readonly string _folder = Directory.CreateTempSubdirectory("creditexchange-production-").FullName;

    public void Dispose()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Production_WithoutItsOwnCertificates_OneLineExit2AndNothingMinted()
    {
        var devFolder = Path.Combine(_folder, "certs-dev");
        await using var hub = HubProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Hub__Tls__CaCertificate"] = "",
            ["Hub__Tls__ServerCertificate"] = "",
            ["Hub__Tls__ServerKey"] = "",
            ["Hub__Tls__RevocationList"] = "",
            ["Hub__Tls__DevCertificatesFolder"] = devFolder,
        });

        var exit = await hub.WaitForExitAsync(ExitTimeout);

        var line = OneLine(hub, exit);
        Assert.Contains("Hub:Tls:CaCertificate is not set", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(devFolder), "Production minted development certificates.");
    }

    [Fact]
    public async Task Production_DevelopmentCa_OneLineExit2()
    {
        // HubProcess gives the test certificates, which the development CA issued.
        await using var hub = HubProcess.Start(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        var exit = await hub.WaitForExitAsync(ExitTimeout);

        Assert.Contains("development CA", OneLine(hub, exit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_MintDevCerts_RefusedOneLineExit2()
    {
        var devFolder = Path.Combine(_folder, "certs-dev");
        await using var hub = HubProcess.Start(
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Hub__Tls__DevCertificatesFolder"] = devFolder },
            "mint-dev-certs");

        var exit = await hub.WaitForExitAsync(ExitTimeout);

        Assert.Contains("mint-dev-certs", OneLine(hub, exit), StringComparison.Ordinal);
        Assert.False(Directory.Exists(devFolder), "mint-dev-certs minted in Production.");
    }

    [Fact]
    public async Task ReadOnlyDataFolder_ConfigurationMistakeExit2NotAnOutage()
    {
        string folder;
        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || IsRoot())
        {
            // Root writes through any file mode (chmod 0555 does not stop it), so the folder is one nobody can create a file
            // in: a process's folder under procfs (/proc/self), whose entries the kernel alone makes, refuses root too.
            folder = "/proc/self";
        }
        else if (!OperatingSystem.IsWindows())
        {
            folder = Path.Combine(_folder, "data");
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
        else
        {
            return; // The hub's production platform is Linux.
        }

        await using var hub = HubProcess.Start(new Dictionary<string, string?> { ["Hub__Storage__SqlitePath"] = Path.Combine(folder, "hub.db") });

        var exit = await hub.WaitForExitAsync(ExitTimeout);

        var line = OneLine(hub, exit);
        Assert.Contains("Hub:Storage:SqlitePath", line, StringComparison.Ordinal);
        Assert.Contains("cannot be written", line, StringComparison.Ordinal);
        Assert.DoesNotContain("start the hub again", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagementBeyondLoopback_WarnedAtStartUpWithTheEnvironment()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        holder.Stop();
        await using var hub = HubProcess.Start(new Dictionary<string, string?> { ["Hub__Management__Url"] = $"http://0.0.0.0:{port}" });

        await Eventually.HoldsAsync(() => hub.StandardOutput.Contains("Environment: Development (from ASPNETCORE_ENVIRONMENT)", StringComparison.Ordinal), seconds: 120);
        await Eventually.HoldsAsync(() => hub.StandardOutput.Contains("bound beyond loopback", StringComparison.Ordinal), seconds: 120);

        Assert.Contains($"http://0.0.0.0:{port}", hub.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>The one line the hub printed on stderr, after checking it exited 2 with it and nothing else.</summary>
    private static string OneLine(HubProcess hub, int exit)
    {
        Assert.True(exit == 2, $"exit {exit}; {hub.StandardError}{hub.StandardOutput}");
        var lines = hub.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("CreditExchange hub cannot start: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", hub.StandardOutput, StringComparison.Ordinal);
        return line;
    }

    private static bool IsRoot() => !OperatingSystem.IsWindows() && File.Exists("/proc/self/status")
        && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, "0", ..];
}
