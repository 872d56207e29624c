using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Limits;

/// <summary>One token bucket per partition (agency id, or certificate thumbprint), from <see cref="LimitOptions"/>.</summary>
public sealed class AgencyRateLimiter(IOptions<LimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        partition => RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.TokenLimit,
            TokensPerPeriod = options.Value.TokensPerPeriod,
            ReplenishmentPeriod = options.Value.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        }),
        StringComparer.Ordinal);

    public RateLimitLease Acquire(string partition) => _limiter.AttemptAcquire(partition);

    public void Dispose() => _limiter.Dispose();
}
