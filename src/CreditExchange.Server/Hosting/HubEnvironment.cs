namespace CreditExchange.Server.Hosting;

/// <summary>
/// Which environment the hub runs in. ASPNETCORE_ENVIRONMENT, when set, decides (ASP.NET Core alone would let
/// DOTNET_ENVIRONMENT override it); then DOTNET_ENVIRONMENT; then <see cref="LaunchProfileVariable"/>, which only the
/// launch profile of <c>dotnet run</c> sets (to Development, so that a checkout runs with no setup); otherwise
/// Production, as the documented production start (systemd, or <c>dotnet CreditExchange.Server.dll</c>) runs.
/// So <c>ASPNETCORE_ENVIRONMENT=Production dotnet run</c> runs in Production: the launch profile no longer overrides it.
/// </summary>
public static class HubEnvironment
{
    public const string LaunchProfileVariable = "CREDITEXCHANGE_LAUNCH_PROFILE_ENVIRONMENT";

    /// <summary><see cref="WebApplication.CreateBuilder(WebApplicationOptions)"/> with the environment decided as above.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // An --environment argument keeps its precedence over the variables.
            EnvironmentName = args.Any(a => a.StartsWith("--environment", StringComparison.OrdinalIgnoreCase)) ? null : Decide().Name,
        });

    /// <summary>The environment name to impose (null: ASP.NET Core's own choice) and where it comes from, for the log.</summary>
    public static (string? Name, string Source) Decide()
    {
        foreach (var variable in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", LaunchProfileVariable })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                return (value, variable == LaunchProfileVariable ? $"from {variable}, set by the launch profile of dotnet run; ASPNETCORE_ENVIRONMENT overrides it" : $"from {variable}");
            }
        }

        return (null, "the default: ASPNETCORE_ENVIRONMENT is not set");
    }
}
