using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CreditExchange.Contracts.Bidding.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Bidding;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Server.Limits;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using BiddingDomain = CreditExchange.Domain.Bidding.BiddingDomain;
using EntryState = CreditExchange.Domain.Bidding.EntryState;
using MarketRole = CreditExchange.Domain.Bidding.MarketRole;

namespace CreditExchange.Server.Bidding;

/// <summary>
/// The bidding blacklist's operations: listing by the competent department, removal, objections and their answers, the
/// exit on its day, publication. Each change is written with its feed event and the call's audit entry (BlacklistStore).
/// </summary>
public sealed class BlacklistEntries(
    BlacklistStore store, CallContext call, PersonalDataProtector protector, IOptions<LifecycleOptions> lifecycle, BackgroundPacing pacing) : IDaySweep
{
    private const int DefaultPageSize = 50;
    private const int SweepBatch = 500;

    public async Task<(Entry Entry, bool Duplicate)> SubmitAsync(SubmitEntryRequest request, CancellationToken ct)
    {
        var content = request.Entry;
        var domain = (BiddingDomain)content.Domain;
        BiddingSupervision.EnsureMayList(call.Agency.Id, domain);
        var hash = SHA256.HashData(content.ToByteArray());
        if (await store.FindBySourceAsync(call.Agency.Id, request.SourceEntryId, ct) is { } existing)
        {
            return (Answer(existing, hash, request.SourceEntryId), true);
        }

        var subject = content.Subject;
        var row = new BlacklistEntryEntity
        {
            Id = Guid.NewGuid(),
            AgencyId = call.Agency.Id,
            SourceEntryId = request.SourceEntryId,
            Role = (int)subject.Role,
            CreditCode = subject.CreditCode,
            Name = subject.Name,
            LegalRepresentative = subject.LegalRepresentative.Length == 0 ? null : protector.SealText(subject.LegalRepresentative),
            Domain = (int)content.Domain,
            DecisionNumber = content.DecisionNumber,
            Ground = protector.SealText(content.Ground)!,
            LegalBasis = content.LegalBasis,
            EntryDate = Day(content.EntryDate),
            ExitDate = Day(content.ExitDate),
            ContentHash = hash,
            ListedAt = call.Now,
        };
        var (stored, added) = await store.AddAsync(row, RecordChange.Submitted, protector.SealText("listed")!, ct);
        return added ? (BlacklistMapping.ToProto(stored, protector, call.Today), false) : (Answer(stored, hash, request.SourceEntryId), true);
    }

    public async Task<Entry> GetAsync(string entryId, CancellationToken ct)
    {
        var row = await store.FindAsync(Guid.Parse(entryId), ct);
        if (row is null || !(row.AgencyId == call.Agency.Id || call.Agency.MayQuery))
        {
            throw NotFound(entryId);
        }

        return BlacklistMapping.ToProto(row, protector, call.Today);
    }

    /// <summary>Removes an entry in force before its exit date (the deciding department only); the feed lifts it.</summary>
    public Task<Entry> RemoveAsync(RemoveEntryRequest request, CancellationToken ct) =>
        ChangeAsync(request.EntryId, request.ExpectedVersion, decidingOnly: true, row =>
        {
            row.Removed = true;
            row.RemovalReason = protector.SealText(request.Reason);
            row.ObjectionOpen = false;
            return (RecordChange.Revoked, request.Reason);
        }, ct);

    /// <summary>An objection on behalf of the listed subject (a subject representative); the entry stays in force meanwhile.</summary>
    public Task<Entry> FileObjectionAsync(FileEntryObjectionRequest request, CancellationToken ct)
    {
        if (!lifecycle.Value.EffectiveSubjectRepresentatives.Contains(call.Agency.Id))
        {
            throw new DomainException(
                ErrorKind.PermissionDenied,
                ErrorReason.NotSubjectRepresentative,
                $"Agency '{call.Agency.Id}' does not file objections on behalf of listed subjects; {string.Join(", ", lifecycle.Value.EffectiveSubjectRepresentatives.Order())} does.");
        }

        return ChangeAsync(request.EntryId, request.ExpectedVersion, decidingOnly: false, row =>
        {
            if (row.ObjectionOpen)
            {
                throw ObjectionState(request.EntryId, "an objection to it is already open");
            }

            row.ObjectionOpen = true;
            return (RecordChange.ObjectionFiled, request.Grounds);
        }, ct);
    }

    /// <summary>The deciding department answers the open objection: upheld removes the entry (LIFT), dismissed leaves it.</summary>
    public Task<Entry> AnswerObjectionAsync(AnswerEntryObjectionRequest request, CancellationToken ct) =>
        ChangeAsync(request.EntryId, request.ExpectedVersion, decidingOnly: true, row =>
        {
            if (!row.ObjectionOpen)
            {
                throw ObjectionState(request.EntryId, "no objection to it is open");
            }

            row.ObjectionOpen = false;
            if (!request.Upheld)
            {
                return (RecordChange.ObjectionAnswered, request.Answer);
            }

            row.Removed = true;
            row.RemovalReason = protector.SealText("objection upheld: " + request.Answer);
            return (RecordChange.Revoked, request.Answer);
        }, ct);

    /// <summary>The published list: entries in force today, newest entry date first, masked; tendering agencies with their profile.</summary>
    public async Task<ListPublishedEntriesResponse> PublishedAsync(ListPublishedEntriesRequest request, CancellationToken ct)
    {
        var after = PageTokens.Decode(request);
        var size = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var rows = await store.InForceAsync(
            call.Today, request.CreditCode.Length == 0 ? null : request.CreditCode, request.Domain == Contracts.Bidding.V1.BiddingDomain.Unspecified ? null : (int)request.Domain,
            after, size + 1, ct);
        var page = rows.Take(size).ToList();
        var response = new ListPublishedEntriesResponse { Entries = { await PublishAsync(page, ct) } };
        if (rows.Count > size)
        {
            response.NextPageToken = PageTokens.Encode(request, page[^1].EntryDate, page[^1].Sequence);
        }

        return response;
    }

    public async Task<PublishedTenderingAgency> PublishTenderingAgencyAsync(TenderingAgencyProfile profile, CancellationToken ct)
    {
        if (!BiddingSupervision.IsSupervisor(call.Agency.Id))
        {
            throw BiddingSupervision.NotSupervisor(call.Agency.Id);
        }

        var row = await store.PublishTenderingAgencyAsync(
            new TenderingAgencyEntity
            {
                CreditCode = profile.CreditCode,
                Name = profile.Name,
                Qualification = profile.Qualification,
                CreditInformation = profile.CreditInformation,
                PublishedBy = call.Agency.Id,
                PublishedAt = call.Now,
            },
            ct);
        return BlacklistMapping.ToProto(row);
    }

    public async Task<GetTenderingAgencyResponse> TenderingAgencyAsync(string creditCode, CancellationToken ct)
    {
        var profile = await store.TenderingAgencyAsync(creditCode, ct);
        var entries = (await store.InForceAsync(call.Today, creditCode, null, null, 200, ct)).Where(e => e.Role == (int)MarketRole.TenderingAgency).ToList();
        if (profile is null && entries.Count == 0)
        {
            throw new DomainException(ErrorKind.NotFound, ErrorReason.BlacklistEntryNotFound, "Nothing is published about a tendering agency with this credit code.");
        }

        var response = new GetTenderingAgencyResponse { Entries = { entries.Select(e => BlacklistMapping.ToPublished(e, protector, profile)) } };
        if (profile is not null)
        {
            response.Profile = BlacklistMapping.ToProto(profile);
        }

        return response;
    }

    /// <summary>
    /// Records the exits of the day (the expiry sweep's turn for the blacklist, <see cref="IDaySweep"/>): every entry whose
    /// exit date has passed gets its next version and a feed event EFFECT_ENDED (LIFT) — once, also when several hubs sweep
    /// together (the entry's version is the concurrency token; a refused one is left to the next sweep).
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var today = call.Today;
        var exited = 0;
        while (true)
        {
            var batchStarted = Stopwatch.GetTimestamp();
            var due = await store.DueForExitAsync(today, SweepBatch, ct);
            var written = 0;
            foreach (var row in due)
            {
                row.ExitRecorded = true;
                row.ObjectionOpen = false;
                var status = (int)BiddingSupervision.FeedStatus(EntryState.Exited, objectionOpen: false);
                if (await store.CommitAsync(row, BiddingSupervision.ExitChange, RecordHistory.HubAgencyId, protector.SealText("exit date passed")!, call.Now, status, ct))
                {
                    written++;
                }
            }

            exited += written;
            if (due.Count < SweepBatch || written == 0)
            {
                return exited;
            }

            // At low priority, as the records' sweeps: the calls come first.
            await pacing.AfterBatchAsync(Stopwatch.GetElapsedTime(batchStarted), ct);
        }
    }

    private async Task<List<PublishedEntry>> PublishAsync(List<BlacklistEntryEntity> rows, CancellationToken ct)
    {
        var agencies = rows.Where(r => r.Role == (int)MarketRole.TenderingAgency).Select(r => r.CreditCode).Distinct().ToList();
        var profiles = agencies.Count == 0 ? [] : await store.TenderingAgenciesAsync(agencies, ct);
        return rows.Select(r => BlacklistMapping.ToPublished(r, protector, profiles.GetValueOrDefault(r.CreditCode))).ToList();
    }

    private async Task<Entry> ChangeAsync(string entryId, long expectedVersion, bool decidingOnly, Func<BlacklistEntryEntity, (RecordChange Change, string Reason)> change, CancellationToken ct)
    {
        var row = await store.FindForChangeAsync(Guid.Parse(entryId), ct);
        if (row is null || !(row.AgencyId == call.Agency.Id || call.Agency.MayQuery))
        {
            throw NotFound(entryId);
        }

        if (decidingOnly && row.AgencyId != call.Agency.Id)
        {
            BiddingSupervision.EnsureMayList(call.Agency.Id, (BiddingDomain)row.Domain);
        }

        if (BlacklistMapping.State(row, call.Today) != EntryState.InForce)
        {
            throw new DomainException(
                ErrorKind.FailedPrecondition,
                ErrorReason.BlacklistEntryNotInForce,
                $"Blacklist entry {entryId} is no longer in force (exited or removed); nothing changes it any more.");
        }

        if (row.Version != expectedVersion)
        {
            throw RecordLifecycle.VersionMismatch(row.Id, expectedVersion, row.Version);
        }

        var (what, reason) = change(row);
        var status = (int)BiddingSupervision.FeedStatus(BlacklistMapping.State(row, call.Today), row.ObjectionOpen);
        if (!await store.CommitAsync(row, what, call.Agency.Id, protector.SealText(reason)!, call.Now, status, ct))
        {
            throw RecordLifecycle.VersionMismatch(row.Id, expectedVersion, null);
        }

        return BlacklistMapping.ToProto(row, protector, call.Today);
    }

    /// <summary>A retry's answer: the first listing when the content is the same, else SOURCE_ID_CONFLICT.</summary>
    private Entry Answer(BlacklistEntryEntity existing, byte[] hash, string sourceEntryId)
    {
        if (!existing.ContentHash.AsSpan().SequenceEqual(hash))
        {
            throw new DomainException(
                ErrorKind.AlreadyExists,
                ErrorReason.SourceIdConflict,
                $"Agency '{call.Agency.Id}' already listed a different entry under source_entry_id '{sourceEntryId}'; nothing was changed.");
        }

        return BlacklistMapping.ToProto(existing, protector, call.Today);
    }

    private static DomainException NotFound(string entryId) =>
        new(ErrorKind.NotFound, ErrorReason.BlacklistEntryNotFound, $"No blacklist entry {entryId} that the caller may see.");

    private static DomainException ObjectionState(string entryId, string why) =>
        new(ErrorKind.FailedPrecondition, ErrorReason.BlacklistObjectionState, $"Blacklist entry {entryId}: {why}.");

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
