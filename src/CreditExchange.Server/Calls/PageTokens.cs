using CreditExchange.Domain.Paging;
using Google.Protobuf;

namespace CreditExchange.Server.Calls;

/// <summary>
/// The page token of every paged list (<see cref="KeysetPageToken"/>), bound to the request it was issued for: the
/// request's own bytes without its page_token and page_size (after the list's normalisation, e.g. a resident ID's
/// check character upper-cased), with its message name. A token replayed against other filters, another list or
/// forged is refused as INVALID_PAGE_TOKEN.
/// </summary>
public static class PageTokens
{
    private const string TokenField = "page_token";
    private const string SizeField = "page_size";

    /// <summary>The binding of <paramref name="request"/>'s query.</summary>
    public static byte[] Binding<T>(T request, Action<T>? normalize = null)
        where T : IMessage<T>
    {
        var filters = request.Clone();
        foreach (var name in (ReadOnlySpan<string>)[TokenField, SizeField])
        {
            filters.Descriptor.FindFieldByName(name)?.Accessor.Clear(filters);
        }

        normalize?.Invoke(filters);
        return KeysetPageToken.Bind(filters.Descriptor.FullName, filters.ToByteArray());
    }

    /// <summary>The positions of the request's page token (all null for none); INVALID_ARGUMENT for a token not issued for this query.</summary>
    public static (DateOnly Day, long Sequence)?[] Decode<T>(T request, int lists, Action<T>? normalize = null)
        where T : IMessage<T> =>
        KeysetPageToken.Decode(Token(request), Binding(request, normalize), lists);

    /// <summary>The position of a one-list request's page token; null for none.</summary>
    public static (DateOnly Day, long Sequence)? Decode<T>(T request, Action<T>? normalize = null)
        where T : IMessage<T> =>
        KeysetPageToken.Decode(Token(request), Binding(request, normalize));

    /// <summary>The token of the next page, after the given positions.</summary>
    public static string Encode<T>(T request, IReadOnlyList<(DateOnly Day, long Sequence)?> positions, Action<T>? normalize = null)
        where T : IMessage<T> =>
        KeysetPageToken.Encode(Binding(request, normalize), positions);

    /// <summary>The token of the next page of a one-list request, after (<paramref name="day"/>, <paramref name="sequence"/>).</summary>
    public static string Encode<T>(T request, DateOnly day, long sequence, Action<T>? normalize = null)
        where T : IMessage<T> =>
        KeysetPageToken.Encode(Binding(request, normalize), day, sequence);

    private static string Token<T>(T request)
        where T : IMessage<T> =>
        request.Descriptor.FindFieldByName(TokenField)?.Accessor.GetValue(request) as string
        ?? throw new InvalidOperationException($"{request.Descriptor.FullName} has no {TokenField}.");
}
