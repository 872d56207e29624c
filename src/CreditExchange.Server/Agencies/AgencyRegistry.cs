using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Records;
using CreditExchange.Security;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Server.Agencies;

/// <summary>
/// Maps a client certificate to its registered agency. Held in memory (a certificate lookup on
/// every call must not cost a query) and reloaded from the agency table when it changes.
/// </summary>
public sealed class AgencyRegistry(IServiceScopeFactory scopes)
{
    private Snapshot _snapshot = Snapshot.Empty;

    public async Task ReloadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<AgencyStore>().ListAsync(ct);
        Volatile.Write(ref _snapshot, new Snapshot(rows.Select(ToDomain).ToList(), rows));
    }

    public IReadOnlyCollection<Agency> All => Volatile.Read(ref _snapshot).ById.Values;

    public Agency? Find(string agencyId) => Volatile.Read(ref _snapshot).ById.GetValueOrDefault(agencyId);

    /// <summary>
    /// The agency named by the certificate's SAN URI, else by its subject DN; null when none, or
    /// when the agency pins another certificate (unless <paramref name="ignorePin"/>, for audit and limits).
    /// </summary>
    public Agency? FindByCertificate(X509Certificate2 certificate, bool ignorePin = false)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var agency = AgencyCertificateIdentity.AgencyUri(certificate) is { } uri && snapshot.ByUri.TryGetValue(uri, out var byUri)
            ? byUri
            : snapshot.BySubject.GetValueOrDefault(AgencyCertificateIdentity.SubjectDn(certificate));
        if (agency is null || ignorePin || !snapshot.Pins.TryGetValue(agency.Id, out var pinned))
        {
            return agency;
        }

        var thumbprint = Convert.ToHexStringLower(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));
        return string.Equals(thumbprint, pinned, StringComparison.OrdinalIgnoreCase) ? agency : null;
    }

    /// <summary>Whether <paramref name="agency"/> accepts a certificate of this SHA-256 thumbprint: it pins none, or pins this one.</summary>
    public bool Accepts(Agency agency, string thumbprint) =>
        !Volatile.Read(ref _snapshot).Pins.TryGetValue(agency.Id, out var pinned) || string.Equals(thumbprint, pinned, StringComparison.OrdinalIgnoreCase);

    private static Agency ToDomain(AgencyEntity row) => new(
        row.Id,
        row.DisplayName,
        ParseSet<RecordCategory>(row.Categories),
        ParseSet<RecordDomain>(row.Domains),
        row.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToFrozenSet(StringComparer.Ordinal),
        row.MayQuery,
        row.Suspended);

    private static FrozenSet<T> ParseSet<T>(string csv)
        where T : struct, Enum =>
        csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Enum.Parse<T>)
            .ToFrozenSet();

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([], []);

        public Snapshot(IReadOnlyList<Agency> agencies, IReadOnlyList<AgencyEntity> rows)
        {
            ById = agencies.ToFrozenDictionary(a => a.Id);
            ByUri = rows.Where(r => r.CertificateUri is not null)
                .ToFrozenDictionary(r => r.CertificateUri!, r => ById[r.Id], StringComparer.Ordinal);
            BySubject = rows.Where(r => r.CertificateSubject is not null)
                .ToFrozenDictionary(r => r.CertificateSubject!, r => ById[r.Id], StringComparer.Ordinal);
            Pins = rows.Where(r => !string.IsNullOrEmpty(r.PinnedThumbprint))
                .ToFrozenDictionary(r => r.Id, r => r.PinnedThumbprint!, StringComparer.Ordinal);
        }

        public FrozenDictionary<string, Agency> ById { get; }

        public FrozenDictionary<string, Agency> ByUri { get; }

        public FrozenDictionary<string, Agency> BySubject { get; }

        /// <summary>Agency id → the one certificate thumbprint (SHA-256 hex) it accepts.</summary>
        public FrozenDictionary<string, string> Pins { get; }
    }
}
