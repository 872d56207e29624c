using System.ComponentModel;
using System.Diagnostics;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CreditExchange.Bench.Hosting;

/// <summary>
/// The hub as its own process: the server's real entry point (<c>CreditExchange.Server</c>, copied beside the tool by
/// the project reference) with its own runtime settings (server GC), so its CPU time and resident memory are its own
/// and not mixed with the load generator's.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;

    private HubProcess(Process process, Uri address, string logFile)
    {
        _process = process;
        Address = address;
        LogFile = logFile;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

    public string LogFile { get; }

    /// <summary>A free loopback port (bound and released; another process could take it in between, which is unlikely).</summary>
    public static int FreePort() => Tests.Infrastructure.PostgresCluster.FreeTcpPort();

    /// <summary>
    /// Starts the hub with <paramref name="settings"/> as command-line configuration (they must include <c>Hub:Url</c>)
    /// and waits until its health service answers SERVING on a channel from <paramref name="probeChannel"/>, or, when not
    /// <paramref name="untilServing"/>, answers at all (it takes calls while its start-up checks still run).
    /// </summary>
    public static async Task<HubProcess> StartAsync(
        IReadOnlyDictionary<string, string?> settings, string environment, string logFile, TimeSpan startTimeout, Func<Uri, GrpcChannel> probeChannel,
        bool untilServing = true)
    {
        var folder = AppContext.BaseDirectory;
        var apphost = Path.Combine(folder, OperatingSystem.IsWindows() ? "CreditExchange.Server.exe" : "CreditExchange.Server");
        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        if (File.Exists(apphost))
        {
            startInfo.FileName = apphost;
        }
        else
        {
            startInfo.FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            startInfo.ArgumentList.Add(Path.Combine(folder, "CreditExchange.Server.dll"));
        }

        startInfo.ArgumentList.Add("--environment=" + environment);
        startInfo.ArgumentList.Add("--contentRoot=" + folder);
        foreach (var (key, value) in settings)
        {
            startInfo.ArgumentList.Add($"--{key}={value}");
        }

        var address = new Uri(settings["Hub:Url"] ?? throw new ArgumentException("Hub:Url is required.", nameof(settings)));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the hub.");
        process.StandardInput.Close();
        var log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;

        var hub = new HubProcess(process, address, logFile);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => hub.Kill();
        try
        {
            await hub.WaitUntilServingAsync(startTimeout, probeChannel(address), untilServing);
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }

        return hub;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout, GrpcChannel channel, bool untilServing)
    {
        var deadline = Stopwatch.StartNew();
        var health = new Health.HealthClient(channel);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The hub exited with code {_process.ExitCode} while starting; see {LogFile}:{Environment.NewLine}{Tail(LogFile)}");
            }

            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                if (!untilServing || reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException) when (deadline.Elapsed < timeout)
            {
            }

            if (deadline.Elapsed >= timeout)
            {
                throw new TimeoutException($"The hub did not answer SERVING within {timeout.TotalSeconds:0} s; see {LogFile}.");
            }

            await Task.Delay(250);
        }
    }

    private static string Tail(string file)
    {
        try
        {
            var lines = File.ReadAllLines(file);
            return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - 40)));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
    }
}
