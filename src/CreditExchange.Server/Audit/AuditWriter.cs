using CreditExchange.Server.Grpc;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Telemetry;
using CreditExchange.Storage.Entities;
using Grpc.Core;

namespace CreditExchange.Server.Audit;

/// <summary>Builds an audit entry of a call, marks it with the hub's MAC and hands it to the group commit (committed on return).</summary>
public sealed class AuditWriter(AuditCommitter committer, PersonalDataProtector protector, TimeProvider time, HubMetrics metrics)
{
    private const string AuditedKey = "creditexchange.audited";

    public static void MarkAudited(HttpContext http) => http.Items[AuditedKey] = true;

    public static bool IsAudited(HttpContext http) => http.Items.ContainsKey(AuditedKey);

    public async Task WriteAsync(HttpContext http, string method, AuditFacts? facts, StatusCode code, string? reason)
    {
        var call = http.RequestServices.GetRequiredService<CallContext>().Bind(http);
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
            Mac = [],
        };
        entry.Mac = protector.AuditMac(AuditChain.Canonical(entry, facts?.Purpose));

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // The rows the call handed over stand only if it succeeded; a failed call's entry commits alone.
        await committer.CommitAsync(entry, code == StatusCode.OK ? call.RowsForAudit : []);
        metrics.AuditWritten(System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }
}
