using CreditExchange.Storage;

namespace CreditExchange.Server.Agencies;

/// <summary>The agency registry: the agencies table, seeded from the "Agencies" section, held in memory.</summary>
public static class AgenciesExtensions
{
    public static IHostApplicationBuilder AddAgencies(this IHostApplicationBuilder builder)
    {
        // Read now, so a malformed "Agencies" section stops the hub before anything else starts.
        AgencyOptions.Read(builder.Configuration);
        builder.Services.AddScoped<AgencyStore>();
        builder.Services.AddSingleton<AgencyRegistry>();
        return builder;
    }

    /// <summary>Seeds the agency registry from configuration and loads it (after the migrations ran).</summary>
    public static async Task InitializeAgenciesAsync(this WebApplication app, CancellationToken ct = default)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Agencies");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var seeds = AgencyOptions.Read(app.Configuration).Select(a => a.ToEntity());
            foreach (var id in await scope.ServiceProvider.GetRequiredService<AgencyStore>().SeedAsync(seeds, ct))
            {
                Log.AgencyAdminChangesPrevail(logger, id);
            }
        }

        var registry = app.Services.GetRequiredService<AgencyRegistry>();
        await registry.ReloadAsync(ct);
        Log.AgenciesLoaded(logger, registry.All.Count, string.Join(", ", registry.All.Select(a => a.Suspended ? a.Id + " (suspended)" : a.Id).Order(StringComparer.Ordinal)));
    }
}
