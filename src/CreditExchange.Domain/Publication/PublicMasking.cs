using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CreditExchange.Domain.Publication;

/// <summary>A person a record names: masked wherever the record's public form mentions them.</summary>
/// <param name="ResidentId">Empty when the record gives none; otherwise its birth date is masked in every written form.</param>
public sealed record NamedPerson(string Name, string ResidentId);

/// <summary>
/// The one set of rules for personal data on the public site (信用内蒙古), for every string of a public
/// form. Text is matched after width normalisation (NFKC's width mappings: full-width digits, letters and
/// separators count as ASCII), while what is not masked is published as typed.
/// <list type="bullet">
/// <item>A name: every character but the first and the last replaced by "*" (张*三; two characters: 李*).</item>
/// <item>A resident ID: its region (first 6 digits) and stars, nothing else: no birth date, no sequence, no
/// check character — so no birth date known from elsewhere rebuilds it, and the region is what the subject's
/// division code publishes anyway.</item>
/// <item>In free text: every name of a person the record names (also with a space between its characters);
/// every run of digits (spaces and hyphens between them allowed, a final X after 17) of 11 digits or more —
/// resident IDs of both generations (kept to their region), mobile and other phone numbers (also +86), bank
/// cards — whatever letter or character touches it; dates of birth in any written form (1977年5月30日,
/// 一九七七年五月, 1977-05-30, 1977/5/30, 1977.5.30, 19770530) when written next to 出生/生于/生日 or when
/// they are the birth date (or month) of a person the record names; and the address after 住址, 住所, 家住,
/// 现住, 户籍地 and the like, up to the next punctuation.</item>
/// </list>
/// Numbers of 11 digits or more are masked even when they are not personal (an all-digit credit code
/// typed into the facts): the list errs on the side of the person.
/// </summary>
public static partial class PublicMasking
{
    private const int IdRegion = 6;
    private const int LongNumberDigits = 11;

    /// <summary>Every character but the first and the last replaced by "*"; a two-character name keeps its first ("李*").</summary>
    public static string Name(string name)
    {
        var letters = TextElements(Width(name).Trim());
        return letters.Count switch
        {
            0 => "",
            1 => "*",
            2 => letters[0] + "*",
            _ => letters[0] + new string('*', letters.Count - 2) + letters[^1],
        };
    }

    /// <summary>
    /// A resident ID reduced to its region: 150102************ (a 15-digit one: 150102*********). Separators
    /// and width are ignored; anything not shaped like an ID is all stars.
    /// </summary>
    public static string ResidentId(string id)
    {
        var digits = Width(id).Where(c => char.IsAsciiDigit(c) || c is 'X' or 'x').ToArray();
        return digits.Length is 15 or 18 && digits[..IdRegion].All(char.IsAsciiDigit)
            ? new string(digits, 0, IdRegion) + new string('*', digits.Length - IdRegion)
            : new string('*', Math.Max(digits.Length, 1));
    }

    /// <summary>The masking of the free text of one record, which names <paramref name="persons"/>.</summary>
    public static FreeTextMask For(IEnumerable<NamedPerson> persons) => new(persons);

    /// <summary><paramref name="text"/> masked for a record naming <paramref name="persons"/>.</summary>
    public static string FreeText(string text, IEnumerable<NamedPerson> persons) => For(persons).Apply(text);

    /// <summary>The free-text masking of one record: its persons' names and birth dates, and the rules above.</summary>
    public sealed class FreeTextMask
    {
        private readonly List<Regex> _names;
        private readonly HashSet<(int Year, int Month, int Day)> _birthDays = [];
        private readonly HashSet<(int Year, int Month)> _birthMonths = [];

        internal FreeTextMask(IEnumerable<NamedPerson> persons)
        {
            var list = persons.ToList();
            _names = list.Select(p => TextElements(Width(p.Name).Trim()).Where(e => !string.IsNullOrWhiteSpace(e)).ToList())
                .Where(letters => letters.Count >= 2)
                .Select(letters => string.Join(@"\s?", letters.Select(Regex.Escape)))
                .Distinct(StringComparer.Ordinal)
                .OrderByDescending(p => p.Length)
                .Select(p => new Regex(p, RegexOptions.CultureInvariant))
                .ToList();
            foreach (var person in list)
            {
                if (BirthDateOf(person.ResidentId) is { } born)
                {
                    _birthDays.Add((born.Year, born.Month, born.Day));
                    _birthMonths.Add((born.Year, born.Month));
                }
            }
        }

        public string Apply(string text)
        {
            if (text.Length == 0)
            {
                return text;
            }

            var normal = Width(text); // same length: a match's span is the span of what was typed
            var spans = new List<Span>();
            Addresses(normal, spans);
            Numbers(normal, spans);
            Dates(normal, spans);
            foreach (var name in _names)
            {
                spans.AddRange(name.Matches(normal).Select(m => new Span(m.Index, m.Index + m.Length, Name(string.Concat(m.Value.Where(c => !char.IsWhiteSpace(c)))))));
            }

            if (spans.Count == 0)
            {
                return text;
            }

            var masked = new StringBuilder(text.Length);
            var copied = 0;
            var reached = 0;
            foreach (var span in spans.OrderBy(s => s.Start).ThenByDescending(s => s.End))
            {
                if (span.Start < reached)
                {
                    continue; // overlaps a longer mask already applied
                }

                masked.Append(text, copied, span.Start - copied).Append(span.Replacement);
                copied = span.End;
                reached = span.End;
            }

            return masked.Append(text, copied, text.Length - copied).ToString();
        }

        private void Dates(string text, List<Span> spans)
        {
            foreach (var m in ChineseDate().Matches(text).Cast<Match>().Concat(SeparatedDate().Matches(text)).Concat(CompactDate().Matches(text)))
            {
                if (Number(m.Groups["y"].Value) is not { } year || Number(m.Groups["m"].Value) is not { } month || month is < 1 or > 12)
                {
                    continue;
                }

                int? day = m.Groups["d"].Success ? Number(m.Groups["d"].Value) : null;
                if (m.Groups["d"].Success && day is not (>= 1 and <= 31))
                {
                    continue;
                }

                var ofNamedPerson = day is { } d ? _birthDays.Contains((year, month, d)) : _birthMonths.Contains((year, month));
                if (ofNamedPerson || InBirthContext(text, m.Index, m.Index + m.Length))
                {
                    spans.Add(new Span(m.Index, m.Index + m.Length, StarDigits(m.Value)));
                }
            }
        }

        private static bool InBirthContext(string text, int from, int to)
        {
            var before = text[Math.Max(0, from - 8)..from];
            var after = text[to..Math.Min(text.Length, to + 4)];
            return BirthBefore().IsMatch(before) || BirthAfter().IsMatch(after);
        }
    }

    private static void Addresses(string text, List<Span> spans)
    {
        foreach (Match m in Address().Matches(text))
        {
            var address = m.Groups["address"];
            spans.Add(new Span(address.Index, address.Index + address.Length, new string('*', TextElements(address.Value).Count)));
        }
    }

    private static void Numbers(string text, List<Span> spans)
    {
        foreach (Match m in DigitRun().Matches(text))
        {
            var digits = m.Value.Where(char.IsAsciiDigit).ToArray();
            var spanEnd = m.Index + m.Length;
            var check = false;
            if (digits.Length == 17 && CheckCharacterAt(text, spanEnd) is { } x)
            {
                check = true;
                spanEnd = x + 1;
            }

            var count = digits.Length + (check ? 1 : 0);
            if (count is 15 or 18)
            {
                spans.Add(new Span(m.Index, spanEnd, new string(digits, 0, IdRegion) + new string('*', count - IdRegion)));
            }
            else if (count >= LongNumberDigits)
            {
                spans.Add(new Span(m.Index, spanEnd, new string('*', count)));
            }
        }
    }

    /// <summary>The index of an X (or x) right after position <paramref name="at"/>, past at most one separator.</summary>
    private static int? CheckCharacterAt(string text, int at)
    {
        if (at < text.Length && text[at] is 'X' or 'x')
        {
            return at;
        }

        return at + 1 < text.Length && IsSeparator(text[at]) && text[at + 1] is 'X' or 'x' ? at + 1 : null;
    }

    private static bool IsSeparator(char c) => c is ' ' or '\t' or '-' or '‐' or '‑' or '–' or '—' or '−';

    /// <summary>The birth date of a resident ID of either generation; null when it has none.</summary>
    private static DateOnly? BirthDateOf(string id)
    {
        var digits = new string(Width(id).Where(c => char.IsAsciiDigit(c) || c is 'X' or 'x').ToArray());
        var date = digits.Length switch
        {
            18 => digits[6..14],
            15 => "19" + digits[6..12],
            _ => null,
        };
        return date is not null && DateOnly.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born) ? born : null;
    }

    /// <summary>A number written in ASCII digits or in Chinese numerals (一九七七, 十二, 三十一); null when neither.</summary>
    private static int? Number(string value)
    {
        if (value.Length > 0 && value.All(char.IsAsciiDigit))
        {
            return int.Parse(value, CultureInfo.InvariantCulture);
        }

        if (value.Contains('十', StringComparison.Ordinal))
        {
            var parts = value.Split('十');
            var tens = parts[0].Length == 0 ? 1 : Digit(parts[0][0]);
            var units = parts[1].Length == 0 ? 0 : Digit(parts[1][0]);
            return tens is { } t && units is { } u ? (t * 10) + u : null;
        }

        var total = 0;
        foreach (var c in value)
        {
            if (Digit(c) is not { } digit)
            {
                return null;
            }

            total = (total * 10) + digit;
        }

        return value.Length == 0 ? null : total;
    }

    private static int? Digit(char c) => "〇一二三四五六七八九".IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? i
        : c is '零' or '○' or 'O' or 'o' ? 0 : null;

    /// <summary>Every digit and Chinese numeral of a written date replaced by "*": 1977年5月30日 → ****年*月**日.</summary>
    private static string StarDigits(string date) =>
        string.Concat(date.Select(c => char.IsAsciiDigit(c) || c == '十' || Digit(c) is not null ? '*' : c));

    /// <summary>
    /// The text with NFKC's width mappings applied: the full-width forms of ASCII (U+FF01–U+FF5E, what a Chinese
    /// input method types: １５０１０２, Ｘ, －, ：) as ASCII and the ideographic space as a space. Done by hand, one
    /// character for one, because the hub runs with invariant globalization (where string.Normalize leaves
    /// non-ASCII text as it is), and so that a match's position is the position of what was typed.
    /// </summary>
    internal static string Width(string text)
    {
        if (!text.Any(IsWide))
        {
            return text;
        }

        return string.Create(text.Length, text, static (folded, typed) =>
        {
            for (var i = 0; i < typed.Length; i++)
            {
                var c = typed[i];
                folded[i] = c == '\u3000' ? ' ' : c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c;
            }
        });
    }

    private static bool IsWide(char c) => c == '\u3000' || c is >= '\uFF01' and <= '\uFF5E';

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

    private readonly record struct Span(int Start, int End, string Replacement);

    /// <summary>Digits with at most one space or hyphen between two of them, not preceded by a digit.</summary>
    [GeneratedRegex(@"(?<![0-9])[0-9](?:[ \t\-‐‑–—−]?[0-9])*", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"(?<![0-9])(?<y>[0-9]{4}|[〇零○Oo一二三四五六七八九]{4})\s?年\s?(?<m>[0-9]{1,2}|十[一二]?|[一二三四五六七八九])\s?月(?:\s?(?<d>[0-9]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s?[日号])?", RegexOptions.CultureInvariant)]
    private static partial Regex ChineseDate();

    [GeneratedRegex(@"(?<![0-9.])(?<y>(?:18|19|20)[0-9]{2})(?<s>[\-/.])(?<m>[0-9]{1,2})(?:\k<s>(?<d>[0-9]{1,2}))?(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex SeparatedDate();

    [GeneratedRegex(@"(?<![0-9])(?<y>(?:18|19|20)[0-9]{2})(?<m>[0-9]{2})(?<d>[0-9]{2})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex CompactDate();

    [GeneratedRegex(@"(出生|生于|生日|出生日期|出生年月)[^,。;]{0,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex BirthBefore();

    [GeneratedRegex(@"^\s?(出生|生|出世)", RegexOptions.CultureInvariant)]
    private static partial Regex BirthAfter();

    [GeneratedRegex(@"(家庭住址|家庭地址|现住址|住址|住所地?|家住|现住|现居住地|现居|居住地址?|户籍地址?|户籍所在地|户口所在地)(?:[:\s]|为|是|在|于)*(?<address>[^,，。;；、:()\[\]【】\r\n!?]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
