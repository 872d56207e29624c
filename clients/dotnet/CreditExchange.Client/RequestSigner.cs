using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Contracts.Api.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditExchange.Client;

/// <summary>
/// Signs every write request with the private key of the agency's mutual-TLS certificate: each request (and each item of
/// a SubmitRecords stream) whose message has a <c>signature</c> field of type
/// <see cref="RequestSignature"/> gets one over its <see cref="SigningInput"/> bytes, with a fresh nonce and the current
/// time. Which requests are signed is the contract's to say (the field), not a list here. A signed call the contract
/// marks idempotent is retried here, signed anew for each attempt (the hub refuses a nonce it has seen), instead of by
/// the channel.
/// </summary>
public sealed class RequestSigner : Interceptor
{
    private static readonly ConcurrentDictionary<MessageDescriptor, FieldDescriptor?> Fields = new();
    private readonly X509Certificate2 _certificate;
    private readonly string _agencyId;
    private readonly int _maxAttempts;
    private readonly TimeProvider _time;

    public RequestSigner(X509Certificate2 certificate, string agencyId, int maxAttempts = 4, TimeProvider? time = null)
    {
        if (certificate.GetECDsaPrivateKey() is null && certificate.GetRSAPrivateKey() is null)
        {
            throw new ArgumentException("The client certificate has no ECDSA or RSA private key to sign requests with.", nameof(certificate));
        }

        _certificate = certificate;
        _agencyId = agencyId;
        _maxAttempts = maxAttempts;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The message's signature field; null for a message the contract does not sign.</summary>
    public static FieldDescriptor? SignatureField(MessageDescriptor descriptor) =>
        Fields.GetOrAdd(descriptor, d => d.Fields.InFieldNumberOrder().SingleOrDefault(f =>
            f.FieldType == FieldType.Message && f.MessageType.FullName == RequestSignature.Descriptor.FullName));

    /// <summary>
    /// The bytes an agency signs (creditexchange.api.v1.SigningInput) for <paramref name="request"/> sent on
    /// <paramref name="method"/> (full gRPC method, e.g. "/creditexchange.records.v1.RecordService/SubmitRecord"): the
    /// request serialized without its signature field. The hub builds the same bytes.
    /// </summary>
    public static byte[] SigningInputBytes(string method, string agencyId, IMessage request, Timestamp signedAt, ByteString nonce)
    {
        var unsigned = request.Descriptor.Parser.ParseFrom(request.ToByteArray());
        SignatureField(unsigned.Descriptor)?.Accessor.Clear(unsigned);
        return new SigningInput
        {
            Method = method,
            AgencyId = agencyId,
            SignedAt = signedAt,
            Nonce = nonce,
            Request = unsigned.ToByteString(),
        }.ToByteArray();
    }

    /// <summary>A copy of <paramref name="request"/> signed now with a fresh nonce; the request itself when the contract does not sign it.</summary>
    public T Sign<T>(string method, T request)
        where T : class
    {
        if (request is not IMessage message || SignatureField(message.Descriptor) is not { } field)
        {
            return request;
        }

        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteArray());
        field.Accessor.Clear(copy);
        var signedAt = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
        var nonce = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16));
        var input = SigningInputBytes(method, _agencyId, copy, signedAt, nonce);
        field.Accessor.SetValue(copy, new RequestSignature { SignedAt = signedAt, Nonce = nonce, Signature = ByteString.CopyFrom(SignBytes(input)) });
        return (T)copy;
    }

    private byte[] SignBytes(byte[] data)
    {
        using var ecdsa = _certificate.GetECDsaPrivateKey();
        if (ecdsa is not null)
        {
            return ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = _certificate.GetRSAPrivateKey()!;
        return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (request is not IMessage message || SignatureField(message.Descriptor) is null)
        {
            return continuation(request, context);
        }

        var method = context.Method.FullName;
        if (!HubRetryPolicy.SignedRetriedMethods.Contains((context.Method.ServiceName, context.Method.Name)) || _maxAttempts <= 1)
        {
            return continuation(Sign(method, request), context);
        }

        // Retried here, each attempt signed anew.
        var current = continuation(Sign(method, request), context);
        var response = RetryAsync();
        return new AsyncUnaryCall<TResponse>(
            response,
            Task.Run(async () => await Volatile.Read(ref current).ResponseHeadersAsync.ConfigureAwait(false)),
            () => Volatile.Read(ref current).GetStatus(),
            () => Volatile.Read(ref current).GetTrailers(),
            () => Volatile.Read(ref current).Dispose());

        async Task<TResponse> RetryAsync()
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await current.ResponseAsync.ConfigureAwait(false);
                }
                catch (RpcException e) when (attempt < _maxAttempts
                    && e.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted
                    && context.Options.CancellationToken is { IsCancellationRequested: false })
                {
                    await Task.Delay(Backoff(e, attempt), context.Options.CancellationToken).ConfigureAwait(false);
                    current.Dispose();
                    Volatile.Write(ref current, continuation(Sign(method, request), context));
                }
            }
        }
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(Sign(context.Method.FullName, request), context);

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(context);
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            new SigningWriter<TRequest>(call.RequestStream, this, context.Method.FullName),
            call.ResponseAsync, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    /// <summary>The hub's pushback (grpc-retry-pushback-ms, as its RetryInfo says) when it sends one, else the channel's backoff (<see cref="HubRetryPolicy"/>).</summary>
    private static TimeSpan Backoff(RpcException e, int attempt) =>
        e.Trailers.GetValue("grpc-retry-pushback-ms") is { } pushback && int.TryParse(pushback, out var ms) && ms >= 0
            ? TimeSpan.FromMilliseconds(ms)
            : TimeSpan.FromMilliseconds(Math.Min(
                HubRetryPolicy.MaxBackoff.TotalMilliseconds,
                HubRetryPolicy.InitialBackoff.TotalMilliseconds * Math.Pow(HubRetryPolicy.BackoffMultiplier, attempt - 1)));

    private sealed class SigningWriter<T>(IClientStreamWriter<T> inner, RequestSigner signer, string method) : IClientStreamWriter<T>
        where T : class
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task CompleteAsync() => inner.CompleteAsync();

        public Task WriteAsync(T message) => inner.WriteAsync(signer.Sign(method, message));
    }
}
