using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace CreditExchange.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for tests.
/// </summary>
/// <remarks>
/// <para>
/// When the environment variable <c>CREDITEXCHANGE_TEST_POSTGRES</c> holds an Npgsql connection string
/// (to a server where that user may <c>CREATE DATABASE</c>), that server is used and nothing is started.
/// </para>
/// <para>
/// Otherwise the PostgreSQL server binaries installed on the machine (<c>pg_config --bindir</c>, else the newest
/// <c>/usr/lib/postgresql/*/bin</c>) are used to <c>initdb</c> a cluster in a temporary folder and start it on a
/// free loopback port. initdb refuses to run as root, so when the tests run as root the cluster is owned by, and
/// run as, the <c>postgres</c> OS user through <c>runuser</c>. Missing binaries are an error, never a skip.
/// </para>
/// </remarks>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>Name of the environment variable that points the tests at an existing server.</summary>
    public const string ExternalServerVariable = "CREDITEXCHANGE_TEST_POSTGRES";

    private const string TempFolderPrefix = "creditexchange-pg-";
    private const string ServiceUser = "postgres";
    private const int StartAttempts = 3;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    private readonly LocalServer? _local;
    private readonly List<string> _createdDatabases = [];
    private readonly Lock _gate = new();
    private int _disposed;

    private PostgresCluster(string adminConnectionString, LocalServer? local)
    {
        AdminConnectionString = adminConnectionString;
        _local = local;
        if (_local is not null)
        {
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        }
    }

    /// <summary>Connection string of the superuser (or the configured user) to the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when the server was started by this instance (rather than taken from the environment).</summary>
    public bool IsLocal => _local is not null;

    /// <summary>TCP port of the server.</summary>
    public int Port => new NpgsqlConnectionStringBuilder(AdminConnectionString).Port;

    /// <summary>Starts a new throwaway cluster, or connects to the server named by <c>CREDITEXCHANGE_TEST_POSTGRES</c>.</summary>
    /// <remarks>The local cluster runs without durability (fsync, synchronous_commit and full_page_writes off): fast, and a crash loses nothing a test needs.</remarks>
    public static Task<PostgresCluster> StartAsync() => StartAsync(durable: false);

    /// <summary>
    /// Starts a new throwaway cluster, or connects to the server named by <c>CREDITEXCHANGE_TEST_POSTGRES</c> (then
    /// <paramref name="durable"/> changes nothing: the server runs as it was configured).
    /// </summary>
    /// <param name="durable">
    /// True to leave fsync, synchronous_commit and full_page_writes at PostgreSQL's defaults (on), as production runs
    /// it (the benchmark); false to switch them off, as the tests do.
    /// </param>
    public static async Task<PostgresCluster> StartAsync(bool durable)
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var builder = new NpgsqlConnectionStringBuilder(external);
            if (string.IsNullOrEmpty(builder.Database))
            {
                builder.Database = "postgres";
            }

            var cluster = new PostgresCluster(builder.ConnectionString, local: null);
            await cluster.WaitUntilReachableAsync(TimeSpan.FromSeconds(30), logFile: null).ConfigureAwait(false);
            return cluster;
        }

        var binDir = FindBinDirectory() ?? throw new InvalidOperationException(MissingBinariesMessage());
        var runAsServiceUser = IsRoot();
        if (runAsServiceUser)
        {
            await EnsureServiceUserAsync().ConfigureAwait(false);
        }

        var root = CreateRootFolder(runAsServiceUser);
        var local = new LocalServer(binDir, root, runAsServiceUser, durable);
        try
        {
            await local.InitDbAsync().ConfigureAwait(false);
            local.StartWatchdog();
            var port = await local.StartAsync().ConfigureAwait(false);
            var admin = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = ServiceUser,
                Database = "postgres",
                IncludeErrorDetail = true,
            }.ConnectionString;
            var cluster = new PostgresCluster(admin, local);
            try
            {
                await cluster.WaitUntilReachableAsync(TimeSpan.FromSeconds(30), local.LogFile).ConfigureAwait(false);
            }
            catch
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return cluster;
        }
        catch
        {
            local.StopAndDelete();
            throw;
        }
    }

    /// <summary>
    /// Creates a fresh, empty database and returns an Npgsql connection string for it.
    /// </summary>
    /// <param name="name">
    /// Optional readable prefix for the database name; a unique suffix is always appended, so every call creates a
    /// new database.
    /// </param>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        var database = UniqueDatabaseName(name);
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE DATABASE " + QuoteIdentifier(database) + " ENCODING 'UTF8' TEMPLATE template0";
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            _createdDatabases.Add(database);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>Stops a local server (fast shutdown: connections are closed), keeping its data, to simulate an outage.</summary>
    public Task StopServerAsync() =>
        (_local ?? throw new InvalidOperationException("Only a cluster started by the tests can be stopped.")).StopKeepingDataAsync();

    /// <summary>Starts a local server stopped by <see cref="StopServerAsync"/> again, on the same port.</summary>
    public async Task StartServerAgainAsync()
    {
        var local = _local ?? throw new InvalidOperationException("Only a cluster started by the tests can be restarted.");
        await local.StartOnPortAsync(Port).ConfigureAwait(false);
        await WaitUntilReachableAsync(TimeSpan.FromSeconds(30), local.LogFile).ConfigureAwait(false);
    }

    /// <summary>Stops the server (immediate shutdown) and deletes its folder; for an external server, drops the databases created here.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (_local is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            await Task.Run(_local.StopAndDelete).ConfigureAwait(false);
            return;
        }

        string[] databases;
        lock (_gate)
        {
            databases = [.. _createdDatabases];
        }

        if (databases.Length == 0)
        {
            return;
        }

        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            foreach (var database in databases)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "DROP DATABASE IF EXISTS " + QuoteIdentifier(database) + " WITH (FORCE)";
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // Best effort: the databases have unique names, so a leftover never disturbs a later run.
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _local?.StopAndDelete();
        }
    }

    private async Task WaitUntilReachableAsync(TimeSpan timeout, string? logFile)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && deadline.Elapsed < timeout)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                var where = _local is null ? $"the server named by {ExternalServerVariable}" : "the test PostgreSQL server";
                throw new InvalidOperationException(
                    $"Could not connect to {where} within {timeout.TotalSeconds:0} s: {ex.Message}{FormatLog(logFile)}",
                    ex);
            }
        }
    }

    private static string UniqueDatabaseName(string? prefix)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var clean = new StringBuilder();
        foreach (var c in (prefix ?? "test").ToLowerInvariant())
        {
            if (clean.Length >= 40)
            {
                break;
            }

            clean.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        if (clean.Length == 0 || clean[0] is (>= '0' and <= '9'))
        {
            clean.Insert(0, "t_");
        }

        return clean + "_" + suffix;
    }

    private static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string MissingBinariesMessage() =>
        "PostgreSQL server binaries (initdb, pg_ctl) were not found: checked `pg_config --bindir`, /usr/lib/postgresql/*/bin and PATH. "
        + "The database tests need them and are not skipped. Install the server with "
        + "`sudo apt-get update && sudo apt-get install -y --no-install-recommends postgresql` (Debian/Ubuntu; "
        + "`./tests/test.sh` does this by itself when run as root), or set "
        + ExternalServerVariable + " to an Npgsql connection string of a server where that user may CREATE DATABASE.";

    /// <summary>Finds the folder holding initdb and pg_ctl, or null.</summary>
    internal static string? FindBinDirectory()
    {
        var fromPgConfig = RunQuietly("pg_config", "--bindir");
        if (fromPgConfig is not null && HasServerBinaries(fromPgConfig.Trim()))
        {
            return fromPgConfig.Trim();
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.EnumerateDirectories(debianRoot)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: ParseVersion(Path.GetFileName(dir))))
                .Where(candidate => HasServerBinaries(candidate.Dir))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (File.Exists(initdb))
            {
                var resolved = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
                var resolvedDir = Path.GetDirectoryName(resolved);
                if (resolvedDir is not null && HasServerBinaries(resolvedDir))
                {
                    return resolvedDir;
                }
            }
        }

        return null;
    }

    private static bool HasServerBinaries(string dir) =>
        dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

    private static Version ParseVersion(string text) =>
        Version.TryParse(text.Contains('.', StringComparison.Ordinal) ? text : text + ".0", out var version) ? version : new Version(0, 0);

    private static bool IsRoot() => OperatingSystem.IsLinux() && (Environment.UserName == "root" || ReadEffectiveUid() == 0);

    private static int? ReadEffectiveUid()
    {
        try
        {
            // "Uid:\treal\teffective\tsaved\tfs"
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: >= 3 } && int.TryParse(fields[2], CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task EnsureServiceUserAsync()
    {
        if (RunQuietly("id", "-u", ServiceUser) is not null)
        {
            return;
        }

        var result = await RunAsync(Tool("useradd"), ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", ServiceUser], asServiceUser: false, workingDirectory: null).ConfigureAwait(false);
        if (result.ExitCode != 0 && RunQuietly("id", "-u", ServiceUser) is null)
        {
            throw new InvalidOperationException(
                $"Running as root: initdb refuses root, and the OS user '{ServiceUser}' is missing and could not be created (useradd exited {result.ExitCode}): {result.Output}");
        }
    }

    private static string TempRoot(bool runAsServiceUser) =>
        // As root, TMPDIR might point somewhere the postgres user cannot traverse (e.g. under /root); /tmp is always fine.
        runAsServiceUser ? "/tmp" : Path.GetTempPath();

    private static string CreateRootFolder(bool runAsServiceUser)
    {
        var root = Path.Combine(TempRoot(runAsServiceUser), TempFolderPrefix + Guid.NewGuid().ToString("N")[..16]);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(root);
        }
        else
        {
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.CreateDirectory(Path.Combine(root, "sock"));
        return root;
    }

    /// <summary>A free loopback TCP port (bound and released; another process could take it in between, which is unlikely).</summary>
    internal static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string FormatLog(string? logFile)
    {
        if (logFile is null)
        {
            return string.Empty;
        }

        try
        {
            var text = File.Exists(logFile) ? File.ReadAllText(logFile) : "(no log file was written)";
            if (text.Length > 8000)
            {
                text = "..." + text[^8000..];
            }

            return $"{Environment.NewLine}--- PostgreSQL log {logFile} ---{Environment.NewLine}{text.TrimEnd()}{Environment.NewLine}--- end of log ---";
        }
        catch (IOException ex)
        {
            return $"{Environment.NewLine}(could not read {logFile}: {ex.Message})";
        }
    }

    private static string Tool(string name)
    {
        foreach (var dir in new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" })
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return name;
    }

    /// <summary>Runs a command and returns its standard output when it exits 0, else null (also when it does not exist).</summary>
    private static string? RunQuietly(string fileName, params string[] arguments)
    {
        try
        {
            var result = RunAsync(fileName, arguments, asServiceUser: false, workingDirectory: null).GetAwaiter().GetResult();
            return result.ExitCode == 0 ? result.StandardOutput : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    private static async Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, bool asServiceUser, string? workingDirectory)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = asServiceUser ? Tool("runuser") : fileName,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        if (asServiceUser)
        {
            foreach (var argument in new[] { "-u", ServiceUser, "--", fileName })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Keep the caller's libpq settings away from the server tools.
        foreach (var variable in new[] { "PGDATA", "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS", "PGSERVICE" })
        {
            startInfo.Environment.Remove(variable);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalSeconds:0} s.");
        }

        return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Output => (StandardOutput + StandardError).Trim();
    }

    /// <summary>A cluster in a folder of its own: data/, sock/ and server.log; durable or not (see <see cref="StartAsync(bool)"/>).</summary>
    private sealed class LocalServer(string binDir, string root, bool runAsServiceUser, bool durable)
    {
        private string DataDir => Path.Combine(root, "data");

        private string SocketDir => Path.Combine(root, "sock");

        public string LogFile => Path.Combine(root, "server.log");

        private string Bin(string tool) => Path.Combine(binDir, tool);

        public async Task InitDbAsync()
        {
            if (runAsServiceUser)
            {
                var chown = await RunAsync(Tool("chown"), ["-R", ServiceUser + ":", root], asServiceUser: false, workingDirectory: null).ConfigureAwait(false);
                if (chown.ExitCode != 0)
                {
                    throw new InvalidOperationException($"chown -R {ServiceUser}: {root} failed ({chown.ExitCode}): {chown.Output}");
                }
            }

            string[] arguments = ["-D", DataDir, "--auth=trust", "-U", ServiceUser, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"];
            var result = await RunAsync(Bin("initdb"), arguments, runAsServiceUser, root).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"initdb failed with exit code {result.ExitCode}{(runAsServiceUser ? $" (run as OS user '{ServiceUser}' through runuser)" : string.Empty)}:{Environment.NewLine}{result.Output}");
            }
        }

        /// <summary>Starts the server on a free port and returns the port; retries with another port if one was taken meanwhile.</summary>
        public async Task<int> StartAsync()
        {
            for (var attempt = 1; ; attempt++)
            {
                var port = FreeTcpPort();
                string[] arguments = ["start", "-w", "-t", "120", "-D", DataDir, "-l", LogFile, "-o", ServerOptions(port)];
                var result = await RunAsync(Bin("pg_ctl"), arguments, runAsServiceUser, root).ConfigureAwait(false);
                if (result.ExitCode == 0)
                {
                    return port;
                }

                var log = FormatLog(LogFile);
                var portTaken = log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                    || log.Contains("already in use", StringComparison.OrdinalIgnoreCase);
                if (!portTaken || attempt >= StartAttempts)
                {
                    throw new InvalidOperationException(
                        $"pg_ctl start failed with exit code {result.ExitCode} (port {port}, data {DataDir}):{Environment.NewLine}{result.Output}{log}");
                }

                Stop();
            }
        }

        /// <summary>
        /// Starts a detached shell that waits for this test process to end, however it ends (even SIGKILL, as when
        /// vstest kills a test host 100 ms after its run or on a hang, and no ProcessExit handler runs), then stops the
        /// server and deletes the folder. It is double-forked into a session of its own, so it is nobody's child (a
        /// process-tree kill of the test host misses it), a Ctrl+C at the terminal does not reach it, and it holds none
        /// of our pipes.
        /// </summary>
        public void StartWatchdog()
        {
            const string watchdog =
                """
                owner=$1 root=$2 data=$3 pgctl=$4 runuser=$5 user=$6
                while kill -0 "$owner" 2>/dev/null && [ -d "$root" ]; do sleep 1; done
                if [ -f "$data/postmaster.pid" ]; then
                  if [ -n "$runuser" ]; then
                    "$runuser" -u "$user" -- "$pgctl" stop -D "$data" -m immediate -w -t 30
                  else
                    "$pgctl" stop -D "$data" -m immediate -w -t 30
                  fi
                fi
                rm -rf "$root"
                """;
            const string launcher =
                """
                if command -v setsid >/dev/null 2>&1; then detach=setsid; else detach=; fi
                $detach /bin/sh -c "$0" "$@" </dev/null >/dev/null 2>&1 &
                """;
            var startInfo = new ProcessStartInfo
            {
                FileName = "/bin/sh",
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = "/",
            };
            foreach (var argument in new[]
            {
                "-c", launcher, watchdog, "creditexchange-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                root, DataDir, Bin("pg_ctl"), runAsServiceUser ? Tool("runuser") : string.Empty, ServiceUser,
            })
            {
                startInfo.ArgumentList.Add(argument);
            }

            try
            {
                using var process = Process.Start(startInfo);
                if (process is not null)
                {
                    process.StandardInput.Close();
                    _ = process.StandardOutput.ReadToEnd();
                    _ = process.StandardError.ReadToEnd();
                    process.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (Win32Exception)
            {
                // No shell: the ProcessExit handler and DisposeAsync still clean up in the normal cases.
            }
        }

        public async Task StopKeepingDataAsync()
        {
            var result = await RunAsync(Bin("pg_ctl"), ["stop", "-D", DataDir, "-m", "fast", "-w", "-t", "60"], runAsServiceUser, root).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"pg_ctl stop failed ({result.ExitCode}): {result.Output}");
            }
        }

        public async Task StartOnPortAsync(int port)
        {
            var result = await RunAsync(Bin("pg_ctl"), ["start", "-w", "-t", "120", "-D", DataDir, "-l", LogFile, "-o", ServerOptions(port)], runAsServiceUser, root).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"pg_ctl start on port {port} failed ({result.ExitCode}): {result.Output}{FormatLog(LogFile)}");
            }
        }

        /// <summary>The server's command-line settings (pg_ctl -o) for <paramref name="port"/>.</summary>
        private string ServerOptions(int port) => string.Join(
            ' ',
            $"-p {port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {SocketDir}",
            "-c listen_addresses=127.0.0.1",
            durable ? "" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "-c max_connections=200",
            "-c max_prepared_transactions=10");

        private void Stop()
        {
            if (!File.Exists(Path.Combine(DataDir, "postmaster.pid")))
            {
                return;
            }

            try
            {
                RunAsync(Bin("pg_ctl"), ["stop", "-D", DataDir, "-m", "immediate", "-w", "-t", "30"], runAsServiceUser, root)
                    .GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is Win32Exception or TimeoutException or InvalidOperationException)
            {
                // Best effort; the folder is removed below regardless.
            }
        }

        public void StopAndDelete()
        {
            Stop();
            for (var attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    if (Directory.Exists(root))
                    {
                        Directory.Delete(root, recursive: true);
                    }

                    return;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Thread.Sleep(200);
                }
            }
        }
    }
}
