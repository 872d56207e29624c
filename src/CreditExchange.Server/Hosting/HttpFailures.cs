using System.Globalization;
using CreditExchange.Server.Database;
using CreditExchange.Server.Calls;

namespace CreditExchange.Server.Hosting;

/// <summary>
/// The answer of the plain HTTP endpoints (the token endpoint, discovery) when something fails
/// under them: never a stack trace, always OAuth-style error JSON (RFC 6749 §5.2). A transient
/// storage failure answers 503 <c>temporarily_unavailable</c> with Retry-After (no token was
/// issued); anything else 500 <c>server_error</c> with a reference id that is logged with the error.
/// gRPC calls never get here: their failures are mapped by the call pipeline.
/// </summary>
public static class HttpFailures
{
    public static IApplicationBuilder UseHttpFailures(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && !IsGrpc(context) && !context.RequestAborted.IsCancellationRequested)
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpFailures));
                var path = context.Request.Path.Value ?? "";
                context.Response.Clear();
                context.Response.Headers.CacheControl = "no-store";
                if (StorageFailures.IsTransient(e))
                {
                    Log.HttpStorageUnavailable(logger, context.Request.Method, path, e);
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(RpcErrors.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    await context.Response.WriteAsJsonAsync(new OAuthError(
                        "temporarily_unavailable",
                        "The hub cannot reach or write its database; nothing was issued or changed. Retry after the Retry-After delay."));
                }
                else
                {
                    var reference = Guid.NewGuid().ToString("N");
                    Log.HttpUnhandledError(logger, context.Request.Method, path, reference, e);
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    await context.Response.WriteAsJsonAsync(new OAuthError("server_error", $"The hub failed to process the request (reference {reference})."));
                }
            }
        });

    private static bool IsGrpc(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;

    private sealed record OAuthError(
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string Description);
}
