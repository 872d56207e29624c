using CreditExchange.Domain.Errors;
using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;

namespace CreditExchange.Server.Grpc;

/// <summary>
/// grpc-dotnet reads a frame's 32-bit length prefix as a signed number: a prefix of 2^31 or more
/// becomes negative, slips past the size limit and ends the call with UNKNOWN. For unary and
/// server-streaming calls this middleware looks at the request's first frame header before
/// grpc-dotnet does and answers such a frame RESOURCE_EXHAUSTED (reason MESSAGE_TOO_LARGE) itself.
/// (Client-streaming calls are not held up waiting for a first frame: there grpc-dotnet's refusal
/// of such a frame reaches <see cref="ErrorInterceptor"/>, which answers the same.)
/// </summary>
public static class FrameLengthGuard
{
    private const int HeaderLength = 5;

    public static IApplicationBuilder UseFrameLengthGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var type = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.Type;
            if (type is MethodType.Unary or MethodType.ServerStreaming)
            {
                var reader = context.Request.BodyReader;
                var read = await reader.ReadAtLeastAsync(HeaderLength, context.RequestAborted);
                var buffer = read.Buffer;
                uint length = 0;
                if (buffer.Length >= HeaderLength)
                {
                    Span<byte> header = stackalloc byte[HeaderLength];
                    buffer.Slice(0, HeaderLength).CopyTo(header);
                    length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
                }

                // Nothing consumed: grpc-dotnet reads the same bytes next.
                reader.AdvanceTo(buffer.Start);
                if (length > int.MaxValue)
                {
                    var status = TooLarge().GetRpcStatus()!;
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = "application/grpc";
                    context.Response.Headers["grpc-status"] = ((int)StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    context.Response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
                    context.Response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
                    return;
                }
            }

            await next(context);
        });

    /// <summary>RESOURCE_EXHAUSTED, reason MESSAGE_TOO_LARGE.</summary>
    public static RpcException TooLarge() => RpcErrors.Create(
        StatusCode.ResourceExhausted, ErrorReason.MessageTooLarge, "The request message is larger than the hub accepts (its length prefix is 2 GiB or more).");
}
