using System.ComponentModel;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Limits;
using CreditExchange.Storage;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Admin;

/// <summary>Settings of agency governance, section "Hub:Governance".</summary>
public sealed class GovernanceOptions
{
    public const string Section = "Hub:Governance";

    [Description("How often each instance checks the agency table for changes (one cheap query).")]
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan RegistryPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// Keeps this instance's in-memory agency registry in step with the shared agency table: every
/// <see cref="GovernanceOptions.RegistryPollInterval"/> it reads the table's fingerprint (row count
/// and sum of revisions) and reloads when it changed; then it closes the open calls of agencies now
/// suspended. An admin change on this instance refreshes at once; on the others within one poll.
/// (Portable over SQLite and PostgreSQL; LISTEN/NOTIFY could shorten the delay further.) The same
/// loop re-reads the CRL file when it changes, so a new CRL reaches every instance without a call.
/// </summary>
public sealed class AgencyRegistryPoller(
    IServiceScopeFactory scopes,
    AgencyRegistry registry,
    ActiveCalls active,
    Transport.TlsMaterial tls,
    IOptions<GovernanceOptions> options,
    ILogger<AgencyRegistryPoller> logger) : BackgroundService
{
    private readonly Database.LoopFailures _failures = new(logger, "Agency registry poll");

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (int, long)? _seen;
    private DateTime? _crlWritten;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Polling is infrastructure: the wall clock, never a simulated domain clock.
        using var timer = new PeriodicTimer(options.Value.RegistryPollInterval, TimeProvider.System);
        _crlWritten = CrlWrittenAt();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                ReloadRevocationListIfChanged();
                await RefreshAsync(force: false, stoppingToken);
                _failures.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _failures.Failed(e);
            }
        }
    }

    /// <summary>Reloads when the table changed (or always, when <paramref name="force"/>), then closes suspended agencies' calls.</summary>
    public async Task RefreshAsync(bool force, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var fingerprint = await scope.ServiceProvider.GetRequiredService<AgencyAdminStore>().FingerprintAsync(ct);
            if (!force && _seen == fingerprint)
            {
                return;
            }

            await registry.ReloadAsync(ct);
            _seen = fingerprint;
            foreach (var agency in registry.All.Where(a => a.Suspended))
            {
                var closed = active.CloseAll(agency.Id);
                if (closed > 0)
                {
                    Log.SuspendedCallsClosed(logger, agency.Id, closed);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void ReloadRevocationListIfChanged()
    {
        var written = CrlWrittenAt();
        if (written is not null && written != _crlWritten)
        {
            // A CRL that does not load leaves the previous one in force and is tried again next poll.
            tls.ReloadRevocationList();
            _crlWritten = written;
        }
    }

    private DateTime? CrlWrittenAt() =>
        tls.RevocationListPath is { } path && File.Exists(path) ? File.GetLastWriteTimeUtc(path) : null;

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
