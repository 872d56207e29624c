using CreditExchange.Server.Settings;
using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CreditExchange.Server.Database;

/// <summary>The one database of the hub: PostgreSQL when a connection string is set, embedded SQLite otherwise.</summary>
public static class DatabaseExtensions
{
    /// <summary>Connection string name that switches the hub from embedded SQLite to PostgreSQL.</summary>
    public const string PostgresConnectionName = "Postgres";

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
            postgres = WithAutoPrepare(postgres, storage.AutoPrepare);
            services.AddDbContextPool<PostgresCreditDbContext>((sp, o) => o
                .UseNpgsql(postgres, npgsql => npgsql.MaxBatchSize(CreditDbContext.PostgresMaxBatchSize).ExecutionStrategy(d => new ReadRetryingExecutionStrategy(d, storage.ReadRetryCount, storage.ReadRetryMaxDelay)))
                .AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddScoped<CreditDbContext>(sp => sp.GetRequiredService<PostgresCreditDbContext>());
        }
        else
        {
            var path = RepositoryPaths.Resolve(builder.Environment.ContentRootPath, storage.SqlitePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            services.AddDbContextPool<SqliteCreditDbContext>((sp, o) => o
                .UseSqlite($"Data Source={path}")
                .AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddScoped<CreditDbContext>(sp => sp.GetRequiredService<SqliteCreditDbContext>());
        }

        services.AddScoped<StorageProbeStore>();
        return builder;
    }

    /// <summary>Says which database is used, applies the provider's migrations and says which.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Database");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
        Log.DatabaseInUse(logger, db.Database.IsNpgsql() ? "PostgreSQL" : "SQLite", Describe(db.Database.GetConnectionString() ?? "", db.Database.IsNpgsql()));
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

    /// <summary>The connection string with <c>Max Auto Prepare</c> set to <paramref name="statements"/>, unless it sets it itself.</summary>
    public static string WithAutoPrepare(string connectionString, int statements)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = statements, AutoPrepareMinUsages = 2 }.ConnectionString;
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
