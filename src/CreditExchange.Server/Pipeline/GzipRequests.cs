using System.IO.Compression;
using CreditExchange.Domain.Errors;
using CreditExchange.Server.Calls;
using Grpc.Core;
using Grpc.Net.Compression;

namespace CreditExchange.Server.Pipeline;

/// <summary>
/// gzip for gRPC messages (grpc-encoding: gzip), as grpc-dotnet's own provider, except that a request body flagged
/// compressed that does not decompress is the client's malformed input — INVALID_ARGUMENT, reason MALFORMED_MESSAGE —
/// rather than an exception grpc-dotnet answers UNKNOWN.
/// </summary>
public sealed class GzipRequests : ICompressionProvider
{
    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, compressionLevel ?? CompressionLevel.Fastest, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream) => new Checked(new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true));

    /// <summary>A decompression stream whose corrupt-data failure is a refusal of the request.</summary>
    private sealed class Checked(GZipStream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return inner.Read(buffer, offset, count);
            }
            catch (InvalidDataException)
            {
                throw Malformed();
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (InvalidDataException)
            {
                throw Malformed();
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private static RpcException Malformed() => RpcErrors.Create(
            StatusCode.InvalidArgument, ErrorReason.MalformedMessage, "The request is not a valid gRPC message: it is flagged gzip-compressed, but does not decompress.");
    }
}
