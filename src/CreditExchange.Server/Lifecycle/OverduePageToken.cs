using CreditExchange.Domain.Paging;

namespace CreditExchange.Server.Lifecycle;

/// <summary>ListOverdueObjections' page token (<see cref="KeysetPageToken"/>): the last (answer due date, filing sequence) seen.</summary>
internal static class OverduePageToken
{
    private static readonly byte[] Binding = KeysetPageToken.Bind("ListOverdueObjections"u8);

    public static string Encode(DateOnly dueDate, long sequence) => KeysetPageToken.Encode(Binding, dueDate, sequence);

    public static (DateOnly DueDate, long Sequence)? Decode(string token) => KeysetPageToken.Decode(token, Binding);
}
