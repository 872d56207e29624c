using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using CreditExchange.Server.Calls;

namespace CreditExchange.Server.Audit;

/// <summary>
/// Audits the CreditExchange calls that end before the call pipeline runs — a request that is not
/// valid protobuf or is larger than the hub accepts, a malformed frame, an unknown method — from the status
/// grpc-dotnet wrote, so that really every call leaves an entry. (These calls were refused; there
/// is nothing to acknowledge, so the entry is written after the answer.)
/// </summary>
public static class AuditFallback
{
    public static IApplicationBuilder UseAuditFallback(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            var path = context.Request.Path.Value ?? "";
            var call = context.RequestServices.GetRequiredService<CallContext>();
            if (!path.StartsWith("/" + Contracts.HubContract.PackagePrefix, StringComparison.Ordinal) || call.Method is not null
                || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
            {
                // Not the hub's, or the call pipeline ran (and audited it).
                return;
            }

            call.Begin(context, context.RequestServices.GetRequiredService<HubMethods>().Find(path));

            var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
            var status = First(trailers, context.Response.Headers, "grpc-status");
            var code = int.TryParse(status, out var parsed) ? (StatusCode)parsed : StatusCode.Unknown;
            var reason = Reason(First(trailers, context.Response.Headers, "grpc-status-details-bin"));
            var writer = context.RequestServices.GetRequiredService<AuditWriter>();
            try
            {
                await writer.WriteAsync(call, path, null, code, reason);
            }
            catch (Exception e)
            {
                Log.AuditWriteFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditFallback)), path, e);
            }
        });

    private static string? First(IHeaderDictionary? trailers, IHeaderDictionary headers, string name) =>
        trailers?[name].FirstOrDefault() ?? headers[name].FirstOrDefault();

    private static string? Reason(string? detailsBin)
    {
        if (string.IsNullOrEmpty(detailsBin))
        {
            return null;
        }

        try
        {
            var base64 = detailsBin.PadRight(detailsBin.Length + ((4 - (detailsBin.Length % 4)) % 4), '=');
            var status = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(base64));
            return status.Details.Where(d => d.Is(ErrorInfo.Descriptor)).Select(d => d.Unpack<ErrorInfo>().Reason).FirstOrDefault();
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
