using CreditExchange.Server.Calls;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Telemetry;
using CreditExchange.Storage.Entities;
using Grpc.Core;

namespace CreditExchange.Server.Audit;

/// <summary>Builds the audit entry of a call, marked with the hub's MAC, and hands it to the group commit.</summary>
public sealed class AuditWriter(AuditCommitter committer, PersonalDataProtector protector, TimeProvider time, HubMetrics metrics)
{
    /// <summary>The entry stating that the call (who, which method) ended with <paramref name="code"/>, with <paramref name="facts"/>.</summary>
    public AuditEntryEntity Entry(CallContext call, string method, AuditFacts? facts, StatusCode code, string? reason)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var entry = new AuditEntryEntity
        {
            // Whole microseconds: what PostgreSQL keeps, so the MAC and hash verify after a round trip.
            At = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc),
            AgencyId = call.NamedAgency?.Id,
            CertificateSubject = call.Certificate?.Subject,
            CertificateThumbprint = call.Thumbprint,
            Method = method.Length > 200 ? method[..200] : method,
            SubjectHashes = facts?.SubjectHashes ?? "",
            Purpose = protector.SealText(facts?.Purpose),
            StatusCode = (int)code,
            Reason = reason is { Length: > 100 } ? reason[..100] : reason,
            RecordIds = facts?.RecordIds ?? "",
            Nonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16),
            Mac = [],
            // Only what an agency actually received: a refused call delivered nothing.
            Deliveries = code == StatusCode.OK && call.NamedAgency is not null && facts is not null ? facts.Deliveries : [],
        };
        entry.Mac = protector.AuditMac(AuditChain.Canonical(entry, facts?.Purpose));
        return entry;
    }

    /// <summary>Writes the call's entry with its final status (committed on return) and marks the call audited.</summary>
    public async Task WriteAsync(CallContext call, string method, AuditFacts? facts, StatusCode code, string? reason)
    {
        await CommitAsync(Entry(call, method, facts, code, reason), []);
        call.MarkAuditWritten();
    }

    /// <summary>Commits an entry, and rows of its call (inserts only), in the next group; throws what the commit threw.</summary>
    public async Task CommitAsync(AuditEntryEntity entry, IReadOnlyList<object> rows)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await committer.CommitAsync(entry, rows);
        metrics.AuditWritten(System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }
}
