using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Grpc;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using CreditExchange.Server.Tokens;
using CreditExchange.Storage;
using Grpc.Core;

namespace CreditExchange.Server.CreditFiles;

/// <summary>Thin gRPC surface of credit files (信用档案): a subject's whole history, as far as the caller may see it.</summary>
public sealed class CreditFileGrpcService(RecordStore store, LifecycleStore lifecycle, PersonalDataProtector protector, CallContext call, TimeProvider time) : CreditFileService.CreditFileServiceBase
{
    /// <summary>More records than any real subject has; a bound, so one call cannot read the whole table.</summary>
    internal const int MaxEntries = 10_000;

    [RequiresScope(Scopes.RecordsRead)]
    public override async Task<GetCreditFileResponse> GetCreditFile(GetCreditFileRequest request, ServerCallContext context)
    {
        var agency = CallerInterceptor.Caller(context);
        var subject = RecordSubjects.Normalize(request.Subject);
        var key = call.StoredKey(subject);
        var ct = context.CancellationToken;
        var visible = await store.ListBySubjectAsync(
            new SubjectQuery(key, agency.MayQuery ? null : agency.Id, [], [], null, null, null, MaxEntries, SharedFor: agency.MayQuery ? agency.Id : null),
            ct);
        var ids = visible.Select(r => r.Id).ToList();

        // Three set-based reads for the whole file, not three per record.
        var versions = (await lifecycle.VersionsAsync(ids, ct)).ToLookup(v => v.RecordId);
        var objections = (await lifecycle.ObjectionsAsync(ids, ct)).ToLookup(o => o.RecordId);
        var repairs = (await lifecycle.RepairsAsync(ids, ct)).ToLookup(r => r.RecordId);
        var today = ChinaCalendar.Today(time);

        var file = new CreditFile { Subject = subject, AsOfDate = RecordMapping.Date(today) };
        file.Entries.AddRange(visible.Select(r => new CreditFileEntry
        {
            Record = RecordMapping.ToProto(r, protector, today),
            Versions = { versions[r.Id].Select(v => LifecycleMapping.ToProto(v, protector)) },
            Objections = { objections[r.Id].Select(o => LifecycleMapping.ToProto(o, today, protector)) },
            Repairs = { repairs[r.Id].Select(r => LifecycleMapping.ToProto(r, protector)) },
        }));
        file.InForceCount = visible.Count(r => RecordStanding.Of(r.Standing(), today).InForce);
        return new GetCreditFileResponse { CreditFile = file };
    }
}
