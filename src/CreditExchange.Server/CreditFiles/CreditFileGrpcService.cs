using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Grpc.Core;
using RecordStanding = CreditExchange.Domain.Records.RecordStanding;
using ResponsibleRole = CreditExchange.Contracts.Records.V1.ResponsibleRole;

namespace CreditExchange.Server.CreditFiles;

/// <summary>
/// Thin gRPC surface of credit files (信用档案): a subject's whole history, as far as the caller may
/// see it: the records about the subject and, for a civil servant, the records naming them as a
/// responsible person (by the keyed hash of their resident ID), with the role.
/// </summary>
public sealed class CreditFileGrpcService(RecordStore store, LifecycleStore lifecycle, Domain.Lifecycle.TimeLimits limits, PersonalDataProtector protector, CallContext call) : CreditFileService.CreditFileServiceBase
{
    /// <summary>More records than any real subject has; a bound, so one call cannot read the whole table.</summary>
    internal const int MaxEntries = 10_000;

    public override async Task<GetCreditFileResponse> GetCreditFile(GetCreditFileRequest request, ServerCallContext context)
    {
        var agency = call.Agency;
        var subject = RecordSubjects.Normalize(request.Subject);
        var key = call.StoredKey(subject);
        var ct = context.CancellationToken;
        var about = await store.ListBySubjectAsync(
            new SubjectQuery(key, agency, [], [], null, null, null, MaxEntries),
            ct);
        var naming = subject.KeyCase == SubjectKey.KeyOneofCase.ResidentId
            ? await store.ListNamingAsync(key, agency, MaxEntries, ct)
            : [];
        var aboutIds = about.Select(r => r.Id).ToHashSet();
        var entries = about.Select(r => (Record: r, Role: ResponsibleRole.Unspecified))
            .Concat(naming.Where(r => !aboutIds.Contains(r.Id)).Select(r => (Record: r, Role: RoleOf(r, key))))
            .OrderByDescending(e => e.Record.DecisionDate)
            .ThenByDescending(e => e.Record.Sequence)
            .Take(MaxEntries)
            .ToList();
        var ids = entries.Select(e => e.Record.Id).ToList();

        // Four set-based reads for the whole file, not four per record.
        var versions = (await lifecycle.VersionsAsync(ids, ct)).ToLookup(v => v.RecordId);
        var objections = (await lifecycle.ObjectionsAsync(ids, ct)).ToLookup(o => o.RecordId);
        var repairs = (await lifecycle.RepairsAsync(ids, ct)).ToLookup(r => r.RecordId);
        var complaints = (await lifecycle.ComplaintsAsync(ids, ct)).ToLookup(c => c.RecordId);
        var today = call.Today;

        var file = new CreditFile { Subject = subject, AsOfDate = RecordMapping.Date(today) };
        file.Entries.AddRange(entries.Select(e => new CreditFileEntry
        {
            Record = RecordMapping.ToProto(e.Record, protector, today),
            Versions = { versions[e.Record.Id].Select(v => LifecycleMapping.ToProto(v, protector)) },
            Objections = { objections[e.Record.Id].Select(o => LifecycleMapping.ToProto(o, today, protector, limits)) },
            Repairs = { repairs[e.Record.Id].Select(r => LifecycleMapping.ToProto(r, today, protector, limits)) },
            ResponsibleRole = e.Role,
            Complaints = { complaints[e.Record.Id].Select(c => LifecycleMapping.ToProto(c, today, protector, limits)) },
        }));
        var inForce = entries.Where(e => RecordStanding.Of(e.Record.Standing(), today).InForce).ToList();
        file.InForceCount = inForce.Count(e => e.Role == ResponsibleRole.Unspecified);
        file.ResponsibleInForceCount = inForce.Count(e => e.Role != ResponsibleRole.Unspecified);
        return new GetCreditFileResponse { CreditFile = file };
    }

    /// <summary>The role in which the record names the person (the first, when named twice).</summary>
    private static ResponsibleRole RoleOf(RecordEntity record, string personKey) =>
        (ResponsibleRole)record.Persons.Where(p => p.PersonKey == personKey).Min(p => p.Role);
}
