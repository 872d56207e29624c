using CreditExchange.Domain.Agencies;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CreditExchange.Server.Tokens;

/// <summary>
/// Keeps one OpenIddict client per agency in step with the agency registry: client_id is the
/// agency id, no secret (tls_client_auth only), client credentials only, the agency's scopes.
/// </summary>
public static class AgencyApplications
{
    public static async Task SyncAsync(IOpenIddictApplicationManager manager, IEnumerable<Agency> agencies, CancellationToken ct)
    {
        foreach (var agency in agencies)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = agency.Id,
                ClientType = ClientTypes.Confidential,
                DisplayName = agency.DisplayName,
            };
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
            descriptor.Permissions.UnionWith(agency.Scopes.Select(s => Permissions.Prefixes.Scope + s));

            var existing = await manager.FindByClientIdAsync(agency.Id, ct);
            if (existing is null)
            {
                await manager.CreateAsync(descriptor, ct);
            }
            else
            {
                await manager.UpdateAsync(existing, descriptor, ct);
            }
        }
    }
}
