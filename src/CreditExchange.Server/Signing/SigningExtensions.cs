using CreditExchange.Storage;

namespace CreditExchange.Server.Signing;

/// <summary>Agency signatures over write requests: the options, the checker the call pipeline and batch submissions use, the store.</summary>
public static class SigningExtensions
{
    public static IHostApplicationBuilder AddSigning(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SigningOptions>().Bind(builder.Configuration.GetSection(SigningOptions.Section));
        services.AddSingleton<RequestSigning>();
        services.AddSingleton<SigningCertificateCache>();
        services.AddScoped<SignatureStore>();
        return builder;
    }
}
