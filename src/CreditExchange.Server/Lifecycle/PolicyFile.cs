using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Storage.Entities;
using CreditExchange.Domain.Records;

namespace CreditExchange.Server.Lifecycle;

/// <summary>
/// Reads the disclosure policies shipped with the hub (disclosure-policies.json). Rules are data:
/// a new policy is a new entry with its own version and effective date.
/// </summary>
public static class PolicyFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A missing or null member is an error, not a silent default.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static IReadOnlyList<(DisclosurePolicy Policy, DisclosurePolicyEntity Row)> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The disclosure policy file {path} does not exist (Hub:Lifecycle:PolicyFile).");
        }

        PolicyFileModel model;
        try
        {
            model = JsonSerializer.Deserialize<PolicyFileModel>(File.ReadAllText(path), Json)
                ?? throw new InvalidOperationException($"The disclosure policy file {path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"The disclosure policy file {path} is not valid: {e.Message}", e);
        }

        return model.Policies.Select(p => (ToDomain(p, path), ToRow(p))).ToList();
    }

    private static DisclosurePolicy ToDomain(PolicyModel p, string path)
    {
        if (!DateOnly.TryParseExact(p.EffectiveFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var effective))
        {
            throw new InvalidOperationException($"Policy '{p.Version}' in {path}: effectiveFrom must be a YYYY-MM-DD date.");
        }

        var tiers = new Dictionary<RecordSeverity, DisclosureTerms>();
        foreach (var (name, t) in p.Tiers)
        {
            if (!Enum.TryParse<RecordSeverity>(name, ignoreCase: true, out var severity) || !Enum.IsDefined(severity))
            {
                throw new InvalidOperationException($"Policy '{p.Version}' in {path}: unknown tier '{name}' (minor, general, serious).");
            }

            tiers[severity] = new DisclosureTerms(t.PublishedByDefault, t.MinimumMonths, t.MaximumMonths);
        }

        return new DisclosurePolicy(
            p.Version,
            p.Title,
            effective,
            tiers,
            new RepairTerms(p.Repair.RequiresMinimumPeriod, p.Repair.RequiresObligationsFulfilled, p.Repair.RequiresCreditCommitment));
    }

    private static DisclosurePolicyEntity ToRow(PolicyModel p) => new()
    {
        Version = p.Version,
        EffectiveFrom = DateOnly.ParseExact(p.EffectiveFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        Title = p.Title,
        // Tiers sorted so that the stored terms are the same text for the same rules.
        Terms = JsonSerializer.Serialize(p with { Tiers = new SortedDictionary<string, TierModel>(p.Tiers.ToDictionary(t => t.Key.ToLowerInvariant(), t => t.Value), StringComparer.Ordinal) }, Json),
    };

    private sealed record PolicyFileModel(List<PolicyModel> Policies);

    private sealed record PolicyModel(string Version, string Title, string EffectiveFrom, IDictionary<string, TierModel> Tiers, RepairModel Repair);

    private sealed record TierModel(bool PublishedByDefault, int MinimumMonths, int MaximumMonths);

    private sealed record RepairModel(bool RequiresMinimumPeriod, bool RequiresObligationsFulfilled, bool RequiresCreditCommitment);
}
