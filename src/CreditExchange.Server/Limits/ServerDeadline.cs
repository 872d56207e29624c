using System.Globalization;
using CreditExchange.Server.Calls;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Limits;

/// <summary>
/// A server-side deadline on every gRPC call: the request's grpc-timeout header is lowered to
/// <see cref="LimitOptions.MaxCallDuration"/> (or set, when the client sent none) before grpc-dotnet
/// reads it, so grpc-dotnet's own deadline machinery cancels the handler and answers
/// DEADLINE_EXCEEDED. A shorter client deadline is left as it is, and so are the methods whose contract policy is
/// long-lived (<see cref="HubMethod.LongLived"/>: the feed).
/// </summary>
public static class ServerDeadline
{
    private const string TimeoutHeader = "grpc-timeout";

    public static IApplicationBuilder UseServerDeadline(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true
                && context.RequestServices.GetRequiredService<HubMethods>().Find(context.Request.Path.Value ?? "") is not { LongLived: true })
            {
                var max = context.RequestServices.GetRequiredService<IOptions<LimitOptions>>().Value.MaxCallDuration;
                var client = TryParse(context.Request.Headers[TimeoutHeader].ToString());
                if (client is null || client > max)
                {
                    context.Request.Headers[TimeoutHeader] = Format(max);
                }
            }

            return next(context);
        });

    /// <summary>Parses a grpc-timeout value (at most 8 digits and a unit H M S m u n); null when absent or malformed.</summary>
    public static TimeSpan? TryParse(string value)
    {
        if (value.Length is < 2 or > 9 || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        return value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromMicroseconds(amount),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => null,
        };
    }

    private static string Format(TimeSpan duration)
    {
        var ms = (long)Math.Ceiling(duration.TotalMilliseconds);
        return ms <= 99_999_999
            ? ms.ToString(CultureInfo.InvariantCulture) + "m"
            : ((long)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "S";
    }
}
