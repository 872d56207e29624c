using Grpc.Core;

namespace CreditExchange.Server.Pipeline;

/// <summary>
/// The call context a handler gets from the pipeline: the call's own, except that its cancellation token also ends
/// when the hub closes the call (its agency suspended, its certificate revoked). Everything else is the call's.
/// </summary>
internal sealed class ClosableCallContext : ServerCallContext
{
    // grpc-dotnet's GetHttpContext() finds the HTTP context of a wrapped call context under this key.
    private const string HttpContextKey = "__HttpContext";

    private readonly ServerCallContext _inner;
    private readonly CancellationToken _token;

    public ClosableCallContext(ServerCallContext inner, HttpContext http, CancellationToken token)
    {
        _inner = inner;
        _token = token;
        inner.UserState[HttpContextKey] = http;
    }

    protected override string MethodCore => _inner.Method;

    protected override string HostCore => _inner.Host;

    protected override string PeerCore => _inner.Peer;

    protected override DateTime DeadlineCore => _inner.Deadline;

    protected override Metadata RequestHeadersCore => _inner.RequestHeaders;

    protected override CancellationToken CancellationTokenCore => _token;

    protected override Metadata ResponseTrailersCore => _inner.ResponseTrailers;

    protected override Status StatusCore
    {
        get => _inner.Status;
        set => _inner.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => _inner.WriteOptions;
        set => _inner.WriteOptions = value;
    }

    protected override AuthContext AuthContextCore => _inner.AuthContext;

    protected override IDictionary<object, object> UserStateCore => _inner.UserState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => _inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => _inner.WriteResponseHeadersAsync(responseHeaders);
}
