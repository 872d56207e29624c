using System.Security.Cryptography.X509Certificates;
using CreditExchange.Contracts.Admin.V1;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Evidence.V1;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Publication.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Statistics.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace CreditExchange.Client;

/// <summary>
/// One agency's connection to the hub: a channel over mutual TLS (the agency's certificate, the
/// hub's CA pinned), a token source sharing one certificate-bound token across calls, default
/// deadlines, retries of idempotent calls and typed errors; and a client for every service.
/// Create one per agency certificate and keep it for the life of the application.
/// </summary>
public sealed class CreditExchangeClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly SocketsHttpHandler _handler;
    private readonly SocketsHttpHandler _tokenHandler;
    private readonly CreditExchangeClientOptions _options;
    private IReadOnlyList<ReceiptKey>? _receiptKeys;

    private CreditExchangeClient(CreditExchangeClientOptions options)
    {
        options.Validate();
        _options = options;
        var certificate = options.ClientCertificate is { } given
            ? HubTls.UsableForTls(given)
            : HubTls.LoadClientCertificate(options.CertificatePath!, options.KeyPath!);
        var ca = options.HubCa ?? HubTls.LoadCa(options.HubCaPath!);
        // Two handlers on one certificate: GrpcChannel takes over the connect callback of the handler it is given.
        _handler = HubTls.CreateHandler(certificate, ca, options.KeepAlivePingDelay, options.KeepAlivePingTimeout);
        _tokenHandler = HubTls.CreateHandler(certificate, ca);
        Tokens = new TokenSource(_tokenHandler, options.Address!, options.AgencyId!, options.Scopes);
        _channel = GrpcChannel.ForAddress(options.Address!, ChannelOptions(_handler, Tokens, options));
        // The signer sits inside the refusal translation: it signs (and retries) each attempt.
        CallInvoker = _channel
            .Intercept(new RequestSigner(certificate, options.AgencyId!, options.MaxAttempts))
            .Intercept(new HubCallInterceptor(options.DefaultDeadline, Tokens));
        Records = new RecordService.RecordServiceClient(CallInvoker);
        Lifecycle = new LifecycleService.LifecycleServiceClient(CallInvoker);
        Appraisal = new AppraisalService.AppraisalServiceClient(CallInvoker);
        CreditFiles = new CreditFileService.CreditFileServiceClient(CallInvoker);
        Statistics = new StatisticsService.StatisticsServiceClient(CallInvoker);
        Audit = new AuditService.AuditServiceClient(CallInvoker);
        Admin = new AdminService.AdminServiceClient(CallInvoker);
        Receipts = new ReceiptService.ReceiptServiceClient(CallInvoker);
        Feed = new FeedService.FeedServiceClient(CallInvoker);
        Publication = new PublicationService.PublicationServiceClient(CallInvoker);
        Evidence = new EvidenceService.EvidenceServiceClient(CallInvoker);
    }

    /// <summary>The call invoker every client here uses (channel, deadlines, typed errors).</summary>
    public CallInvoker CallInvoker { get; }

    /// <summary>The agency's access tokens.</summary>
    public TokenSource Tokens { get; }

    public RecordService.RecordServiceClient Records { get; }

    public LifecycleService.LifecycleServiceClient Lifecycle { get; }

    public AppraisalService.AppraisalServiceClient Appraisal { get; }

    public CreditFileService.CreditFileServiceClient CreditFiles { get; }

    public StatisticsService.StatisticsServiceClient Statistics { get; }

    public AuditService.AuditServiceClient Audit { get; }

    public AdminService.AdminServiceClient Admin { get; }

    public ReceiptService.ReceiptServiceClient Receipts { get; }

    public FeedService.FeedServiceClient Feed { get; }

    public PublicationService.PublicationServiceClient Publication { get; }

    /// <summary>Evidence bundles of records; verify them offline with <see cref="CreditExchange.Receipts.EvidenceVerifier"/>.</summary>
    public EvidenceService.EvidenceServiceClient Evidence { get; }

    /// <summary>Connects as configured.</summary>
    public static CreditExchangeClient Create(CreditExchangeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CreditExchangeClient(options);
    }

    /// <summary>Connects with the agency's PEM certificate and key and the hub's PEM CA certificate.</summary>
    public static CreditExchangeClient Create(Uri address, string agencyId, string certificatePath, string keyPath, string hubCaPath)
    {
        var options = new CreditExchangeClientOptions
        {
            Address = address,
            AgencyId = agencyId,
            CertificatePath = certificatePath,
            KeyPath = keyPath,
            HubCaPath = hubCaPath,
        };
        return new CreditExchangeClient(options);
    }

    /// <summary>Connects with the agency's certificate (with its key) and the hub's CA certificate.</summary>
    public static CreditExchangeClient Create(Uri address, string agencyId, X509Certificate2 clientCertificate, X509Certificate2 hubCa) =>
        new(new CreditExchangeClientOptions { Address = address, AgencyId = agencyId, ClientCertificate = clientCertificate, HubCa = hubCa });

    /// <summary>
    /// Submits any number of records through SubmitRecords streams of at most
    /// <see cref="CreditExchangeClientOptions.MaxBatchItems"/> items and <see cref="CreditExchangeClientOptions.MaxBatchBytes"/>
    /// bytes each, one stream after another. Answers one result per item, in the order given, with
    /// <c>Index</c> counted over the whole input. Safe to call again after a failure: items already
    /// accepted answer as duplicates.
    /// </summary>
    public async Task<IReadOnlyList<SubmitRecordsResult>> SubmitBatchAsync(IEnumerable<SubmitRecordRequest> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new List<SubmitRecordsResult>();
        foreach (var batch in Batches.Split(items, _options.MaxBatchItems, _options.MaxBatchBytes))
        {
            using var call = Records.SubmitRecords(cancellationToken: cancellationToken);
            foreach (var item in batch)
            {
                await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = item }, cancellationToken).ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            var response = await call.ResponseAsync.ConfigureAwait(false);
            var offset = results.Count;
            foreach (var result in response.Results)
            {
                result.Index += offset;
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>
    /// A follower of the joint-punishment feed: give the first stream's request (filters, a named
    /// <c>subscription</c>, a start) and run it with a handler; it reconnects, resumes, refreshes the
    /// token and acknowledges by itself (see <see cref="FeedFollower"/>).
    /// </summary>
    public FeedFollower FollowFeed(SubscribeRequest request, FeedFollowerOptions? options = null) => new(Feed, request, options, Tokens);

    /// <summary>
    /// Verifies a receipt against the hub's published keys (fetched once, and again when the
    /// receipt names a key not yet seen) and, when <paramref name="content"/> is given, that it
    /// covers exactly that content. Answers the signed payload.
    /// </summary>
    /// <exception cref="ReceiptVerificationException">The signature does not verify, or the receipt is for other content.</exception>
    public async Task<ReceiptPayload> VerifyReceiptAsync(Receipt receipt, RecordContent? content = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        if (_receiptKeys is null || _receiptKeys.All(k => k.KeyId != receipt.KeyId))
        {
            _receiptKeys = (await Receipts.GetReceiptKeysAsync(new GetReceiptKeysRequest(), cancellationToken: cancellationToken).ConfigureAwait(false)).Keys;
        }

        var payload = global::CreditExchange.Receipts.ReceiptVerifier.Verify(receipt, _receiptKeys)
            ?? throw new ReceiptVerificationException("The receipt's signature does not verify under the hub's published keys.");
        if (content is not null && !global::CreditExchange.Receipts.ReceiptVerifier.Covers(payload, content))
        {
            throw new ReceiptVerificationException("The receipt is for other content than the record given.");
        }

        return payload;
    }

    internal static GrpcChannelOptions ChannelOptions(HttpMessageHandler handler, TokenSource tokens, CreditExchangeClientOptions options) => new()
    {
        HttpHandler = handler,
        DisposeHttpClient = false,
        Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, BearerToken(tokens)),
        ServiceConfig = HubRetryPolicy.ServiceConfig(options.MaxAttempts),
        MaxRetryBufferPerCallSize = 16 * 1024 * 1024,
        MaxReceiveMessageSize = options.MaxReceiveMessageBytes,
    };

    /// <summary>Call credentials that send the source's current token on every attempt.</summary>
    public static CallCredentials BearerToken(TokenSource tokens) =>
        CallCredentials.FromInterceptor(async (context, metadata) =>
            metadata.Add("authorization", "Bearer " + await tokens.GetTokenAsync(context.CancellationToken).ConfigureAwait(false)));

    public void Dispose()
    {
        _channel.Dispose();
        Tokens.Dispose();
        _handler.Dispose();
        _tokenHandler.Dispose();
    }
}

/// <summary>A receipt failed verification.</summary>
public sealed class ReceiptVerificationException : Exception
{
    public ReceiptVerificationException()
    {
    }

    public ReceiptVerificationException(string message)
        : base(message)
    {
    }

    public ReceiptVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
