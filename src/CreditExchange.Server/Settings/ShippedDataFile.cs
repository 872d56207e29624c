using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditExchange.Server.Settings;

/// <summary>
/// Reads a rules file the hub ships as data (appraisal rules, severity table, holiday calendars):
/// JSON with comments, unknown properties and missing members refused, enums by name. Any problem
/// stops the start with one message naming the file and its setting.
/// </summary>
public static class ShippedDataFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    /// <summary>Reads <paramref name="path"/> and turns it into the domain with <paramref name="toDomain"/> (which may refuse with ArgumentException).</summary>
    public static TResult Load<TModel, TResult>(string path, string setting, string what, Func<TModel, TResult> toDomain)
    {
        try
        {
            var model = JsonSerializer.Deserialize<TModel>(File.ReadAllText(path), Json)
                ?? throw new InvalidOperationException("the file is empty");
            return toDomain(model);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException($"Cannot load the {what} from {path} ({setting}): {e.Message}", e);
        }
    }
}
