using System.Globalization;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Settings;
using Google.Protobuf.Reflection;
using AccountabilityMeasure = CreditExchange.Contracts.Records.V1.AccountabilityMeasure;
using SanctionKind = CreditExchange.Contracts.Records.V1.SanctionKind;
using PenaltyKind = CreditExchange.Contracts.Records.V1.PenaltyKind;

namespace CreditExchange.Server.Validation;

/// <summary>
/// Reads the severity table (Hub:Records:SeverityTableFile, default Records/severity-table.json beside
/// the hub's binaries). Kinds are named as the contract names them; an unknown kind, severity or
/// property refuses the start.
/// </summary>
public static class SeverityTableFile
{
    public const string SettingKey = "Hub:Records:SeverityTableFile";
    public const string DefaultPath = "Records/severity-table.json";

    private static readonly EnumDescriptor Penalties = Enum(nameof(PenaltyKind));
    private static readonly EnumDescriptor Sanctions = Enum(nameof(SanctionKind));
    private static readonly EnumDescriptor Measures = Enum(nameof(AccountabilityMeasure));

    /// <summary>Every contract name of a kind the table may list.</summary>
    public static ISet<string> KnownKinds { get; } = new[] { Penalties, Sanctions, Measures }
        .SelectMany(d => d.Values)
        .Where(v => v.Number != 0)
        .Select(v => v.Name)
        .ToHashSet(StringComparer.Ordinal);

    public static SeverityTable Load(string path) => ShippedDataFile.Load<FileModel, SeverityTable>(
        path, SettingKey, "severity table", model => new SeverityTable(model.Versions.Select(ToDomain), KnownKinds));

    /// <summary>The contract names of the kinds a record carries.</summary>
    public static IEnumerable<string> KindsOf(RecordContent content)
    {
        foreach (var kind in content.Penalty?.Kinds ?? [])
        {
            yield return Name(Penalties, (int)kind);
        }

        if (content.SanctionKind != SanctionKind.Unspecified)
        {
            yield return Name(Sanctions, (int)content.SanctionKind);
        }

        foreach (var measure in content.AccountabilityMeasures)
        {
            yield return Name(Measures, (int)measure);
        }
    }

    /// <summary>The contract name of a severity, e.g. "SEVERITY_GENERAL".</summary>
    public static string SeverityName(RecordSeverity severity) => Name(Enum(nameof(Severity)), (int)severity);

    private static EnumDescriptor Enum(string name) => RecordsReflection.Descriptor.FindTypeByName<EnumDescriptor>(name);

    private static string Name(EnumDescriptor descriptor, int number) => descriptor.FindValueByNumber(number)?.Name ?? number.ToString(CultureInfo.InvariantCulture);

    private static SeverityTableVersion ToDomain(VersionModel v) => new(
        v.Version,
        DateOnly.ParseExact(v.EffectiveFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        v.Source,
        v.Minimums,
        v.Periods?.ToDictionary(p => p.Key, p => new StatutoryPeriod(p.Value.Months, p.Value.Fixed, p.Value.Source), StringComparer.Ordinal),
        v.MinorCaps is { } caps ? new MinorAmountCaps(caps.FineFenPerson, caps.FineFenBody, caps.Source) : null);

    private sealed record FileModel(List<VersionModel> Versions);

    private sealed record VersionModel(
        string Version, string EffectiveFrom, string Source, Dictionary<string, RecordSeverity> Minimums, Dictionary<string, PeriodModel>? Periods, CapsModel? MinorCaps);

    private sealed record PeriodModel(int? Months, bool Fixed, string Source);

    private sealed record CapsModel(long FineFenPerson, long FineFenBody, string Source);
}
