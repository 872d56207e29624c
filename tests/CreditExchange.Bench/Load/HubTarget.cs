using System.Collections.Concurrent;
using System.Diagnostics;
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
    /// <summary>A token this old is renewed in the background (the hub issues them for 10 minutes).</summary>
    private static readonly TimeSpan TokenRenewal = TimeSpan.FromMinutes(4);

    /// <summary>A token this old is no longer sent: calls wait for its renewal.</summary>
    private static readonly TimeSpan TokenUsable = TimeSpan.FromMinutes(8);

    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new();
    private readonly ConcurrentDictionary<string, TokenSlot> _tokens = new();
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

    /// <summary>Drops the tokens held: the next call of each agency fetches a new one (after the hub started again).</summary>
    public void ForgetTokens() => _tokens.Clear();

    /// <summary>
    /// Renews, and waits for, every token held that is older than <paramref name="age"/>: before a scenario, so that no
    /// renewal falls into its window (one that still does, in a long scenario, runs in the background).
    /// </summary>
    public async Task FreshenTokensAsync(TimeSpan age)
    {
        foreach (var slot in _tokens.Values)
        {
            try
            {
                if (DateTimeOffset.UtcNow - (await slot.CurrentAsync()).At >= age)
                {
                    await slot.RenewalAsync();
                }
            }
            catch (Exception)
            {
                // The scenario's first call fetches again, and reports what fails.
            }
        }
    }

    /// <summary>
    /// Call headers with a valid bearer token of the agency (all its scopes). Only an agency's first call waits for a
    /// token: one older than the renewal age is renewed in the background while calls go on with it (a renewal is a new
    /// TLS connection to the token endpoint, seconds on saturated processors, and would stall every call of the agency
    /// inside a measured window); calls wait only for a token past <see cref="TokenUsable"/>, which a working renewal never leaves.
    /// </summary>
    public async Task<Metadata> HeadersAsync(string agencyId)
    {
        while (true)
        {
            var slot = _tokens.GetOrAdd(agencyId, id => new TokenSlot(() => FetchAsync(id)));
            var (bearer, at) = await slot.CurrentAsync();
            var age = DateTimeOffset.UtcNow - at;
            if (age >= TokenRenewal)
            {
                slot.RenewInBackground();
            }

            if (age < TokenUsable)
            {
                return new Metadata { { "authorization", bearer } };
            }

            await slot.RenewalAsync();
        }
    }

    /// <summary>One agency's token, and its renewal while one runs (single-flight). A failed fetch is retried by the next caller.</summary>
    private sealed class TokenSlot(Func<Task<(string Bearer, DateTimeOffset At)>> fetch)
    {
        private Task<(string Bearer, DateTimeOffset At)>? _current;
        private Task<(string Bearer, DateTimeOffset At)>? _renewing;

        /// <summary>The token held, fetched by the first caller (again after a failed fetch).</summary>
        public async Task<(string Bearer, DateTimeOffset At)> CurrentAsync()
        {
            Task<(string Bearer, DateTimeOffset At)> current;
            lock (this)
            {
                current = _current ??= fetch();
            }

            try
            {
                return await current;
            }
            catch (Exception)
            {
                lock (this)
                {
                    if (_current == current)
                    {
                        _current = null;
                    }
                }

                throw;
            }
        }

        public void RenewInBackground() => _ = Renewal();

        public async Task RenewalAsync()
        {
            try
            {
                await Renewal();
            }
            catch (Exception)
            {
                // The next caller renews again; it waits only while the token held is past use.
            }
        }

        private Task<(string Bearer, DateTimeOffset At)> Renewal()
        {
            lock (this)
            {
                if (_renewing is { } running)
                {
                    return running;
                }

                var renewing = fetch();
                _renewing = renewing;
                _ = renewing.ContinueWith(
                    t =>
                    {
                        lock (this)
                        {
                            if (t.IsCompletedSuccessfully)
                            {
                                _current = t;
                            }
                            else
                            {
                                _ = t.Exception; // observed: the next caller past the renewal age tries again
                            }

                            _renewing = null;
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                return renewing;
            }
        }
    }

    /// <summary>Told of every token fetched (agency, how long it took): the run's log shows when renewals happened.</summary>
    public Action<string>? Log { get; init; }

    private async Task<(string, DateTimeOffset)> FetchAsync(string agencyId)
    {
        var started = Stopwatch.StartNew();
        var (status, body) = await HubClient.RequestTokenAsync(Address, Certificate(agencyId), agencyId, ca: _ca);
        Log?.Invoke($"  token for {agencyId}: {status} in {started.Elapsed.TotalMilliseconds:N0} ms");
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
