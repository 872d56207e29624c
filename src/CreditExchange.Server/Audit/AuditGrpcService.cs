using System.Buffers.Binary;
using System.Buffers.Text;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Receipts;
using Google.Protobuf;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;

namespace CreditExchange.Server.Audit;

/// <summary>Query and verification of the audit trail for audit.read holders: check, delegate, map.</summary>
public sealed class AuditGrpcService(
    AuditStore store, AuditVerifier verifier, ChangeReachReport reach, PersonalDataProtector protector, ChainCheckpoints statements, TimeProvider time,
    AuditCheckpointStore checkpoints, TimestampAuthorityClient authority)
    : AuditService.AuditServiceBase
{
    private const int DefaultPageSize = 100;

    public override async Task<ListAuditEntriesResponse> ListAuditEntries(ListAuditEntriesRequest request, ServerCallContext context)
    {
        var from = request.From?.ToDateTime();
        var to = request.To?.ToDateTime();
        if (from is not null && to is not null && to < from)
        {
            throw DomainException.InvalidArgument(ErrorReason.InvalidRequest, [new FieldViolation("to", "must not be before from", FieldViolationReason.ToBeforeFrom)]);
        }

        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var identifier = request.Subject is null ? "" : RecordSubjects.Identifier(request.Subject);
        string? subject = identifier.Length == 0 ? null : protector.SubjectKey(identifier);
        var rows = await store.ListAsync(
            new AuditQuery(
                request.AgencyId.Length == 0 ? null : request.AgencyId,
                subject,
                from,
                to,
                PageTokens.Decode(request, NormalizeSubject)?.Sequence,
                pageSize + 1),
            context.CancellationToken);
        var response = new ListAuditEntriesResponse();
        response.Entries.AddRange(rows.Take(pageSize).Select(ToProto));
        if (rows.Count > pageSize)
        {
            response.NextPageToken = PageTokens.Encode(request, DateOnly.MinValue, rows[pageSize - 1].Sequence, NormalizeSubject);
        }

        return response;
    }

    public override async Task<VerifyAuditChainResponse> VerifyAuditChain(VerifyAuditChainRequest request, ServerCallContext context)
    {
        var known = KnownCheckpoints(request);
        var (storedCount, names, checkpointProblems) = await StoredCheckpointsAsync(known, context.CancellationToken);
        var result = await verifier.VerifyAsync(known, context.CancellationToken, names);
        var response = new VerifyAuditChainResponse
        {
            Intact = result.FirstProblem is null && checkpointProblems.Count == 0,
            StoredCheckpoints = storedCount,
            SealedEntries = result.SealedEntries,
            LastSealedSequence = result.LastSealedSequence,
            UnsealedEntries = result.UnsealedEntries,
            OldestUnsealedTime = result.OldestUnsealed is { } oldest ? Utc(oldest) : null,
            HeadChainPosition = result.HeadPosition,
            HeadHash = result.HeadHash is null ? "" : Convert.ToHexStringLower(result.HeadHash),
            HeadChainSegment = result.HeadSegment,
        };
        if (result.RemainderVerified && result.HeadHash is not null)
        {
            response.Checkpoint = Sign(result.HeadSegment, result.HeadPosition, result.HeadHash);
        }

        if (result.FirstProblem is { } problem)
        {
            response.FirstProblem = ToProto(problem);
        }

        response.Problems.AddRange(result.Problems.Select(ToProto));
        response.MoreProblems = result.MoreProblems;
        response.CheckpointProblems.AddRange(checkpointProblems);
        return response;
    }

    public override async Task<ListCheckpointsResponse> ListCheckpoints(ListCheckpointsRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var rows = await checkpoints.PageAsync(request.AfterNumber, pageSize + 1, context.CancellationToken);
        var response = new ListCheckpointsResponse { More = rows.Count > pageSize };
        response.Checkpoints.AddRange(rows.Take(pageSize).Select(c => new StoredCheckpoint
        {
            Checkpoint = new SignedChainCheckpoint { Checkpoint = ByteString.CopyFrom(c.Statement), KeyId = c.KeyId, Signature = ByteString.CopyFrom(c.Signature) },
            StampStatus = c.StampStatus == Storage.Entities.CheckpointStampStatus.Stamped ? Contracts.Audit.V1.CheckpointStampStatus.Stamped : Contracts.Audit.V1.CheckpointStampStatus.Pending,
            TimestampToken = c.TimestampToken is null ? ByteString.Empty : ByteString.CopyFrom(c.TimestampToken),
            StampedTime = c.StampedAt is { } stamped ? Utc(stamped) : null,
            CreatedTime = Utc(c.CreatedAt),
        }));
        return response;
    }

    /// <summary>
    /// The checkpoints the hub stored, added to <paramref name="known"/> (a checkpoint passed in wins): each must be a
    /// statement signed by the hub of its own number and position, numbered without gaps, and its time-stamp token, when
    /// it has one, must verify under the configured authority's certificate. What fails is described, not used.
    /// </summary>
    private async Task<(long Count, Dictionary<(int Segment, long Position), string> Names, List<string> Problems)> StoredCheckpointsAsync(
        Dictionary<(int Segment, long Position), byte[]> known, CancellationToken ct)
    {
        var names = new Dictionary<(int Segment, long Position), string>();
        var problems = new List<string>();
        long count = 0, expected = 1;
        while (true)
        {
            var page = await checkpoints.PageAsync(expected - 1, 1000, ct);
            foreach (var c in page)
            {
                if (c.Number != expected)
                {
                    problems.Add($"Stored checkpoints {expected}–{c.Number - 1} are missing: they were deleted from the database.");
                }

                expected = c.Number + 1;
                var statement = statements.Open(c.KeyId, c.Statement, c.Signature);
                if (statement is null || statement.Number != c.Number || statement.ChainSegment != c.ChainSegment || statement.ChainPosition != c.ChainPosition)
                {
                    problems.Add($"Stored checkpoint {c.Number} is not a checkpoint signed by this hub: it was altered or inserted in the database.");
                    continue;
                }

                var stamp = "not time-stamped";
                if (c.TimestampToken is { } token)
                {
                    if (authority.Configured && authority.Verify(c.Statement, token) is null)
                    {
                        problems.Add($"The time-stamp token of stored checkpoint {c.Number} does not verify under the time-stamping authority's certificate (Hub:Audit:TsaCertificate).");
                    }

                    stamp = $"time-stamped by the authority at {c.StampedAt:u}";
                }

                count++;
                var key = (statement.ChainSegment, statement.ChainPosition);
                if (known.TryAdd(key, Convert.FromHexString(statement.EntryHash)))
                {
                    names[key] = $"stored checkpoint {c.Number} (signed by the hub at {statement.Time.ToDateTime():u}, {stamp})";
                }
            }

            if (page.Count < 1000)
            {
                return (count, names, problems);
            }
        }
    }

    public override Task<GetChangeReachResponse> GetChangeReach(GetChangeReachRequest request, ServerCallContext context) =>
        reach.GetAsync(request, context.CancellationToken);

    public override Task<GetChangeReachStatisticsResponse> GetChangeReachStatistics(GetChangeReachStatisticsRequest request, ServerCallContext context) =>
        reach.StatisticsAsync(request, context.CancellationToken);

    private static Contracts.Audit.V1.ChainProblem ToProto(ChainProblem problem) => new()
    {
        Sequence = problem.Sequence,
        ExpectedChainPosition = problem.ExpectedPosition,
        Kind = (Contracts.Audit.V1.ChainProblemKind)(int)problem.Kind,
        Description = problem.Description,
    };

    /// <summary>The kept checkpoints, authenticated: each must carry the hub's signature.</summary>
    private Dictionary<(int Segment, long Position), byte[]> KnownCheckpoints(VerifyAuditChainRequest request)
    {
        var known = new Dictionary<(int Segment, long Position), byte[]>();
        for (var i = 0; i < request.KnownCheckpoints.Count; i++)
        {
            var given = request.KnownCheckpoints[i];
            if (statements.Open(given.KeyId, given.Checkpoint.Span, given.Signature.Span) is not { } checkpoint)
            {
                throw DomainException.InvalidArgument(
                    ErrorReason.InvalidCheckpoint,
                    [new FieldViolation($"known_checkpoints[{i}]", "is not a checkpoint signed by this hub", FieldViolationReason.InvalidCheckpoint)]);
            }

            known[(checkpoint.ChainSegment, checkpoint.ChainPosition)] = Convert.FromHexString(checkpoint.EntryHash);
        }

        return known;
    }

    private SignedChainCheckpoint Sign(int segment, long position, byte[] hash)
    {
        var (statement, keyId, signature) = statements.Sign(segment, position, hash, time.GetUtcNow());
        return new SignedChainCheckpoint
        {
            Checkpoint = ByteString.CopyFrom(statement),
            KeyId = keyId,
            Signature = ByteString.CopyFrom(signature),
        };
    }

    private AuditEntry ToProto(AuditEntryEntity e)
    {
        var entry = new AuditEntry
        {
            Sequence = e.Sequence,
            Time = Utc(e.At),
            AgencyId = e.AgencyId ?? "",
            CertificateSubject = e.CertificateSubject ?? "",
            CertificateThumbprint = e.CertificateThumbprint ?? "",
            Method = e.Method,
            // Stored sealed; one that no longer opens (altered in the database) is shown as stored, for the verifier to report.
            Purpose = protector.OpenTextOrStored(e.Purpose) ?? "",
            Outcome = new Outcome { Code = e.StatusCode, Reason = e.Reason ?? "" },
            Sealed = e.EntryHash is not null,
            ChainPosition = e.ChainPosition ?? 0,
            ChainSegment = e.ChainSegment,
            EntryHash = e.EntryHash is null ? "" : Convert.ToHexStringLower(e.EntryHash),
        };
        entry.SubjectHashes.AddRange(e.SubjectHashes.Split(';', StringSplitOptions.RemoveEmptyEntries));
        entry.RecordIds.AddRange(e.RecordIds.Split(',', StringSplitOptions.RemoveEmptyEntries));
        return entry;
    }

    private static Timestamp Utc(DateTime at) => Timestamp.FromDateTime(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    /// <summary>A listing by a civil servant is bound to the normalised resident ID.</summary>
    private static void NormalizeSubject(ListAuditEntriesRequest filters)
    {
        if (filters.Subject is { } subject)
        {
            filters.Subject = RecordSubjects.Normalize(subject);
        }
    }
}
