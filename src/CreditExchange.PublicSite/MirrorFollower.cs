using CreditExchange.Client;
using CreditExchange.Contracts.Publication.V1;
using Microsoft.Extensions.Options;

namespace CreditExchange.PublicSite;

/// <summary>
/// Follows PublicationService.ListPublicationChanges from the stored position with the drc certificate and its
/// certificate-bound token (the SDK obtains and renews it), applies each page to the mirror, and waits
/// <see cref="PublicSiteOptions.PollInterval"/> once caught up. Failures are logged and retried with backoff.
/// </summary>
public sealed partial class MirrorFollower(MirrorStore store, IOptions<PublicSiteOptions> options, ILogger<MirrorFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        CreditExchangeClient? hub = null;
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Made here, not once up front: until the hub has minted certs-dev/ (or the files are put in place) the
                // site serves what it has and keeps trying.
                hub ??= CreditExchangeClient.Create(new CreditExchangeClientOptions
                {
                    Address = settings.HubAddress,
                    AgencyId = settings.AgencyId,
                    CertificatePath = settings.CertificatePath,
                    KeyPath = settings.KeyPath,
                    HubCaPath = settings.HubCaPath,
                });
                var after = store.Position();
                var page = await hub.Publication.ListPublicationChangesAsync(
                    new ListPublicationChangesRequest { AfterSequence = after, PageSize = settings.PageSize }, cancellationToken: stoppingToken);
                if (page.NextAfterSequence != after || page.Changes.Count > 0)
                {
                    store.Apply(page.Changes, page.NextAfterSequence);
                    LogApplied(page.Changes.Count, after, page.NextAfterSequence);
                }

                backoff = TimeSpan.FromSeconds(1);
                if (page.CaughtUp)
                {
                    await Task.Delay(settings.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    hub?.Dispose();
                    hub = null; // read the certificate files again next time
                }

                LogFailed(e, backoff);
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }

        hub?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mirror: applied {Count} publication changes after {After}, now after {Next}")]
    private partial void LogApplied(int count, long after, long next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mirror: asking the hub for changes failed; trying again in {Delay}")]
    private partial void LogFailed(Exception exception, TimeSpan delay);
}
