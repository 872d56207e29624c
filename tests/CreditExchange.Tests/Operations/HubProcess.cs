using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CreditExchange.Tests.Hub;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// The built hub as an operator runs it: <c>dotnet CreditExchange.Server.dll</c> in a child process,
/// working directory the dll's folder, settings as environment variables (the test certificates and a
/// fresh SQLite file unless overridden).
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly string _folder;

    private HubProcess(Process process, string folder, int port, int managementPort)
    {
        _process = process;
        _folder = folder;
        Port = port;
        ManagementPort = managementPort;
        process.OutputDataReceived += (_, e) => { lock (_out) { _out.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (_err) { _err.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public int ManagementPort { get; }

    public int Id => _process.Id;

    public string StandardOutput
    {
        get { lock (_out) { return _out.ToString(); } }
    }

    public string StandardError
    {
        get { lock (_err) { return _err.ToString(); } }
    }

    /// <summary>The server dll built beside this test assembly's configuration (Debug or Release).</summary>
    public static string ServerDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "src", "CreditExchange.Server", "bin", configuration, framework, "CreditExchange.Server.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        throw new InvalidOperationException("The built CreditExchange.Server.dll was not found above " + AppContext.BaseDirectory);
    }

    public static HubProcess Start(IDictionary<string, string?> settings, params string[] arguments)
    {
        var folder = Directory.CreateTempSubdirectory("creditexchange-process-").FullName;
        var certs = TestCertificates.Set;
        var port = FreePort();
        var managementPort = FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Hub__Url"] = $"https://127.0.0.1:{port}",
            ["Hub__Management__Url"] = $"http://127.0.0.1:{managementPort}",
            ["Hub__Storage__SqlitePath"] = Path.Combine(folder, "hub.db"),
            ["Hub__Tls__CaCertificate"] = certs.CaCertificate,
            ["Hub__Tls__ServerCertificate"] = certs.ServerCertificate,
            ["Hub__Tls__ServerKey"] = certs.ServerKey,
            ["Hub__Tls__RevocationList"] = certs.RevocationList,
            ["Hub__Tokens__SigningKey"] = TestCertificates.TokenSigningKey,
            ["Hub__Tokens__EncryptionKey"] = TestCertificates.TokenEncryptionKey,
            ["ConnectionStrings__Postgres"] = "",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var dll = ServerDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment.Remove("DOTNET_ENVIRONMENT");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        return new HubProcess(process, folder, port, managementPort);
    }

    /// <summary>Waits for the process to exit; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Waits until the management port answers /healthz/ready with 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Assert.False(_process.HasExited, $"The hub exited with {(_process.HasExited ? _process.ExitCode : 0)}: {StandardError}");
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{ManagementPort}/healthz/ready"))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, $"The hub was not ready within {timeout.TotalSeconds:0} s: {StandardOutput}{StandardError}");
            await Task.Delay(250);
        }
    }

    /// <summary>Sends SIGTERM, as systemd and Kubernetes do to stop a service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
