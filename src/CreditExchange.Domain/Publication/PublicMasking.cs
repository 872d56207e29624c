using System.Globalization;
using System.Text.RegularExpressions;

namespace CreditExchange.Domain.Publication;

/// <summary>
/// How personal data appears on the public site (信用内蒙古): a civil servant's name as 张*三, a
/// resident ID as its first 6 (region) and last 4 characters, never the birth date; the same
/// masks applied to names and ID numbers typed into free text.
/// </summary>
public static partial class PublicMasking
{
    private const int IdPrefix = 6;
    private const int IdSuffix = 4;

    /// <summary>Every character but the first and the last replaced by "*"; a two-character name keeps its first ("李*").</summary>
    public static string Name(string name)
    {
        var letters = TextElements(name.Trim());
        return letters.Count switch
        {
            0 => "",
            1 => "*",
            2 => letters[0] + "*",
            _ => letters[0] + new string('*', letters.Count - 2) + letters[^1],
        };
    }

    /// <summary>A resident ID reduced to its region and its last four characters: 150102********001X.</summary>
    public static string ResidentId(string id) =>
        id.Length <= IdPrefix + IdSuffix ? new string('*', id.Length) : id[..IdPrefix] + new string('*', id.Length - IdPrefix - IdSuffix) + id[^IdSuffix..];

    /// <summary>
    /// Free text with every occurrence of <paramref name="names"/> masked as <see cref="Name"/> does, and every
    /// number shaped like a resident ID (18 characters, or the 15-digit form of the first generation) masked as
    /// <see cref="ResidentId"/> does.
    /// </summary>
    public static string FreeText(string text, IEnumerable<string> names)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var masked = ResidentIdShape().Replace(text, m => ResidentId(m.Value));
        foreach (var name in names.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().OrderByDescending(n => n.Length))
        {
            masked = masked.Replace(name, Name(name), StringComparison.Ordinal);
        }

        return masked;
    }

    private static List<string> TextElements(string text)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        return elements;
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex ResidentIdShape();
}
