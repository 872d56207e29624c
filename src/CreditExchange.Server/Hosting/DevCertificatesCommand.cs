using CreditExchange.DevCerts;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Hosting;

/// <summary>
/// `dotnet run --project src/CreditExchange.Server -- mint-dev-certs`: mints the development
/// certificates (when missing) without starting the hub. Running the hub does the same on its own.
/// </summary>
internal static class DevCertificatesCommand
{
    public const string Name = "mint-dev-certs";

    public static int Run(string[] args)
    {
        var builder = HubEnvironment.CreateBuilder(args.Where(a => a != Name).ToArray());
        if (builder.Environment.IsProduction())
        {
            Console.Error.WriteLine($"CreditExchange hub cannot start: {Name} mints development certificates and is refused when the environment is Production (ASPNETCORE_ENVIRONMENT); make the production files as the README's \"Running it in production with systemd\" says.");
            return StartupFailure.ConfigurationExitCode;
        }

        var options = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();
        var folder = RepositoryPaths.Resolve(builder.Environment.ContentRootPath, options.Tls.DevCertificatesFolder);
        var agencies = AgencyOptions.Read(builder.Configuration).Select(a => a.Id).ToList();
        var set = DevCertificateMinter.EnsureMinted(folder, agencies, TimeProvider.System);
        // The development time-stamping authority's certificate (src/CreditExchange.DevTsa), issued by the same CA.
        DevCertificateMinter.EnsureTsaMinted(set, TimeProvider.System);
        Console.WriteLine($"Development certificates for {agencies.Count} agencies are in {set.Folder}");
        return 0;
    }
}
