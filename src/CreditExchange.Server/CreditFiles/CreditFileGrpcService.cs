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

    private const int DefaultPageSize = 100;

    /// <summary>The entries of one page stop before they would pass this size (the contract says 1 MiB).</summary>
    internal const int MaxAnswerBytes = 1 << 20;

    public override async Task<GetCreditFileResponse> GetCreditFile(GetCreditFileRequest request, ServerCallContext context)
    {
        var agency = call.Agency;
        var subject = RecordSubjects.Normalize(request.Subject);
        var key = call.StoredKey(subject);
        var ct = context.CancellationToken;
        var after = PageTokens.Decode(request, NormalizeSubject);
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;

        // The whole file's index (ordering, standing, role; no content) for the counts, then only the page read whole.
        var (about, naming) = await store.CreditFileIndexAsync(key, agency, subject.KeyCase == SubjectKey.KeyOneofCase.ResidentId, MaxEntries, ct);
        // The records about the subject come newest first and at most MaxEntries from the store, as the index is kept;
        // those naming it (few) merge in, a record both about and naming it once, as about it.
        var index = naming.Count == 0
            ? about
            : about.Concat(SubjectRows.NamingOnly(naming, about, r => r.Id))
                .OrderByDescending(e => e.DecisionDate)
                .ThenByDescending(e => e.Sequence)
                .Take(MaxEntries)
                .ToList();
        var today = call.Today;
        var page = index
            .Where(e => after is not var (day, sequence) || e.DecisionDate < day || (e.DecisionDate == day && e.Sequence < sequence))
            .Take(pageSize + 1)
            .ToList();
        var shown = page.Take(pageSize).ToList();
        var ids = shown.Select(e => e.Id).ToList();

        // Five set-based reads for the page, not five per record.
        var records = await store.FindManyAsync(ids, ct);
        var versions = (await lifecycle.VersionsAsync(ids, ct)).ToLookup(v => v.RecordId);
        var objections = (await lifecycle.ObjectionsAsync(ids, ct)).ToLookup(o => o.RecordId);
        var repairs = (await lifecycle.RepairsAsync(ids, ct)).ToLookup(r => r.RecordId);
        var complaints = (await lifecycle.ComplaintsAsync(ids, ct)).ToLookup(c => c.RecordId);

        var file = new CreditFile { Subject = subject, AsOfDate = RecordMapping.Date(today), TotalEntries = index.Count };
        var entries = shown.Where(e => records.ContainsKey(e.Id)).Select(e => (Index: e, Entry: new CreditFileEntry
        {
            Record = RecordMapping.ToProto(records[e.Id], protector, today),
            Versions = { versions[e.Id].Select(v => LifecycleMapping.ToProto(v, protector)) },
            Objections = { objections[e.Id].Select(o => LifecycleMapping.ToProto(o, today, protector, limits)) },
            Repairs = { repairs[e.Id].Select(r => LifecycleMapping.ToProto(r, today, protector, limits)) },
            ResponsibleRole = (ResponsibleRole)(e.Role ?? 0),
            Complaints = { complaints[e.Id].Select(c => LifecycleMapping.ToProto(c, today, protector, limits)) },
        }));
        var kept = WithinAnswerSize(entries);
        file.Entries.AddRange(kept.Select(k => k.Entry));
        var inForce = index.Where(e => RecordStanding.Of(e.Standing(), today).InForce).ToList();
        file.InForceCount = inForce.Count(e => e.Role is null);
        file.ResponsibleInForceCount = inForce.Count(e => e.Role is not null);
        var response = new GetCreditFileResponse { CreditFile = file };
        if (page.Count > pageSize || kept.Count < shown.Count)
        {
            var last = kept.Count > 0 ? kept[^1].Index : shown[^1];
            response.NextPageToken = PageTokens.Encode(request, last.DecisionDate, last.Sequence, NormalizeSubject);
        }

        return response;
    }

    /// <summary>
    /// The page's entries up to <see cref="MaxAnswerBytes"/> (at least one): a record's facts alone may hold 8,000
    /// characters, so 500 entries could make an answer of tens of megabytes, past any client's receive limit and a
    /// bounded share of the hub's memory.
    /// </summary>
    private static List<(T Index, CreditFileEntry Entry)> WithinAnswerSize<T>(IEnumerable<(T Index, CreditFileEntry Entry)> entries)
    {
        var kept = new List<(T, CreditFileEntry)>();
        var bytes = 0;
        foreach (var (index, entry) in entries)
        {
            var size = entry.CalculateSize();
            if (kept.Count > 0 && bytes + size > MaxAnswerBytes)
            {
                break;
            }

            kept.Add((index, entry));
            bytes += size;
        }

        return kept;
    }

    /// <summary>A page token binds the subject as normalized (a resident ID's check character in either case is the same subject).</summary>
    private static void NormalizeSubject(GetCreditFileRequest request) => request.Subject = RecordSubjects.Normalize(request.Subject);
}
