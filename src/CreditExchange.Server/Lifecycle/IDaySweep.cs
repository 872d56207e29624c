namespace CreditExchange.Server.Lifecycle;

/// <summary>
/// Another list's ends of the day, recorded by the expiry sweep in its turn (soon after each Beijing midnight and every
/// interval between), on the domain clock: e.g. the bidding blacklist's exits. Registered scoped; each sweep runs in a
/// scope of its own and answers how many changes it wrote. Writing each change once when several hubs sweep together is
/// the implementation's duty.
/// </summary>
public interface IDaySweep
{
    Task<int> SweepAsync(CancellationToken ct);
}
