using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Errors;
using CreditExchange.Server.Audit;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Publication;
using CreditExchange.Server.Receipts;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Evidence;

/// <summary>
/// Builds the evidence bundle of one record (docs/evidence.md): its versions (masked content, the agency's signed
/// request, the hub's receipt), the audit entries naming it with inclusion proofs to stored checkpoints, the checkpoints
/// with their time-stamp tokens, the certificates, the recipients, and the manifest signed with the hub's current key.
/// Before building, it has the record's entries sealed and covered by a stored, time-stamped checkpoint (bounded by the
/// call's deadline). A bundle is bounded: at most <see cref="MaxAuditEntries"/> audit entries and <see cref="MaxBytes"/>.
/// </summary>
public sealed class EvidenceExport(
    LifecycleStore records, AuditStore audit, AuditCheckpointStore checkpoints, AuditCheckpointer checkpointer, SignatureStore signatures,
    ChangeReachReport reach, PersonalDataProtector protector, ReceiptSigner signer, HubKeyCertificates hubCertificates,
    TimestampAuthorityClient authority, Transport.TlsMaterial tls, IOptions<LifecycleOptions> lifecycle, TimeProvider time)
{
    public const string Format = "creditexchange-evidence/1";
    public const int MaxAuditEntries = 5_000;
    public const int MaxBytes = 64 * 1024 * 1024;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonFormatter ContentJson = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    /// <summary>Who may export: the agencies acting for subjects (drc), the complaint reviewers (supervision), the record's source agency.</summary>
    public async Task<RecordEntity> AuthorizeAsync(Agency caller, Guid recordId, bool includeSignedRequests, CancellationToken ct)
    {
        var o = lifecycle.Value;
        var representative = o.EffectiveSubjectRepresentatives.Contains(caller.Id);
        if (includeSignedRequests && !representative)
        {
            throw new DomainException(ErrorKind.PermissionDenied, ErrorReason.NotSubjectRepresentative,
                $"Only {string.Join(", ", o.EffectiveSubjectRepresentatives)} may export the signed requests (personal data in clear); agency '{caller.Id}' may export the masked bundle.");
        }

        var row = await records.FindRecordAsync(recordId, ct)
            ?? throw new DomainException(ErrorKind.NotFound, ErrorReason.RecordNotFound, $"No record {recordId}.");
        if (!representative && !o.EffectiveComplaintReviewers.Contains(caller.Id) && row.AgencyId != caller.Id)
        {
            throw new DomainException(ErrorKind.PermissionDenied, ErrorReason.NotSourceAgency,
                $"Agency '{caller.Id}' may not export the evidence of a record of '{row.AgencyId}'.");
        }

        return row;
    }

    /// <summary>The bundle (ZIP bytes) and the SHA-256 of its manifest.</summary>
    public async Task<(byte[] Bundle, string ManifestSha256)> ExportAsync(RecordEntity row, Agency caller, bool includeSignedRequests, CancellationToken ct)
    {
        var entries = await SealedAndCoveredAsync(row.Id, ct);
        var parts = new List<(string Path, string Kind, byte[] Bytes)>();
        var hubKeys = new SortedSet<string>(StringComparer.Ordinal) { signer.CurrentKeyId };
        var agencyCertificates = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);

        // Versions, their signed requests and receipts.
        foreach (var v in await records.VersionsAsync(row.Id, ct))
        {
            var folder = $"versions/{v.Version.ToString("D4", CultureInfo.InvariantCulture)}";
            var content = RecordContent.Parser.ParseFrom(protector.Open(v.Content));
            JsonObject? request = null;
            string? receiptPath = null;
            if (v.RequestSignatureId is { } signatureId && await signatures.FindAsync(signatureId, ct) is var (signature, der))
            {
                var certificatePath = $"certs/agency-{Hex(SHA256.HashData(der))[..16]}.crt";
                agencyCertificates[certificatePath] = der;
                // The request's fields as the agency signed them (the stored columns may round the time).
                var signed = Contracts.Api.V1.SigningInput.Parser.ParseFrom(signature.SigningInput);
                request = new JsonObject
                {
                    ["method"] = signed.Method,
                    ["agency_id"] = signed.AgencyId,
                    ["signed_at"] = Time(signed.SignedAt.ToDateTimeOffset()),
                    ["nonce"] = Convert.ToBase64String(signed.Nonce.ToByteArray()),
                    ["signing_input_sha256"] = Hex(signature.RequestSha256),
                    ["signature"] = Convert.ToBase64String(signature.Signature),
                    ["certificate"] = certificatePath,
                };
                if (includeSignedRequests)
                {
                    parts.Add(($"{folder}/signing-input.bin", "signing-input", signature.SigningInput));
                }

                if (v.Change == (int)RecordChange.Submitted)
                {
                    receiptPath = $"{folder}/receipt.bin";
                    parts.Add((receiptPath, "receipt", signer.Sign(row, v.ContentHash, signature.RequestSha256).ToByteArray()));
                }
            }

            var version = new JsonObject
            {
                ["record_id"] = row.Id.ToString(),
                ["version"] = v.Version,
                ["change"] = ((RecordChange)v.Change).ToString(),
                ["status"] = ((RecordStatus)v.Status).ToString(),
                ["agency_id"] = v.AgencyId,
                ["changed_at"] = Time(v.ChangedAt),
                ["content_sha256"] = Hex(v.ContentHash),
                ["masked_content"] = JsonNode.Parse(ContentJson.Format(PublicationMapping.ToPublic(row, content))),
                ["request"] = request,
                ["receipt"] = receiptPath,
            };
            parts.Add(($"{folder}/version.json", "version", JsonBytes(version)));
        }

        // Audit entries with their proofs, and the checkpoints the proofs point to.
        var trees = new Dictionary<long, (AuditCheckpointEntity Checkpoint, CheckpointTree? Tree)>();
        foreach (var e in entries)
        {
            var checkpoint = await checkpoints.CoveringAsync(e.ChainSegment, e.ChainPosition!.Value, ct);
            JsonObject? proof = null;
            if (checkpoint is not null)
            {
                if (!trees.TryGetValue(checkpoint.Number, out var known))
                {
                    var statement = ChainCheckpoint.Parser.ParseFrom(checkpoint.Statement);
                    var tree = statement.EntriesRoot.Length == 0
                        ? null
                        : await ChainCheckpoints.TreeAsync(audit, protector, checkpoint.ChainSegment, statement.EntriesFromPosition, checkpoint.ChainPosition, ct);
                    trees[checkpoint.Number] = known = (checkpoint, tree);
                }

                var index = known.Tree is null ? -1 : known.Tree.Entries.ToList().FindIndex(x => x.ChainPosition == e.ChainPosition);
                if (index >= 0)
                {
                    proof = new JsonObject
                    {
                        ["checkpoint"] = checkpoint.Number,
                        ["leaf_index"] = index,
                        ["tree_size"] = known.Tree!.Leaves.Count,
                        ["path"] = new JsonArray([.. global::CreditExchange.Receipts.AuditMerkle.Path(known.Tree.Leaves, index).Select(p => (JsonNode)Hex(p))]),
                    };
                }
            }

            var purpose = protector.OpenTextOrStored(e.Purpose);
            var entry = new JsonObject
            {
                ["segment"] = e.ChainSegment,
                ["position"] = e.ChainPosition,
                ["sequence"] = e.Sequence,
                ["at"] = Time(new DateTimeOffset(DateTime.SpecifyKind(e.At, DateTimeKind.Utc))),
                ["agency_id"] = e.AgencyId,
                ["method"] = e.Method,
                ["status_code"] = e.StatusCode,
                ["reason"] = e.Reason,
                ["public_canonical"] = Convert.ToBase64String(AuditChain.PublicCanonical(e, purpose)),
                ["mac"] = Convert.ToBase64String(e.Mac),
                ["leaf"] = Hex(AuditChain.PublicLeaf(e, purpose)),
                ["proof"] = proof,
            };
            parts.Add(($"audit/{e.ChainSegment}-{e.ChainPosition}.json", "audit-entry", JsonBytes(entry)));
        }

        foreach (var (number, (checkpoint, _)) in trees.OrderBy(t => t.Key))
        {
            hubKeys.Add(checkpoint.KeyId);
            var signed = new SignedChainCheckpoint
            {
                Checkpoint = ByteString.CopyFrom(checkpoint.Statement),
                KeyId = checkpoint.KeyId,
                Signature = ByteString.CopyFrom(checkpoint.Signature),
            };
            parts.Add(($"checkpoints/{number}.bin", "checkpoint", signed.ToByteArray()));
            if (checkpoint.TimestampToken is { } token)
            {
                parts.Add(($"checkpoints/{number}.tsr", "timestamp", token));
            }
        }

        // Certificates: the CA and the authority's (informative), the agencies' and the hub keys' used.
        parts.Add(($"certs/ca-{Hex(SHA256.HashData(tls.Ca.RawData))[..16]}.crt", "certificate", Pem(tls.Ca.RawData)));
        foreach (var tsa in authority.Certificates)
        {
            parts.Add(($"certs/tsa-{Hex(SHA256.HashData(tsa.RawData))[..16]}.crt", "certificate", Pem(tsa.RawData)));
        }

        parts.AddRange(agencyCertificates.Select(c => (c.Key, "certificate", Pem(c.Value))));
        foreach (var keyId in hubKeys)
        {
            var pem = hubCertificates.Pem(keyId) ?? throw new DomainException(ErrorKind.FailedPrecondition, ErrorReason.EvidenceUnavailable,
                $"The hub key '{keyId}' that signed part of the evidence has no certificate (Hub:Receipts:SigningCertificates).");
            parts.Add(($"certs/hub-{keyId}.crt", "certificate", Encoding.UTF8.GetBytes(pem)));
        }

        parts.Add(("recipients.json", "recipients", JsonBytes(await RecipientsAsync(row, ct))));

        var manifest = new JsonObject
        {
            ["format"] = Format,
            ["record_id"] = row.Id.ToString(),
            ["exported_at"] = Time(time.GetUtcNow()),
            ["exported_by"] = caller.Id,
            ["hub_key_id"] = signer.CurrentKeyId,
            ["personal_data"] = includeSignedRequests ? "signed-requests-included" : "masked",
            ["parts"] = new JsonArray([.. parts.Select(p => (JsonNode)new JsonObject
            {
                ["path"] = p.Path,
                ["sha256"] = Hex(SHA256.HashData(p.Bytes)),
                ["kind"] = p.Kind,
            })]),
        };
        var manifestBytes = JsonBytes(manifest);
        var (signingKey, manifestSignature) = signer.SignStatement(manifestBytes);
        var signatureBytes = JsonBytes(new JsonObject { ["key_id"] = signingKey, ["signature"] = Convert.ToBase64String(manifestSignature) });

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, bytes) in parts.Select(p => (p.Path, p.Bytes)).Prepend(("manifest.sig", signatureBytes)).Prepend(("manifest.json", manifestBytes)))
            {
                var item = archive.CreateEntry(path, CompressionLevel.Optimal);
                item.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                await using var stream = await item.OpenAsync(ct);
                await stream.WriteAsync(bytes, ct);
            }
        }

        if (zip.Length > MaxBytes)
        {
            throw new DomainException(ErrorKind.ResourceExhausted, ErrorReason.MessageTooLarge, $"The evidence bundle would exceed {MaxBytes} bytes.");
        }

        return (zip.ToArray(), Hex(SHA256.HashData(manifestBytes)));
    }

    /// <summary>
    /// The sealed entries naming the record, once every one is sealed and covered by a stored checkpoint that is time-stamped
    /// when an authority is configured; has the checkpointer store and stamp one when needed. Gives up with
    /// EVIDENCE_UNAVAILABLE after <see cref="MaxWait"/> (or the call's deadline, whichever comes first).
    /// </summary>
    private async Task<List<AuditEntryEntity>> SealedAndCoveredAsync(Guid recordId, CancellationToken ct)
    {
        // Waiting is on the wall clock (the sealer's and checkpointer's timers are), never on a simulated domain clock.
        var giveUp = TimeProvider.System.GetUtcNow() + MaxWait;
        while (true)
        {
            var entries = await audit.ForRecordAsync(recordId, MaxAuditEntries + 1, ct);
            if (entries.Count > MaxAuditEntries)
            {
                throw new DomainException(ErrorKind.ResourceExhausted, ErrorReason.MessageTooLarge, $"The record has more than {MaxAuditEntries} audit entries: too many for one evidence bundle.");
            }

            var ready = entries.All(e => e.ChainPosition is not null);
            if (ready && entries.Count > 0)
            {
                var last = entries.OrderByDescending(e => e.ChainSegment).ThenByDescending(e => e.ChainPosition).First();
                var covering = await checkpoints.CoveringAsync(last.ChainSegment, last.ChainPosition!.Value, ct);
                if (covering is null)
                {
                    ready = false;
                    await checkpointer.CheckpointOnceAsync(ct);
                }
                else if (authority.Configured && covering.TimestampToken is null)
                {
                    ready = false;
                    await checkpointer.StampBacklogAsync(ct);
                }
            }

            if (ready)
            {
                return [.. entries.OrderBy(e => e.ChainSegment).ThenBy(e => e.ChainPosition)];
            }

            if (TimeProvider.System.GetUtcNow() > giveUp)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, ErrorReason.EvidenceUnavailable,
                    "The record's audit entries are not yet sealed into a stored, time-stamped checkpoint; try again shortly.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    /// <summary>Who received which version, from the change-reach store: one item per change (version 2 on).</summary>
    private async Task<JsonArray> RecipientsAsync(RecordEntity row, CancellationToken ct)
    {
        var result = new JsonArray();
        for (var version = 2L; version <= row.Version; version++)
        {
            GetChangeReachResponse change;
            try
            {
                change = await reach.GetAsync(new GetChangeReachRequest { RecordId = row.Id.ToString(), Version = version }, ct);
            }
            catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
            {
                continue;
            }

            result.Add(new JsonObject
            {
                ["version"] = version,
                ["change"] = change.Change.ToString(),
                ["changed_by"] = change.ChangedByAgencyId,
                ["recipients"] = new JsonArray([.. change.Recipients.Select(r => (JsonNode)new JsonObject
                {
                    ["agency_id"] = r.AgencyId,
                    ["first_version"] = r.FirstVersion,
                    ["first_delivered_at"] = r.FirstDeliveredAt is null ? null : Time(r.FirstDeliveredAt.ToDateTimeOffset()),
                    ["latest_version"] = r.LatestVersion,
                    ["latest_delivered_at"] = r.LatestDeliveredAt is null ? null : Time(r.LatestDeliveredAt.ToDateTimeOffset()),
                    ["delivered"] = r.Delivered,
                    ["acknowledged"] = r.Acknowledged,
                    ["acknowledged_at"] = r.AcknowledgedAt is null ? null : Time(r.AcknowledgedAt.ToDateTimeOffset()),
                })]),
            });
        }

        return result;
    }

    private static byte[] JsonBytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Json) + "\n");

    private static byte[] Pem(byte[] der) => Encoding.UTF8.GetBytes(PemEncoding.WriteString("CERTIFICATE", der) + "\n");

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
