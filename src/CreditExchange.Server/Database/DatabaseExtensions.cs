using CreditExchange.Server.Settings;
using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditExchange.Server.Database;

/// <summary>The one database of the hub: PostgreSQL when a connection string is set, embedded SQLite otherwise.</summary>
public static class DatabaseExtensions
{
    /// <summary>Connection string name that switches the hub from embedded SQLite to PostgreSQL.</summary>
    public const string PostgresConnectionName = "Postgres";

    /// <summary>Whether the hub stores in PostgreSQL (a connection string named <see cref="PostgresConnectionName"/>), else in embedded SQLite.</summary>
    public static bool UsesPostgres(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration.GetConnectionString(PostgresConnectionName));

    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var storage = builder.GetHubOptions().Storage;
        var postgres = builder.Configuration.GetConnectionString(PostgresConnectionName);
        services.AddSingleton<StorageStatus>();
        // Every IInterceptor in the container joins every context: the storage observer here, and
        // whatever else a host adds (telemetry, or a test's injected failure). Contexts are pooled:
        // their options are built once, and a context is reset and reused rather than built per call.
        services.AddSingleton<IInterceptor, StorageObserver>();
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            EnsureValidConnectionString(postgres);
            postgres = WithPoolSettings(postgres, storage.AutoPrepare);
            services.AddDbContextPool<PostgresCreditDbContext>((sp, o) => o
                .UseNpgsql(postgres, npgsql => npgsql.MaxBatchSize(CreditDbContext.PostgresMaxBatchSize).ExecutionStrategy(d => new ReadRetryingExecutionStrategy(d, storage.ReadRetryCount, storage.ReadRetryMaxDelay)))
                .AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddScoped<CreditDbContext>(sp => sp.GetRequiredService<PostgresCreditDbContext>());
            var probe = postgres;
            services.AddSingleton(_ => new StorageProbeConnections(probe));
        }
        else
        {
            var path = RepositoryPaths.Resolve(builder.Environment.ContentRootPath, storage.SqlitePath);
            EnsureWritableFolder(path);
            services.AddDbContextPool<SqliteCreditDbContext>((sp, o) => o
                .UseSqlite($"Data Source={path}")
                .AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddScoped<CreditDbContext>(sp => sp.GetRequiredService<SqliteCreditDbContext>());
        }

        services.AddScoped<StorageProbeStore>();
        services.AddScoped<UnitOfWork>();
        // Changes outside a call (tools such as the key rotation) carry no audit entry; the audit feature replaces this.
        services.TryAddSingleton<ICallAudit>(NoCallAudit.Instance);
        return builder;
    }

    /// <summary>Says which database is used, applies the provider's migrations and says which.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Database");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
        Log.DatabaseInUse(logger, db.IsPostgres ? "PostgreSQL" : "SQLite", Describe(db.Database.GetConnectionString() ?? "", db.IsPostgres));
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        Log.MigrationsApplied(logger, pending.Count == 0 ? "none pending" : string.Join(", ", pending));
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while a submission commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    /// <summary>Where the database is, without the password: host, port, database and user, or the SQLite file.</summary>
    public static string Describe(string connectionString, bool postgres)
    {
        if (!postgres)
        {
            return new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        }

        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"host {b.Host}, port {b.Port}, database {b.Database}, user {b.Username}";
    }

    /// <summary>
    /// The connection string with the hub's pool settings, each unless the string sets it itself: <c>Max Auto Prepare</c>
    /// = <paramref name="statements"/> (see <see cref="StorageOptions.AutoPrepare"/>), and <c>No Reset On Close</c>, because
    /// the hub keeps no session state on a pooled connection (its advisory locks are transaction-scoped, LISTEN has a
    /// connection of its own), so the seven reset statements Npgsql would otherwise send on every reuse buy nothing.
    /// </summary>
    public static string WithPoolSettings(string connectionString, int statements)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = given.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var tuned = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("MaxAutoPrepare"))
        {
            tuned.MaxAutoPrepare = statements;
            tuned.AutoPrepareMinUsages = 2;
        }

        if (!keys.Contains("NoResetOnClose"))
        {
            tuned.NoResetOnClose = true;
        }

        return tuned.ConnectionString;
    }

    /// <summary>
    /// The SQLite file's folder must exist (it is created when missing) and be writable by the hub, as must the file
    /// when it exists: SQLite writes its journal beside the file. Otherwise the start stops here, as a configuration
    /// mistake (exit 2), rather than later as a database that "cannot be reached" (exit 1, which systemd restarts for ever).
    /// </summary>
    internal static void EnsureWritableFolder(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".creditexchange-write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            if (File.Exists(path))
            {
                using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
                {
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InvalidOperationException(
                $"the SQLite database {path} (Hub:Storage:SqlitePath) cannot be written; give the hub's user write access to " +
                $"{folder} (systemd: /var/lib/creditexchange, owned by the creditexchange user)", e);
        }
    }

    private static void EnsureValidConnectionString(string connectionString)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Never echo the string itself: it may hold the password.
            throw new InvalidOperationException($"ConnectionStrings:{PostgresConnectionName} is not a valid Npgsql connection string: {e.Message}");
        }
    }
}
