using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using CreditExchange.Domain.Errors;
using CreditExchange.Server.Calls;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;

namespace CreditExchange.Server.Pipeline;

/// <summary>
/// Looks at the first frame header of a unary or server-streaming request before grpc-dotnet reads it, and answers
/// itself what grpc-dotnet would misreport as UNKNOWN or INTERNAL:
/// <list type="bullet">
/// <item>a compressed-flag byte other than 0 or 1, or a flag of 1 on a call without a grpc-encoding (or with
/// "identity"): INVALID_ARGUMENT, reason MALFORMED_MESSAGE;</item>
/// <item>a 32-bit length prefix of 2^31 or more, which grpc-dotnet reads as a negative number that slips past the size
/// limit: RESOURCE_EXHAUSTED, reason MESSAGE_TOO_LARGE.</item>
/// </list>
/// (Client-streaming calls are not held up waiting for a first frame: there the pipeline's request reader turns the
/// same failures into the same statuses.)
/// </summary>
public static class FrameGuard
{
    private const int HeaderLength = 5;

    public static IApplicationBuilder UseFrameGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var type = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.Type;
            if (type is MethodType.Unary or MethodType.ServerStreaming)
            {
                var reader = context.Request.BodyReader;
                var read = await reader.ReadAtLeastAsync(HeaderLength, context.RequestAborted);
                var buffer = read.Buffer;
                byte flag = 0;
                uint length = 0;
                if (buffer.Length >= HeaderLength)
                {
                    Span<byte> header = stackalloc byte[HeaderLength];
                    buffer.Slice(0, HeaderLength).CopyTo(header);
                    flag = header[0];
                    length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
                }

                // Nothing consumed: grpc-dotnet reads the same bytes next.
                reader.AdvanceTo(buffer.Start);
                var encoding = context.Request.Headers["grpc-encoding"].ToString();
                var refusal = flag switch
                {
                    > 1 => Malformed("Its compressed-flag byte is neither 0 nor 1."),
                    1 when encoding.Length == 0 || encoding == "identity" => Malformed("It is flagged compressed, but the call names no grpc-encoding."),
                    _ when length > int.MaxValue => TooLarge(),
                    _ => null,
                };
                if (refusal is not null)
                {
                    await AnswerAsync(context, refusal);
                    return;
                }
            }

            await next(context);
        });

    /// <summary>RESOURCE_EXHAUSTED, reason MESSAGE_TOO_LARGE.</summary>
    public static RpcException TooLarge() => RpcErrors.Create(
        StatusCode.ResourceExhausted, ErrorReason.MessageTooLarge, "The request message is larger than the hub accepts (its length prefix is 2 GiB or more).");

    private static RpcException Malformed(string why) => RpcErrors.Create(
        StatusCode.InvalidArgument, ErrorReason.MalformedMessage, $"The request is not a valid gRPC message: {why}");

    /// <summary>A trailers-only gRPC answer with the refusal's status and details.</summary>
    private static Task AnswerAsync(HttpContext context, RpcException refusal)
    {
        var status = refusal.GetRpcStatus()!;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        context.Response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
        return Task.CompletedTask;
    }
}
