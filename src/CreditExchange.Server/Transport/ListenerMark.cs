using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CreditExchange.Server.Transport;

/// <summary>
/// A mark one listener sets on each connection it accepts, so that middleware knows which listener a request came in on
/// from the connection itself, never from the path, the scheme or the Host header (the management and open-data ports).
/// </summary>
public sealed class ListenerMark(string name)
{
    /// <summary>Connection middleware of the listener: marks its connections.</summary>
    public void Mark(ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            connection.Items[name] = true;
            return next(connection);
        });

    /// <summary>Whether the request came in on a connection of the marked listener.</summary>
    public bool IsOn(HttpContext context) => context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(name) == true;
}
