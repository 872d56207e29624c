using CreditExchange.Domain.Errors;
using CreditExchange.Security;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Tokens;

namespace CreditExchange.Server.Pipeline;

/// <summary>
/// Every CreditExchange method is protected three ways: the client certificate (verified in the TLS handshake, and
/// rechecked on every call against the current revocation list and its validity) names a registered, active agency; a
/// bearer access token issued to that agency and bound to that very certificate is presented; and the token carries
/// the scope the method's contract policy declares. Reflection and health need the certificate only.
/// </summary>
public sealed class CallAuthorization(ClientCertificatePolicy certificates, BearerTokens tokens)
{
    /// <summary>Sets the call's token and caller, or refuses (UNAUTHENTICATED, PERMISSION_DENIED).</summary>
    public async Task AuthorizeAsync(CallContext call)
    {
        var certificate = call.Certificate ?? throw Unauthenticated(ErrorReason.ClientCertificateRequired, "A client certificate is required.");
        if (certificates.Recheck(certificate) is { IsValid: false } check)
        {
            throw Unauthenticated(ErrorReason.CertificateRevoked, check.Message);
        }

        var agency = call.AcceptedAgency
            ?? throw Unauthenticated(ErrorReason.AgencyNotRegistered, "The client certificate is not registered to an agency.");
        if (agency.Suspended)
        {
            throw Unauthenticated(ErrorReason.AgencySuspended, $"Agency '{agency.Id}' is suspended.");
        }

        var token = await tokens.ValidateAsync(call.Http!, call.ConfirmationThumbprint!);
        if (token.Subject != agency.Id)
        {
            throw Unauthenticated(ErrorReason.TokenAgencyMismatch, "The access token was issued to another agency.");
        }

        var scope = call.Method?.Scope
            ?? throw new DomainException(ErrorKind.PermissionDenied, ErrorReason.MethodNotScoped, "This method declares no scope and is refused.");
        if (!token.Scopes.Contains(scope))
        {
            throw new DomainException(ErrorKind.PermissionDenied, ErrorReason.ScopeMissing, $"This method requires the scope '{scope}', which the access token does not carry.");
        }

        call.Token = token;
        call.Agency = agency;
    }

    private static DomainException Unauthenticated(ErrorReason reason, string message) => new(ErrorKind.Unauthenticated, reason, message);
}
