using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Security;
using CreditExchange.Server.Agencies;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace CreditExchange.Server.Tokens;

/// <summary>
/// RFC 8705 tls_client_auth for agency clients. OpenIddict's default PKI check matches the
/// certificate against the client's redirect-URI hosts, which client-credentials clients do not
/// have; here the certificate must pass the hub's own policy (our CA, client-auth EKU, our CRL)
/// and must name, by its SAN URI or subject DN, the very agency whose client_id is asked for.
/// </summary>
public sealed class AgencyApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    AgencyRegistry registry,
    ClientCertificatePolicy hubPolicy)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    public override async ValueTask<bool> ValidatePublicKeyInfrastructureTlsClientCertificateAsync(
        OpenIddictEntityFrameworkCoreApplication application, X509Certificate2 certificate, X509ChainPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!hubPolicy.Evaluate(certificate).IsValid)
        {
            return false;
        }

        var clientId = await GetClientIdAsync(application, cancellationToken);
        return registry.FindByCertificate(certificate) is { Suspended: false } agency && agency.Id == clientId;
    }

    /// <summary>
    /// OpenIddict insists that a confidential client have a secret or a client-assertion key.
    /// Agency clients have neither on purpose: they authenticate with their certificate only
    /// (tls_client_auth), so that one rule is waived; every other rule still applies.
    /// </summary>
    public override async IAsyncEnumerable<ValidationResult> ValidateAsync(
        OpenIddictEntityFrameworkCoreApplication application, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var missingSecret = OpenIddictResources.GetResourceString(OpenIddictResources.ID2113);
        await foreach (var result in base.ValidateAsync(application, cancellationToken))
        {
            if (result.ErrorMessage != missingSecret)
            {
                yield return result;
            }
        }
    }
}
