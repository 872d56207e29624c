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
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var seeds = AgencyOptions.Read(app.Configuration).Select(a => a.ToEntity());
            await scope.ServiceProvider.GetRequiredService<AgencyStore>().SeedAsync(seeds, ct);
        }

        await app.Services.GetRequiredService<AgencyRegistry>().ReloadAsync(ct);
    }
}
