using CreditExchange.Domain.Paging;

namespace CreditExchange.Server.Lifecycle;

/// <summary>Where a page of ListOverdueObjections ended, per kind: the last (due date, filing sequence) seen; null when none of that kind was seen yet.</summary>
internal sealed record OverduePosition((DateOnly DueDate, long Sequence)? Objections, (DateOnly DueDate, long Sequence)? Complaints);

/// <summary>ListOverdueObjections' page token (<see cref="KeysetPageToken"/>): a position in the objections and one in the complaints.</summary>
internal static class OverduePageToken
{
    private static readonly byte[] Binding = KeysetPageToken.Bind("ListOverdueObjections", []);

    public static string Encode(OverduePosition position) => KeysetPageToken.Encode(Binding, [position.Objections, position.Complaints]);

    public static OverduePosition Decode(string token)
    {
        var positions = KeysetPageToken.Decode(token, Binding, 2);
        return new OverduePosition(positions[0], positions[1]);
    }
}
