using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Transport;
using CreditExchange.Server.Tokens;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using OpenIddict.Abstractions;

namespace CreditExchange.Server.Admin;

/// <summary>What may change about an agency, in storage terms (category and domain names as the registry stores them).</summary>
public sealed record AgencyCompetence(IReadOnlyList<string> Categories, IReadOnlyList<string> Domains, bool MayQuery, IReadOnlyList<string> Scopes);

/// <summary>
/// Applies governance changes: the agency table, this instance's registry (at once; the other
/// instances within a poll), the agency's OAuth client, and closing a suspended agency's calls.
/// </summary>
public sealed class AgencyGovernance(
    AgencyAdminStore store,
    AgencyRegistryPoller poller,
    IOpenIddictApplicationManager applications,
    AgencyRegistry registry,
    TlsMaterial tls)
{
    public Task<List<AgencyEntity>> ListAsync(CancellationToken ct) => store.ListAsync(ct);

    public async Task<AgencyEntity> RegisterAsync(
        string id, string displayName, AgencyCompetence competence, string? uri, string? subject, string? pin, CancellationToken ct)
    {
        AgencyGovernanceRules.EnsureKnownScopes(competence.Scopes, "competence.scopes");
        uri = string.IsNullOrWhiteSpace(uri) && string.IsNullOrWhiteSpace(subject) ? $"urn:creditexchange:agency:{id}" : Blank(uri);
        AgencyGovernanceRules.EnsureCertificateIdentity(uri, subject, "certificate");
        await EnsureIdentityFreeAsync(uri, Blank(subject), id, ct);
        var row = new AgencyEntity
        {
            Id = id,
            DisplayName = displayName,
            Categories = string.Join(',', competence.Categories),
            Domains = string.Join(',', competence.Domains),
            MayQuery = competence.MayQuery,
            Scopes = string.Join(',', competence.Scopes),
            CertificateUri = uri,
            CertificateSubject = Blank(subject),
            PinnedThumbprint = Blank(pin)?.ToLowerInvariant(),
        };
        if (!await store.AddAsync(row, ct))
        {
            throw new DomainException(ErrorKind.AlreadyExists, ErrorReason.AgencyExists, $"Agency '{id}' is already registered.");
        }

        return await AppliedAsync(id, ct);
    }

    public async Task<AgencyEntity> UpdateCompetenceAsync(string id, AgencyCompetence competence, CancellationToken ct)
    {
        AgencyGovernanceRules.EnsureKnownScopes(competence.Scopes, "competence.scopes");
        await UpdateAsync(id, row =>
        {
            row.Categories = string.Join(',', competence.Categories);
            row.Domains = string.Join(',', competence.Domains);
            row.MayQuery = competence.MayQuery;
            row.Scopes = string.Join(',', competence.Scopes);
        }, ct);
        return await AppliedAsync(id, ct);
    }

    public async Task<AgencyEntity> RotateCertificateAsync(string id, string? uri, string? subject, string? pin, CancellationToken ct)
    {
        AgencyGovernanceRules.EnsureCertificateIdentity(uri, subject, "certificate");
        await EnsureIdentityFreeAsync(Blank(uri), Blank(subject), id, ct);
        await UpdateAsync(id, row =>
        {
            row.CertificateUri = Blank(uri);
            row.CertificateSubject = Blank(subject);
            row.PinnedThumbprint = Blank(pin)?.ToLowerInvariant();
        }, ct);
        return await AppliedAsync(id, ct);
    }

    public async Task<AgencyEntity> SetSuspendedAsync(string callerId, string id, bool suspended, CancellationToken ct)
    {
        if (suspended)
        {
            AgencyGovernanceRules.EnsureMaySuspend(callerId, id);
        }

        await UpdateAsync(id, row => row.Suspended = suspended, ct);
        return await AppliedAsync(id, ct);
    }

    /// <summary>Reads the CRL file again on this instance; answers the number of revoked serials in force.</summary>
    public int ReloadRevocationList()
    {
        try
        {
            tls.ReloadRevocationList();
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or InvalidOperationException or FormatException)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReason.CrlInvalid, "The revocation list file could not be loaded; the previous list stays in force.");
        }

        return tls.RevocationList?.Count
            ?? throw new DomainException(ErrorKind.FailedPrecondition, ErrorReason.CrlNotConfigured, "No revocation list is configured (Hub:Tls:RevocationList).");
    }

    private async Task UpdateAsync(string id, Action<AgencyEntity> change, CancellationToken ct)
    {
        if (await store.UpdateAsync(id, change, ct) is null)
        {
            throw new DomainException(ErrorKind.NotFound, ErrorReason.AgencyNotFound, $"No agency '{id}' is registered.");
        }
    }

    private async Task EnsureIdentityFreeAsync(string? uri, string? subject, string id, CancellationToken ct)
    {
        if (await store.FindByCertificateIdentityAsync(uri, subject, id, ct) is { } other)
        {
            throw new DomainException(ErrorKind.AlreadyExists, ErrorReason.CertificateIdentityTaken, $"Agency '{other.Id}' is already named by that certificate identity.");
        }
    }

    /// <summary>Refreshes this instance's registry (closing a suspended agency's calls) and the agency's OAuth client.</summary>
    private async Task<AgencyEntity> AppliedAsync(string id, CancellationToken ct)
    {
        await poller.RefreshAsync(force: true, ct);
        if (registry.Find(id) is { } agency)
        {
            await AgencyApplications.SyncAsync(applications, [agency], ct);
        }

        return await store.FindAsync(id, ct) ?? throw new InvalidOperationException($"Agency '{id}' vanished.");
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
