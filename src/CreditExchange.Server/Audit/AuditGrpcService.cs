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
public sealed class AuditGrpcService(AuditStore store, AuditVerifier verifier, ChangeReachReport reach, PersonalDataProtector protector, ReceiptSigner signer, TimeProvider time)
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
        var result = await verifier.VerifyAsync(KnownCheckpoints(request), context.CancellationToken);
        var response = new VerifyAuditChainResponse
        {
            Intact = result.FirstProblem is null,
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
        return response;
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
            var signed = request.KnownCheckpoints[i];
            ChainCheckpoint? checkpoint = null;
            if (signer.IsSignedStatement(signed.KeyId, signed.Checkpoint.Span, signed.Signature.Span))
            {
                checkpoint = ChainCheckpoint.Parser.ParseFrom(signed.Checkpoint);
            }

            if (checkpoint is null || checkpoint.KeyId != signed.KeyId || checkpoint.ChainPosition <= 0 || checkpoint.ChainSegment < 0
                || checkpoint.EntryHash.Length != 64 || !checkpoint.EntryHash.All(char.IsAsciiHexDigitLower))
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
        var checkpoint = new ChainCheckpoint
        {
            ChainSegment = segment,
            ChainPosition = position,
            EntryHash = Convert.ToHexStringLower(hash),
            Time = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            KeyId = signer.CurrentKeyId,
        }.ToByteArray();
        var (keyId, signature) = signer.SignStatement(checkpoint);
        return new SignedChainCheckpoint
        {
            Checkpoint = ByteString.CopyFrom(checkpoint),
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
