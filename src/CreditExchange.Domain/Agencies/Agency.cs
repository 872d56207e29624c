using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Agencies;

/// <summary>
/// A connected department system and its competence (seed clause 二(二)4: each agency reports
/// the records it holds, no others).
/// </summary>
/// <param name="Domains">Domains it may submit in; empty means every domain.</param>
/// <param name="Scopes">OAuth scopes its client may ask for (see <see cref="Agencies.Scopes"/>).</param>
/// <param name="MayQuery">Whether it may read other agencies' records (cross-department query).</param>
public sealed record Agency(
    string Id,
    string DisplayName,
    IReadOnlySet<RecordCategory> Categories,
    IReadOnlySet<RecordDomain> Domains,
    IReadOnlySet<string> Scopes,
    bool MayQuery,
    bool Suspended)
{
    /// <summary>Refuses a submission outside the agency's competence, naming the rule.</summary>
    public void EnsureMaySubmit(RecordCategory category, RecordDomain domain)
    {
        if (!Categories.Contains(category))
        {
            var allowed = Categories.Count == 0 ? "none" : string.Join(", ", Categories.Order());
            throw new DomainException(
                ErrorKind.PermissionDenied,
                ErrorReason.CategoryNotInCompetence,
                $"Agency '{Id}' may not submit {category} records; its competence covers: {allowed}.");
        }

        if (Domains.Count > 0 && !Domains.Contains(domain))
        {
            throw new DomainException(
                ErrorKind.PermissionDenied,
                ErrorReason.DomainNotInCompetence,
                $"Agency '{Id}' may not submit records in domain {domain}; its competence covers: {string.Join(", ", Domains.Order())}.");
        }
    }

    /// <summary>
    /// Refuses (QUERY_RIGHTS_REQUIRED) an agency without cross-agency query rights a read that spans every agency's
    /// records; <paramref name="what"/> names that read in the refusal, e.g. "Statistics aggregate".
    /// </summary>
    public void EnsureMayQuery(string what)
    {
        if (!MayQuery)
        {
            throw new DomainException(
                ErrorKind.PermissionDenied,
                ErrorReason.QueryRightsRequired,
                $"{what} every agency's records; agency '{Id}' may read only its own.");
        }
    }
}
