using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using CreditExchange.Server.Admin;
using CreditExchange.Server.Appraisal;
using CreditExchange.Server.Audit;
using CreditExchange.Server.Feed;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Server.Limits;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Receipts;
using CreditExchange.Server.Statistics;
using CreditExchange.Server.Evaluation;

using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Hosting;

/// <summary>One setting as documented: its name, type, default, allowed values and description.</summary>
public sealed record SettingRow(string Name, string Type, string Default, string Allowed, string Description);

/// <summary>
/// The README's settings table, generated from the options classes: their properties (names and types), the values a new
/// instance holds (defaults), the validation attributes (<see cref="RangeAttribute"/>, <see cref="RequiredAttribute"/>,
/// enums) and <see cref="DescriptionAttribute"/>. `dotnet CreditExchange.Server.dll print-settings` prints it; a test
/// compares it with the README.
/// </summary>
public static class SettingsTable
{
    public const string CommandName = "print-settings";

    /// <summary>Every options class bound to a section of "Hub", in the order the table lists them.</summary>
    public static readonly IReadOnlyList<(string Section, Type Type)> Sections =
    [
        (HubOptions.Section, typeof(HubOptions)),
        (PrivacyOptions.Section, typeof(PrivacyOptions)),
        (ReceiptOptions.Section, typeof(ReceiptOptions)),
        (Signing.SigningOptions.Section, typeof(Signing.SigningOptions)),
        (LimitOptions.Section, typeof(LimitOptions)),
        (AuditOptions.Section, typeof(AuditOptions)),
        (GovernanceOptions.Section, typeof(GovernanceOptions)),
        (LifecycleOptions.Section, typeof(LifecycleOptions)),
        (FeedOptions.Section, typeof(FeedOptions)),
        (AppraisalOptions.Section, typeof(AppraisalOptions)),
        (StatisticsOptions.Section, typeof(StatisticsOptions)),
        (EvaluationOptions.Section, typeof(EvaluationOptions)),
    ];

    /// <summary>Settings outside "Hub" that no options class describes.</summary>
    private static readonly SettingRow[] Others =
    [
        new("ConnectionStrings:Postgres", "string", "empty", "", "PostgreSQL connection string (Npgsql); empty uses SQLite at Hub:Storage:SqlitePath. The hub never logs its password."),
        new("Agencies", "list of agencies", "nine agencies", "", "The agency registry: Id, CertificateUri or CertificateSubject, Categories, Domains, MayQuery, Scopes (see \"Certificates, CRL and agencies\")."),
    ];

    public static IReadOnlyList<SettingRow> Rows()
    {
        var rows = new List<SettingRow>();
        foreach (var (section, type) in Sections)
        {
            Walk(section, type, Activator.CreateInstance(type)!, rows);
        }

        rows.AddRange(Others);
        return rows;
    }

    /// <summary>The table in markdown, one row a setting.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| setting | type | default | range / allowed | description |\n");
        text.Append("|---|---|---|---|---|\n");
        foreach (var row in Rows())
        {
            text.Append(CultureInfo.InvariantCulture, $"| `{row.Name}` | {Cell(row.Type)} | {Cell(row.Default)} | {Cell(row.Allowed)} | {Cell(row.Description)} |\n");
        }

        return text.ToString();
    }

    public static int Print()
    {
        Console.Out.Write(Markdown());
        return 0;
    }

    private static void Walk(string prefix, Type type, object instance, List<SettingRow> rows)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p is { CanRead: true, CanWrite: true } && p.SetMethod!.IsPublic)
                     .OrderBy(p => p.MetadataToken))
        {
            var name = $"{prefix}:{property.Name}";
            var value = property.GetValue(instance);
            if (IsComplex(property.PropertyType))
            {
                Walk(name, property.PropertyType, value ?? Activator.CreateInstance(property.PropertyType)!, rows);
                continue;
            }

            var dictionary = DictionaryValueType(property.PropertyType) is not null;
            rows.Add(new SettingRow(
                dictionary ? name + ":<id>" : name,
                TypeName(property.PropertyType),
                property.GetCustomAttribute<SettingDefaultAttribute>()?.Text ?? Format(value),
                Allowed(property),
                property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? ""));
        }
    }

    private static bool IsComplex(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;

    private static string TypeName(Type type)
    {
        if (DictionaryValueType(type) is { } valueType)
        {
            return $"id → {TypeName(valueType)}";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return $"list of {TypeName(type.GetGenericArguments()[0])}";
        }

        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return TypeName(inner) + " (optional)";
        }

        if (type.IsEnum)
        {
            return "one of";
        }

        return type switch
        {
            _ when type == typeof(string) => "string",
            _ when type == typeof(int) || type == typeof(long) => "integer",
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(TimeSpan) => "duration",
            _ when type == typeof(DateOnly) => "date",
            _ => type.Name,
        };
    }

    private static string Format(object? value) => value switch
    {
        null => "empty",
        string { Length: 0 } => "empty",
        string s => $"`{s}`",
        bool b => b ? "`true`" : "`false`",
        TimeSpan t => $"`{Duration(t)}`",
        IDictionary { Count: 0 } => "`{}`",
        IList { Count: 0 } => "`[]`",
        IEnumerable e and not string => $"`{JsonSerializer.Serialize(e)}`",
        IFormattable f => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
        _ => $"`{value}`",
    };

    /// <summary>A duration as it is written in the settings: [d.]hh:mm:ss[.fff].</summary>
    private static string Duration(TimeSpan t) =>
        t.ToString(t.Days > 0 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture)
        + (t.Milliseconds > 0 ? "." + t.Milliseconds.ToString("000", CultureInfo.InvariantCulture) : "");

    private static string Allowed(PropertyInfo property)
    {
        var parts = new List<string>();
        if (property.GetCustomAttribute<RequiredAttribute>() is not null)
        {
            parts.Add("required");
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            var unbounded = range.Maximum is int or long or double && Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture) >= int.MaxValue;
            parts.Add(unbounded
                ? $"≥ {Number(range.Minimum)}"
                : $"{Number(range.Minimum)} – {Number(range.Maximum)}");
        }

        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type.IsEnum)
        {
            parts.Add(string.Join(", ", Enum.GetNames(type).Select(n => $"`{n}`")));
        }

        return string.Join("; ", parts);
    }

    private static string Number(object value) => value switch
    {
        int or long => $"{Convert.ToInt64(value, CultureInfo.InvariantCulture):#,0}",
        double d when d == Math.Floor(d) => $"{d:#,0}",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
