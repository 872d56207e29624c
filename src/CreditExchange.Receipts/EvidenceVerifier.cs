using System.Formats.Asn1;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using CreditExchange.Contracts.Api.V1;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Receipts.V1;
using Google.Protobuf;

namespace CreditExchange.Receipts;

/// <summary>What to trust when verifying an evidence bundle: only these, never the certificates the bundle carries.</summary>
public sealed class EvidenceTrust
{
    /// <summary>The CA certificate(s) the agency and hub-key certificates must chain to.</summary>
    public X509Certificate2Collection Ca { get; } = [];

    /// <summary>The time-stamping authority certificate(s) whose tokens are accepted.</summary>
    public X509Certificate2Collection Tsa { get; } = [];

    /// <summary>Accept a checkpoint without a time-stamp token.</summary>
    public bool AllowUnstamped { get; set; }

    /// <summary>Accept audit entries covered only by checkpoints stored before checkpoints carried a Merkle root.</summary>
    public bool AllowUnprovable { get; set; }
}

/// <summary>One event of the record's life as the bundle proves it.</summary>
public sealed record EvidenceEvent(DateTimeOffset At, string Kind, string Part, string Description);

/// <summary>The outcome: ok, or the first failing part by its path in the bundle and why; and the timeline verified so far.</summary>
public sealed record EvidenceResult(bool Ok, string? FailedPart, string? Reason, string? RecordId, IReadOnlyList<EvidenceEvent> Timeline);

/// <summary>
/// Verifies an evidence bundle (creditexchange-evidence/1, docs/evidence.md) offline: bytes in, trust anchors in, no hub
/// call. Each part's own cryptography first (certificates, checkpoints and their time-stamps, versions and signed
/// requests, receipts, audit entries with their inclusion proofs), then the signed manifest (every part listed, none
/// more, every digest matching). The first failure is reported by the part's path.
/// </summary>
public static class EvidenceVerifier
{
    public const string Format = "creditexchange-evidence/1";
    private const string AgencyUriPrefix = "urn:creditexchange:agency:";
    private const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";

    /// <summary>Verifies a bundle (the ZIP bytes).</summary>
    public static EvidenceResult Verify(byte[] bundle, EvidenceTrust trust)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(trust);
        var timeline = new List<EvidenceEvent>();
        string? recordId = null;
        try
        {
            var parts = Read(bundle);
            var manifest = Json(parts, "manifest.json");
            recordId = Str(manifest, "record_id", "manifest.json");
            var exportedAt = Time(Str(manifest, "exported_at", "manifest.json"), "manifest.json");
            var checkpoints = VerifyCheckpoints(parts, trust, timeline);
            VerifyVersions(parts, trust, recordId, exportedAt, timeline);
            VerifyAuditEntries(parts, trust, checkpoints, timeline);
            VerifyManifest(parts, manifest, trust, recordId, exportedAt);
            timeline.Sort((a, b) => a.At.CompareTo(b.At));
            return new EvidenceResult(true, null, null, recordId, timeline);
        }
        catch (PartException e)
        {
            timeline.Sort((a, b) => a.At.CompareTo(b.At));
            return new EvidenceResult(false, e.Part, e.Message, recordId, timeline);
        }
    }

    private static SortedDictionary<string, byte[]> Read(byte[] bundle)
    {
        var parts = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var archive = new ZipArchive(new MemoryStream(bundle), ZipArchiveMode.Read);
            foreach (var entry in archive.Entries)
            {
                if (entry.Length > 64L * 1024 * 1024 || parts.ContainsKey(entry.FullName))
                {
                    throw new PartException(entry.FullName, "too large, or present twice");
                }

                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                parts[entry.FullName] = copy.ToArray();
            }
        }
        catch (InvalidDataException e)
        {
            throw new PartException("(bundle)", "not a ZIP archive: " + e.Message);
        }

        return parts;
    }

    // --- checkpoints and time-stamps -------------------------------------------------------------

    private static Dictionary<long, ChainCheckpoint> VerifyCheckpoints(SortedDictionary<string, byte[]> parts, EvidenceTrust trust, List<EvidenceEvent> timeline)
    {
        var result = new Dictionary<long, ChainCheckpoint>();
        foreach (var (path, bytes) in parts.Where(p => p.Key.StartsWith("checkpoints/", StringComparison.Ordinal) && p.Key.EndsWith(".bin", StringComparison.Ordinal)))
        {
            var number = long.Parse(path["checkpoints/".Length..^".bin".Length], NumberStyles.None, CultureInfo.InvariantCulture);
            SignedChainCheckpoint signed;
            ChainCheckpoint statement;
            try
            {
                signed = SignedChainCheckpoint.Parser.ParseFrom(bytes);
                statement = ChainCheckpoint.Parser.ParseFrom(signed.Checkpoint);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new PartException(path, "not a SignedChainCheckpoint: " + e.Message);
            }

            var at = statement.Time?.ToDateTimeOffset() ?? throw new PartException(path, "the checkpoint has no time");
            using (var key = HubKey(parts, trust, signed.KeyId, at, path))
            {
                if (!key.VerifyData(signed.Checkpoint.Span, signed.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                {
                    throw new PartException(path, $"the hub signature does not verify with certs/hub-{signed.KeyId}.crt");
                }
            }

            if (statement.KeyId != signed.KeyId || statement.Number != number)
            {
                throw new PartException(path, "the signed statement names another key or number");
            }

            timeline.Add(new EvidenceEvent(at, "checkpoint", path,
                $"checkpoint {number} signed by the hub (key {signed.KeyId}) over chain position {statement.ChainPosition} of segment {statement.ChainSegment}"));
            var tsrPath = $"checkpoints/{number}.tsr";
            if (parts.TryGetValue(tsrPath, out var token))
            {
                var genTime = VerifyTimestamp(tsrPath, token, signed.Checkpoint.ToByteArray(), trust);
                timeline.Add(new EvidenceEvent(genTime, "timestamp", tsrPath, $"checkpoint {number} time-stamped by an independent authority (genTime)"));
            }
            else if (!trust.AllowUnstamped)
            {
                throw new PartException(tsrPath, $"checkpoint {number} has no time-stamp token (allow with --allow-unstamped)");
            }

            result[number] = statement;
        }

        return result;
    }

    private static DateTimeOffset VerifyTimestamp(string path, byte[] token, byte[] stamped, EvidenceTrust trust)
    {
        if (!Rfc3161TimestampToken.TryDecode(token, out var decoded, out var read) || read != token.Length)
        {
            throw new PartException(path, "not an RFC 3161 TimeStampToken");
        }

        if (!decoded.VerifySignatureForHash(SHA256.HashData(stamped), HashAlgorithmName.SHA256, out var signer, trust.Tsa) || signer is null)
        {
            throw new PartException(path, "the token's signature or message imprint does not verify over the checkpoint's statement");
        }

        if (!trust.Tsa.Cast<X509Certificate2>().Any(t => t.RawData.AsSpan().SequenceEqual(signer.RawData)))
        {
            throw new PartException(path, "the token is not signed by a --tsa certificate");
        }

        var eku = signer.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault();
        if (eku is null || !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == TimeStampingOid))
        {
            throw new PartException(path, "the signing certificate is not a time-stamping certificate (EKU timeStamping)");
        }

        return decoded.TokenInfo.Timestamp;
    }

    // --- versions and receipts --------------------------------------------------------------------

    private static void VerifyVersions(SortedDictionary<string, byte[]> parts, EvidenceTrust trust, string recordId, DateTimeOffset exportedAt, List<EvidenceEvent> timeline)
    {
        foreach (var path in parts.Keys.Where(p => p.StartsWith("versions/", StringComparison.Ordinal) && p.EndsWith("/version.json", StringComparison.Ordinal)).ToList())
        {
            var folder = path[..^"version.json".Length];
            var version = Json(parts, path);
            if (Str(version, "record_id", path) != recordId)
            {
                throw new PartException(path, "names another record than the manifest");
            }

            var number = Int(version, "version", path);
            var changedAt = Time(Str(version, "changed_at", path), path);
            var contentSha256 = Str(version, "content_sha256", path);
            string? signingSha256 = null;
            var description = $"version {number}: {Str(version, "change", path)} by {Str(version, "agency_id", path)}, status {Str(version, "status", path)}";
            if (version.TryGetProperty("request", out var request) && request.ValueKind == JsonValueKind.Object)
            {
                signingSha256 = Str(request, "signing_input_sha256", path);
                var signedAt = Time(Str(request, "signed_at", path), path);
                var agencyId = Str(request, "agency_id", path);
                var certificatePath = Str(request, "certificate", path);
                using var certificate = Certificate(parts, certificatePath);
                Chain(certificate, trust, signedAt, certificatePath);
                if (!AgencyUris(certificate).Contains(AgencyUriPrefix + agencyId))
                {
                    throw new PartException(certificatePath, $"the certificate does not name agency '{agencyId}' (SAN URI {AgencyUriPrefix}{agencyId})");
                }

                var digest = Bytes(() => Convert.FromHexString(signingSha256), path);
                var signature = Bytes(() => Convert.FromBase64String(Str(request, "signature", path)), path);
                if (digest.Length != 32 || !VerifyPrehashed(certificate, digest, signature))
                {
                    throw new PartException(path, $"the agency's signature does not verify over signing_input_sha256 with {certificatePath}");
                }

                var inputPath = folder + "signing-input.bin";
                if (parts.TryGetValue(inputPath, out var input))
                {
                    if (!SHA256.HashData(input).AsSpan().SequenceEqual(digest))
                    {
                        throw new PartException(inputPath, "its SHA-256 is not the version's signing_input_sha256");
                    }

                    SigningInput decoded;
                    try
                    {
                        decoded = SigningInput.Parser.ParseFrom(input);
                    }
                    catch (InvalidProtocolBufferException e)
                    {
                        throw new PartException(inputPath, "not a SigningInput: " + e.Message);
                    }

                    if (decoded.Method != Str(request, "method", path) || decoded.AgencyId != agencyId
                        || decoded.SignedAt is null || Microseconds(decoded.SignedAt.ToDateTimeOffset()) != Microseconds(signedAt)
                        || Convert.ToBase64String(decoded.Nonce.ToByteArray()) != Str(request, "nonce", path))
                    {
                        throw new PartException(path, "the request's method, agency, signed_at or nonce differ from signing-input.bin");
                    }
                }

                description += $", signed by {agencyId} at {signedAt:u}";
            }

            timeline.Add(new EvidenceEvent(changedAt, "version", path, description));
            if (version.TryGetProperty("receipt", out var receiptRef) && receiptRef.ValueKind == JsonValueKind.String)
            {
                var receiptPath = receiptRef.GetString()!;
                if (!parts.TryGetValue(receiptPath, out var receiptBytes))
                {
                    throw new PartException(receiptPath, "missing");
                }

                var payload = VerifyReceipt(parts, trust, receiptPath, receiptBytes, exportedAt);
                if (payload.RecordId != recordId || payload.ContentSha256 != contentSha256
                    || (signingSha256 is not null && payload.RequestSha256 != signingSha256))
                {
                    throw new PartException(receiptPath, "the receipt is for another record, content or request than the version states");
                }

                timeline.Add(new EvidenceEvent(payload.AcceptedAt.ToDateTimeOffset(), "receipt", receiptPath,
                    $"the hub accepted version {number} (sequence {payload.Sequence}); receipt signed with key {payload.KeyId}"));
            }
        }
    }

    private static ReceiptPayload VerifyReceipt(SortedDictionary<string, byte[]> parts, EvidenceTrust trust, string path, byte[] bytes, DateTimeOffset exportedAt)
    {
        Receipt receipt;
        ReceiptPayload payload;
        try
        {
            receipt = Receipt.Parser.ParseFrom(bytes);
            payload = ReceiptPayload.Parser.ParseFrom(receipt.SignedPayload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new PartException(path, "not a Receipt: " + e.Message);
        }

        using var key = HubKey(parts, trust, receipt.KeyId, exportedAt, path);
        if (!key.VerifyData(receipt.SignedPayload.Span, receipt.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            || payload.KeyId != receipt.KeyId)
        {
            throw new PartException(path, $"the hub signature does not verify with certs/hub-{receipt.KeyId}.crt");
        }

        return payload;
    }

    // --- audit entries ----------------------------------------------------------------------------

    private static void VerifyAuditEntries(SortedDictionary<string, byte[]> parts, EvidenceTrust trust, Dictionary<long, ChainCheckpoint> checkpoints, List<EvidenceEvent> timeline)
    {
        foreach (var path in parts.Keys.Where(p => p.StartsWith("audit/", StringComparison.Ordinal)).ToList())
        {
            var entry = Json(parts, path);
            var segment = Int(entry, "segment", path);
            var position = Int(entry, "position", path);
            var canonical = Bytes(() => Convert.FromBase64String(Str(entry, "public_canonical", path)), path);
            var mac = Bytes(() => Convert.FromBase64String(Str(entry, "mac", path)), path);
            var leaf = AuditMerkle.Leaf(segment, position, Int(entry, "sequence", path), canonical, mac);
            if (AuditMerkle.Hex(leaf) != Str(entry, "leaf", path) || path != $"audit/{segment}-{position}.json")
            {
                throw new PartException(path, "its leaf is not the hash of its fields");
            }

            if (!entry.TryGetProperty("proof", out var proof) || proof.ValueKind != JsonValueKind.Object)
            {
                if (!trust.AllowUnprovable)
                {
                    throw new PartException(path, "not provable offline: no checkpoint with a Merkle root covers it (allow with --allow-unprovable)");
                }
            }
            else
            {
                var number = Int(proof, "checkpoint", path);
                if (!checkpoints.TryGetValue(number, out var checkpoint))
                {
                    throw new PartException(path, $"its proof points to checkpoint {number}, which the bundle does not hold");
                }

                var pathHashes = proof.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.Array
                    ? p.EnumerateArray().Select(h => Bytes(() => Convert.FromHexString(h.GetString() ?? ""), path)).ToList()
                    : throw new PartException(path, "its proof has no path");
                var size = Int(proof, "tree_size", path);
                if (checkpoint.ChainSegment != segment || position > checkpoint.ChainPosition || position < checkpoint.EntriesFromPosition
                    || size != checkpoint.EntriesCount
                    || !AuditMerkle.VerifyInclusion(leaf, Int(proof, "leaf_index", path), size, pathHashes, checkpoint.EntriesRoot.Span))
                {
                    throw new PartException(path, $"its inclusion proof does not reach the entries_root of checkpoint {number}");
                }
            }

            timeline.Add(new EvidenceEvent(Time(Str(entry, "at", path), path), "audit", path,
                $"audit entry {segment}-{position}: {Opt(entry, "method")} by {Opt(entry, "agency_id") ?? "(none)"}, status {Int(entry, "status_code", path)}"));
        }
    }

    // --- manifest ---------------------------------------------------------------------------------

    private static void VerifyManifest(SortedDictionary<string, byte[]> parts, JsonElement manifest, EvidenceTrust trust, string recordId, DateTimeOffset exportedAt)
    {
        const string path = "manifest.json";
        var signature = Json(parts, "manifest.sig");
        var keyId = Str(signature, "key_id", "manifest.sig");
        using (var key = HubKey(parts, trust, keyId, exportedAt, "manifest.sig"))
        {
            var bytes = Bytes(() => Convert.FromBase64String(Str(signature, "signature", "manifest.sig")), "manifest.sig");
            if (!key.VerifyData(parts[path], bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                throw new PartException(path, $"manifest.sig does not verify over it with certs/hub-{keyId}.crt");
            }
        }

        if (Str(manifest, "format", path) != Format || Str(manifest, "hub_key_id", path) != keyId || Str(manifest, "record_id", path) != recordId)
        {
            throw new PartException(path, $"not a {Format} manifest of this bundle");
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        if (!manifest.TryGetProperty("parts", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new PartException(path, "lists no parts");
        }

        foreach (var item in items.EnumerateArray())
        {
            var partPath = Str(item, "path", path);
            listed.Add(partPath);
            if (!parts.TryGetValue(partPath, out var bytes))
            {
                throw new PartException(partPath, "listed in the manifest but missing");
            }

            if (AuditMerkle.Hex(SHA256.HashData(bytes)) != Str(item, "sha256", path))
            {
                throw new PartException(partPath, "its SHA-256 is not the one the manifest lists");
            }
        }

        foreach (var partPath in parts.Keys)
        {
            if (partPath is not ("manifest.json" or "manifest.sig") && !listed.Contains(partPath))
            {
                throw new PartException(partPath, "not listed in the manifest");
            }
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    /// <summary>The public key of a hub key's certificate (certs/hub-&lt;id&gt;.crt), once it chains to the CA at <paramref name="at"/>.</summary>
    private static ECDsa HubKey(SortedDictionary<string, byte[]> parts, EvidenceTrust trust, string keyId, DateTimeOffset at, string usedBy)
    {
        var certificatePath = $"certs/hub-{keyId}.crt";
        if (!parts.ContainsKey(certificatePath))
        {
            throw new PartException(usedBy, $"signed with hub key '{keyId}', whose certificate {certificatePath} the bundle does not hold");
        }

        using var certificate = Certificate(parts, certificatePath);
        Chain(certificate, trust, at, certificatePath);
        return certificate.GetECDsaPublicKey() ?? throw new PartException(certificatePath, "not an ECDSA certificate");
    }

    private static X509Certificate2 Certificate(SortedDictionary<string, byte[]> parts, string path)
    {
        if (!parts.TryGetValue(path, out var bytes))
        {
            throw new PartException(path, "missing");
        }

        try
        {
            return X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(bytes));
        }
        catch (CryptographicException e)
        {
            throw new PartException(path, "not a PEM certificate: " + e.Message);
        }
    }

    private static void Chain(X509Certificate2 certificate, EvidenceTrust trust, DateTimeOffset at, string path)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        bool built;
        try
        {
            built = chain.Build(certificate);
        }
        catch (CryptographicException e)
        {
            // A certificate whose bytes were changed can parse and still make the platform's chain builder throw.
            throw new PartException(path, "not a usable certificate: " + e.Message);
        }

        if (!built)
        {
            var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
            throw new PartException(path, $"does not chain to a --ca certificate at {at:u}: {why}");
        }
    }

    private static bool VerifyPrehashed(X509Certificate2 certificate, byte[] digest, byte[] signature)
    {
        try
        {
            using var ecdsa = certificate.GetECDsaPublicKey();
            if (ecdsa is not null)
            {
                return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
            }

            using var rsa = certificate.GetRSAPublicKey();
            return rsa is not null && rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The SAN URIs of a certificate.</summary>
    private static List<string> AgencyUris(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        var san = certificate.Extensions.Cast<X509Extension>().FirstOrDefault(e => e.Oid?.Value == "2.5.29.17");
        if (san is null)
        {
            return uris;
        }

        try
        {
            var reader = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (reader.HasData)
            {
                if (reader.PeekTag() == uriTag)
                {
                    uris.Add(reader.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    reader.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
        }

        return uris;
    }

    private static JsonElement Json(SortedDictionary<string, byte[]> parts, string path)
    {
        if (!parts.TryGetValue(path, out var bytes))
        {
            throw new PartException(path, "missing");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new PartException(path, "not JSON: " + e.Message);
        }
    }

    private static string Str(JsonElement e, string name, string path) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new PartException(path, $"no string \"{name}\"");

    private static string? Opt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Int(JsonElement e, string name, string path) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)
            ? n
            : throw new PartException(path, $"no integer \"{name}\"");

    private static DateTimeOffset Time(string value, string path) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new PartException(path, $"not an RFC 3339 time: {value}");

    // The bundle's times carry microseconds; a SigningInput may carry more.
    private static long Microseconds(DateTimeOffset at) => at.UtcTicks / 10;

    private static byte[] Bytes(Func<byte[]> decode, string path)
    {
        try
        {
            return decode();
        }
        catch (FormatException)
        {
            throw new PartException(path, "a hex or base64 field does not decode");
        }
    }

    private sealed class PartException(string part, string message) : Exception(message)
    {
        public string Part { get; } = part;
    }
}
