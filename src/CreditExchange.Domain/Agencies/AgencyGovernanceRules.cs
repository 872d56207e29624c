using CreditExchange.Domain.Errors;

namespace CreditExchange.Domain.Agencies;

/// <summary>Rules an agency registration or change must keep, whoever makes it.</summary>
public static class AgencyGovernanceRules
{
    /// <summary>Refuses scopes the hub does not know.</summary>
    public static void EnsureKnownScopes(IEnumerable<string> scopes, string field)
    {
        var unknown = scopes.Where(s => !Scopes.All.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            throw new DomainException(
                ErrorKind.InvalidArgument,
                ErrorReason.UnknownScope,
                $"Unknown scopes {string.Join(", ", unknown)}; known scopes: {string.Join(", ", Scopes.All)}.",
                [.. unknown.Select(s => new FieldViolation(field, $"'{s}' is not a known scope", FieldViolationReason.UnknownScope))]);
        }
    }

    /// <summary>A certificate identity names the agency by SAN URI (urn:creditexchange:agency:…), subject DN, or both.</summary>
    public static void EnsureCertificateIdentity(string? uri, string? subject, string field)
    {
        if (string.IsNullOrWhiteSpace(uri) && string.IsNullOrWhiteSpace(subject))
        {
            throw DomainException.InvalidArgument(
                ErrorReason.CertificateIdentityRequired,
                [new FieldViolation(field, "names neither a SAN URI nor a subject DN", FieldViolationReason.CertificateIdentityRequired)]);
        }

        if (!string.IsNullOrWhiteSpace(uri) && !uri.StartsWith("urn:creditexchange:agency:", StringComparison.Ordinal))
        {
            throw DomainException.InvalidArgument(
                ErrorReason.InvalidCertificateUri,
                [new FieldViolation(field + ".uri", "must start with urn:creditexchange:agency:", FieldViolationReason.InvalidCertificateUri)]);
        }
    }

    /// <summary>An operator may not suspend the agency it calls as: that would lock the operator out.</summary>
    public static void EnsureMaySuspend(string callerId, string agencyId)
    {
        if (callerId == agencyId)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReason.CannotSuspendSelf, $"Agency '{callerId}' may not suspend itself.");
        }
    }
}
