using CreditExchange.Contracts.Admin.V1;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Publication.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Statistics.V1;
using CreditExchange.Contracts.Bidding.V1;
using CreditExchange.Contracts.Evaluation.V1;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CreditExchange.Client;

/// <summary>Grpc.Net.ClientFactory registration for ASP.NET Core and generic-host applications.</summary>
public static class ServiceCollectionExtensions
{
    private const string HandlerName = "CreditExchange.Hub";

    /// <summary>
    /// Registers every service client (RecordService.RecordServiceClient, …) for injection, sharing
    /// one mTLS handler and one <see cref="TokenSource"/>, with the SDK's deadlines, retry policy
    /// and typed errors. Also registers <see cref="CreditExchangeClient"/> itself.
    /// </summary>
    public static IServiceCollection AddCreditExchangeClient(this IServiceCollection services, Action<CreditExchangeClientOptions> configure)
    {
        services.AddOptions<CreditExchangeClientOptions>().Configure(configure);
        services.AddSingleton(sp => new SharedTransport(sp.GetRequiredService<IOptions<CreditExchangeClientOptions>>().Value));
        services.AddSingleton(sp => sp.GetRequiredService<SharedTransport>().Tokens);
        services.AddSingleton(sp => CreditExchangeClient.Create(sp.GetRequiredService<IOptions<CreditExchangeClientOptions>>().Value));
        Add<RecordService.RecordServiceClient>(services);
        Add<LifecycleService.LifecycleServiceClient>(services);
        Add<AppraisalService.AppraisalServiceClient>(services);
        Add<CreditFileService.CreditFileServiceClient>(services);
        Add<StatisticsService.StatisticsServiceClient>(services);
        Add<EvaluationService.EvaluationServiceClient>(services);
        Add<BiddingBlacklistService.BiddingBlacklistServiceClient>(services);
        Add<AuditService.AuditServiceClient>(services);
        Add<AdminService.AdminServiceClient>(services);
        Add<ReceiptService.ReceiptServiceClient>(services);
        Add<FeedService.FeedServiceClient>(services);
        Add<PublicationService.PublicationServiceClient>(services);
        return services;
    }

    private static void Add<TClient>(IServiceCollection services)
        where TClient : class
    {
        services.AddGrpcClient<TClient>((sp, o) => o.Address = sp.GetRequiredService<IOptions<CreditExchangeClientOptions>>().Value.Address)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<SharedTransport>().NewHandler())
            .ConfigureChannel((sp, channel) =>
            {
                var transport = sp.GetRequiredService<SharedTransport>();
                var configured = CreditExchangeClient.ChannelOptions(transport.Handler, transport.Tokens, transport.Options);
                channel.Credentials = configured.Credentials;
                channel.ServiceConfig = configured.ServiceConfig;
                channel.MaxRetryBufferPerCallSize = configured.MaxRetryBufferPerCallSize;
                channel.MaxReceiveMessageSize = configured.MaxReceiveMessageSize;
            })
            .AddInterceptor(InterceptorScope.Channel, sp =>
                new HubCallInterceptor(sp.GetRequiredService<SharedTransport>().Options.DefaultDeadline, sp.GetRequiredService<SharedTransport>().Tokens))
            // Run in the order added: the signer inside the refusal translation, signing (and retrying) each attempt.
            .AddInterceptor(InterceptorScope.Channel, sp => sp.GetRequiredService<SharedTransport>().Signer);
    }

    /// <summary>One mTLS handler and token source for every injected client.</summary>
    private sealed class SharedTransport : IDisposable
    {
        private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;
        private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _ca;

        public SharedTransport(CreditExchangeClientOptions options)
        {
            options.Validate();
            Options = options;
            var certificate = options.ClientCertificate is { } given
                ? HubTls.UsableForTls(given)
                : HubTls.LoadClientCertificate(options.CertificatePath!, options.KeyPath!);
            _certificate = certificate;
            _ca = options.HubCa ?? HubTls.LoadCa(options.HubCaPath!);
            Handler = HubTls.CreateHandler(_certificate, _ca);
            Tokens = new TokenSource(Handler, options.Address!, options.AgencyId!, options.Scopes);
            Signer = new RequestSigner(_certificate, options.AgencyId!, options.MaxAttempts);
        }

        /// <summary>Signs the agency's write requests with the certificate's key.</summary>
        public RequestSigner Signer { get; }

        public CreditExchangeClientOptions Options { get; }

        /// <summary>The token source's own handler.</summary>
        public SocketsHttpHandler Handler { get; }

        /// <summary>A handler for the factory, which rotates (and disposes) the handlers it is given.</summary>
        public SocketsHttpHandler NewHandler() => HubTls.CreateHandler(_certificate, _ca, Options.KeepAlivePingDelay, Options.KeepAlivePingTimeout);

        public TokenSource Tokens { get; }

        public void Dispose()
        {
            Tokens.Dispose();
            Handler.Dispose();
        }
    }
}
