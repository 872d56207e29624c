using CreditExchange.Domain.Records;
using CreditExchange.Storage.Entities;

namespace CreditExchange.Server.Agencies;

/// <summary>One entry of the "Agencies" configuration section, seeded into the agency registry table.</summary>
public sealed class AgencyOptions
{
    public const string Section = "Agencies";

    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>Certificate subject DN that identifies the agency, e.g. "CN=court, OU=Agency Systems, O=…".</summary>
    public string? CertificateSubject { get; set; }

    /// <summary>Certificate SAN URI that identifies the agency; defaults to urn:creditexchange:agency:&lt;id&gt;.</summary>
    public string? CertificateUri { get; set; }

    public List<RecordCategory> Categories { get; set; } = [];

    /// <summary>Domains it may submit in; empty means all.</summary>
    public List<RecordDomain> Domains { get; set; } = [];

    public bool MayQuery { get; set; }

    /// <summary>OAuth scopes its client may ask for; see CreditExchange.Domain.Agencies.Scopes.</summary>
    public List<string> Scopes { get; set; } = [];

    public static IReadOnlyList<AgencyOptions> Read(IConfiguration configuration)
    {
        var agencies = configuration.GetSection(Section).Get<List<AgencyOptions>>() ?? [];
        var problems = new List<string>();
        // The binder drops list items it cannot convert; an unknown category must stop the hub instead.
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            problems.AddRange(UnknownNames<RecordCategory>(entry, nameof(Categories)));
            problems.AddRange(UnknownNames<RecordDomain>(entry, nameof(Domains)));
        }

        foreach (var (agency, index) in agencies.Select((a, i) => (a, i)))
        {
            if (string.IsNullOrWhiteSpace(agency.Id) || agency.Id.Length > 64 || !agency.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                problems.Add($"Agencies:{index}:Id must be 1–64 characters of a-z, 0-9 and '-'.");
            }
        }

        foreach (var (agency, unknown) in agencies.SelectMany(a => a.Scopes.Where(s => !Domain.Agencies.Scopes.All.Contains(s)).Select(s => (a, s))))
        {
            problems.Add($"Agency '{agency.Id}' names unknown scope '{unknown}'; known scopes: {string.Join(", ", Domain.Agencies.Scopes.All)}.");
        }

        foreach (var duplicate in agencies.GroupBy(a => a.Id).Where(g => g.Count() > 1))
        {
            problems.Add($"Agency id '{duplicate.Key}' is configured more than once.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid agency configuration: " + string.Join(" ", problems));
        }

        return agencies;
    }

    private static IEnumerable<string> UnknownNames<T>(IConfigurationSection agency, string list)
        where T : struct, Enum =>
        agency.GetSection(list).GetChildren()
            .Where(item => !Enum.TryParse<T>(item.Value, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(item.Value, out _))
            .Select(item => $"{item.Path} is '{item.Value}', which is not one of {string.Join(", ", Enum.GetNames<T>())}.");

    public AgencyEntity ToEntity() => new()
    {
        Id = Id,
        DisplayName = string.IsNullOrWhiteSpace(DisplayName) ? Id : DisplayName,
        CertificateSubject = string.IsNullOrWhiteSpace(CertificateSubject) ? null : CertificateSubject,
        CertificateUri = string.IsNullOrWhiteSpace(CertificateUri) ? $"urn:creditexchange:agency:{Id}" : CertificateUri,
        Categories = string.Join(',', Categories.Distinct()),
        Domains = string.Join(',', Domains.Distinct()),
        MayQuery = MayQuery,
        Scopes = string.Join(',', Scopes.Distinct()),
    };
}
