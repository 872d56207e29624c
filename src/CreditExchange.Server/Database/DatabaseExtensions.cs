using CreditExchange.Server.Settings;
using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Server.Database;

/// <summary>The one database of the hub: PostgreSQL when a connection string is set, embedded SQLite otherwise.</summary>
public static class DatabaseExtensions
{
    /// <summary>Connection string name that switches the hub from embedded SQLite to PostgreSQL.</summary>
    public const string PostgresConnectionName = "Postgres";

    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var postgres = builder.Configuration.GetConnectionString(PostgresConnectionName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            services.AddDbContext<PostgresCreditDbContext>(o => o.UseNpgsql(postgres));
            services.AddScoped<CreditDbContext>(sp => sp.GetRequiredService<PostgresCreditDbContext>());
        }
        else
        {
            var path = RepositoryPaths.Resolve(builder.Environment.ContentRootPath, builder.GetHubOptions().Storage.SqlitePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            services.AddDbContext<SqliteCreditDbContext>(o => o.UseSqlite($"Data Source={path}"));
            services.AddScoped<CreditDbContext>(sp => sp.GetRequiredService<SqliteCreditDbContext>());
        }

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
