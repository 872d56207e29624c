using CreditExchange.Server.Agencies;
using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Server.Hosting;

public static class StorageExtensions
{
    /// <summary>Connection string name that switches the hub from embedded SQLite to PostgreSQL.</summary>
    public const string PostgresConnectionName = "Postgres";

    public static IHostApplicationBuilder AddHubStorage(this IHostApplicationBuilder builder)
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
            var hub = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();
            var path = RepositoryPaths.Resolve(builder.Environment.ContentRootPath, hub.Storage.SqlitePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            services.AddDbContext<SqliteCreditDbContext>(o => o.UseSqlite($"Data Source={path}"));
            services.AddScoped<CreditDbContext>(sp => sp.GetRequiredService<SqliteCreditDbContext>());
        }

        services.AddScoped<RecordStore>();
        services.AddScoped<Records.RecordIntake>();
        services.AddScoped<AgencyStore>();
        services.AddSingleton<AgencyRegistry>();
        return builder;
    }

    /// <summary>Applies the provider's migrations, seeds the agency registry from configuration and loads it.</summary>
    public static async Task InitializeHubStorageAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
            await db.Database.MigrateAsync(ct);
            if (db.Database.IsSqlite())
            {
                // WAL lets readers proceed while a submission commits.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }

            var seeds = AgencyOptions.Read(app.Configuration).Select(a => a.ToEntity());
            await scope.ServiceProvider.GetRequiredService<AgencyStore>().SeedAsync(seeds, ct);
        }

        await app.Services.GetRequiredService<AgencyRegistry>().ReloadAsync(ct);
    }
}
