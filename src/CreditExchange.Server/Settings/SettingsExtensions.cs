using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Settings;

/// <summary>The settings every feature shares (section "Hub") and the clock.</summary>
public static class SettingsExtensions
{
    public static IHostApplicationBuilder AddHubSettings(this IHostApplicationBuilder builder)
    {
        // Nested sections too: a negative token lifetime is refused, not only a top-level value.
        builder.Services.AddOptions<HubOptions>()
            .Bind(builder.Configuration.GetSection(HubOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HubOptions>, HubOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>The "Hub" section as bound now, for composition steps that need a value before the container exists.</summary>
    public static HubOptions GetHubOptions(this IHostApplicationBuilder builder) =>
        builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();
}
