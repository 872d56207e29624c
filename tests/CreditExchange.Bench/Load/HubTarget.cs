using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.DevCerts;
using CreditExchange.Tests.Hub;
using Grpc.Core;
using Grpc.Net.Client;

namespace CreditExchange.Bench.Load;

/// <summary>
/// The hub under load as its callers see it: an address, the certificate set its agencies hold (a development set:
/// <c>ca.crt</c>, <c>agencies/&lt;id&gt;.crt|key</c>), channels of one HTTP/2 connection each, and access tokens
/// per agency, renewed well before they expire.
/// </summary>
public sealed class HubTarget(Uri address, DevCertificateSet certificates) : IDisposable
{
    private static readonly TimeSpan TokenRenewal = TimeSpan.FromMinutes(4);

    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<(string Bearer, DateTimeOffset At)>>> _tokens = new();
    private readonly List<GrpcChannel> _channels = [];
    private readonly X509Certificate2 _ca = X509CertificateLoader.LoadCertificateFromFile(certificates.CaCertificate);

    public Uri Address { get; } = address;

    public X509Certificate2 Certificate(string agencyId) =>
        _certificates.GetOrAdd(agencyId, id => DevCertificateMinter.LoadWithKey(certificates.AgencyCertificate(id), certificates.AgencyKey(id)));

    /// <summary>A new channel (its own TCP + TLS connection) presenting the agency's certificate.</summary>
    public GrpcChannel Channel(string agencyId)
    {
        var handler = HubClient.Handler(Certificate(agencyId), _ca);
        handler.PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan;
        handler.EnableMultipleHttp2Connections = false;
        var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 64 * 1024 * 1024,
        });
        lock (_channels)
        {
            _channels.Add(channel);
        }

        return channel;
    }

    /// <summary>Call headers with a valid bearer token of the agency (all its scopes).</summary>
    /// <summary>Drops the tokens held: the next call of each agency fetches a new one (after the hub started again).</summary>
    public void ForgetTokens() => _tokens.Clear();

    public async Task<Metadata> HeadersAsync(string agencyId)
    {
        while (true)
        {
            var entry = _tokens.GetOrAdd(agencyId, id => new Lazy<Task<(string, DateTimeOffset)>>(() => FetchAsync(id)));
            try
            {
                var (bearer, at) = await entry.Value;
                if (DateTimeOffset.UtcNow - at < TokenRenewal)
                {
                    return new Metadata { { "authorization", bearer } };
                }
            }
            catch (Exception) when (entry.IsValueCreated)
            {
                // A failed fetch is retried by the next caller.
                _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<(string, DateTimeOffset)>>>(agencyId, entry));
                throw;
            }

            _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<(string, DateTimeOffset)>>>(agencyId, entry));
        }
    }

    private async Task<(string, DateTimeOffset)> FetchAsync(string agencyId)
    {
        var (status, body) = await HubClient.RequestTokenAsync(Address, Certificate(agencyId), agencyId, ca: _ca);
        using (body)
        {
            return status == HttpStatusCode.OK
                ? ("Bearer " + body.RootElement.GetProperty("access_token").GetString(), DateTimeOffset.UtcNow)
                : throw new InvalidOperationException($"No token for {agencyId}: {status} {body.RootElement}");
        }
    }

    public void Dispose()
    {
        lock (_channels)
        {
            foreach (var channel in _channels)
            {
                channel.Dispose();
            }

            _channels.Clear();
        }
    }
}
