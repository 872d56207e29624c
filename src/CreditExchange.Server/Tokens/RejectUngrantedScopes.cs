using CreditExchange.Server.Agencies;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CreditExchange.Server.Tokens;

/// <summary>
/// RFC 6749 §5.2 answers a scope beyond the client's grant with invalid_scope; OpenIddict's own
/// permission check says invalid_request. This runs just before it and names the scope.
/// </summary>
public sealed class RejectUngrantedScopes(AgencyRegistry registry) : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<OpenIddictServerEvents.ValidateTokenRequestContext>()
            .UseSingletonHandler<RejectUngrantedScopes>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopePermissions.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var granted = registry.Find(context.ClientId ?? "")?.Scopes;
        if (granted is not null && context.Request.GetScopes().FirstOrDefault(s => !granted.Contains(s)) is { } scope)
        {
            context.Reject(Errors.InvalidScope, $"The client '{context.ClientId}' is not granted the scope '{scope}'.");
        }

        return ValueTask.CompletedTask;
    }
}
