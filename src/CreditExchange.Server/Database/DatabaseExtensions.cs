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
        // whatever else a host adds (telemetry, or a test's injected failure).
        services.AddSingleton<IInterceptor, StorageObserver>();
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            services.AddDbContext<PostgresCreditDbContext>((sp, o) => o
                .UseNpgsql(postgres, npgsql => npgsql.ExecutionStrategy(d => new ReadRetryingExecutionStrategy(d, storage.ReadRetryCount, storage.ReadRetryMaxDelay)))
                .AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddScoped<CreditDbContext>(sp => sp.GetRequiredService<PostgresCreditDbContext>());
        }
        else
        {
            var path = RepositoryPaths.Resolve(builder.Environment.ContentRootPath, storage.SqlitePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            services.AddDbContext<SqliteCreditDbContext>((sp, o) => o
                .UseSqlite($"Data Source={path}")
                .AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddScoped<CreditDbContext>(sp => sp.GetRequiredService<SqliteCreditDbContext>());
        }

        services.AddScoped<StorageProbeStore>();
        return builder;
    }

    /// <summary>Applies the provider's migrations.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while a submission commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}
