// Offline verification of an evidence bundle (EvidenceService.ExportEvidence's zip): the same checks, in the same
// order and with the same part names, as the hub's C# verifier (creditexchange-verify) and the Python SDK's
// verify_evidence_bundle. Node's crypto only: the zip is read with zlib, the RFC 3161 token with a small DER reader,
// and the agency's prehashed signature (the bundle carries only SHA-256 of the SigningInput) is checked with
// publicDecrypt (RSA PKCS#1 v1.5) or the ECDSA verification equation over the certificate's public point.
import { X509Certificate, constants, createHash, publicDecrypt, verify, type KeyObject } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import type * as elliptic from "elliptic";
import * as ellipticModule from "elliptic";
import { fromBinary, fromJson } from "@bufbuild/protobuf";
import { TimestampSchema, timestampDate } from "@bufbuild/protobuf/wkt";
import { SigningInputSchema } from "./gen/creditexchange/api/v1/signing_pb.js";
import { ChainCheckpointSchema, SignedChainCheckpointSchema } from "./gen/creditexchange/audit/v1/audit_pb.js";
import { ReceiptPayloadSchema, ReceiptSchema } from "./gen/creditexchange/receipts/v1/receipts_pb.js";

export const EVIDENCE_FORMAT = "creditexchange-evidence/1";
/** The part named when the zip itself cannot be read. */
const BUNDLE = "(bundle)";
const AGENCY_URI_PREFIX = "urn:creditexchange:agency:";
const LEAF_LABEL = Buffer.from("ce-audit-leaf-v1", "ascii");
const TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
const DOTNET_EPOCH_TICKS = 621355968000000000n;
const HASH_OIDS: Record<string, string> = {
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

/** One thing a verified part states, in check order (versions, receipts, audit entries, checkpoints). */
export interface EvidenceEvent {
  kind: "version" | "receipt" | "audit-entry" | "checkpoint";
  /** The part's path in the zip. */
  part: string;
  /** When it happened (RFC 3339): changed_at, accepted_at, the audit entry's time, the checkpoint's hub time. */
  time: string;
  [detail: string]: unknown;
}

/** ok, or the first failing part (its path in the zip, "(bundle)" for an unreadable zip) and why. */
export interface EvidenceResult {
  ok: boolean;
  failedPart?: string;
  reason?: string;
  timeline: EvidenceEvent[];
}

export interface EvidenceTrust {
  /** The CA certificate(s) the agency and hub certificates must chain to (PEM; several may be concatenated). */
  ca: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  /** The time-stamping authority certificate(s) (PEM). */
  tsa: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  /** Accept a checkpoint without an RFC 3161 token (fails by default). */
  allowUnstamped?: boolean;
  /** Accept an audit entry that no checkpoint with a Merkle root covers (fails by default). */
  allowUnprovable?: boolean;
}

class Fail extends Error {
  constructor(readonly part: string, readonly reason: string) {
    super(`${part}: ${reason}`);
  }
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest();
const equal = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

// --- Merkle tree (RFC 6962 / RFC 9162) ------------------------------------------------------------------------------

/** LeafInput of an audit entry: "ce-audit-leaf-v1" | int64 BE segment | position | sequence | PublicCanonical | MAC. */
export function auditLeafInput(segment: bigint, position: bigint, sequence: bigint, publicCanonical: Uint8Array, mac: Uint8Array): Buffer {
  const numbers = Buffer.alloc(24);
  numbers.writeBigInt64BE(segment, 0);
  numbers.writeBigInt64BE(position, 8);
  numbers.writeBigInt64BE(sequence, 16);
  return Buffer.concat([LEAF_LABEL, numbers, publicCanonical, mac]);
}

/** RFC 6962 leaf hash: SHA-256(0x00 | data). */
export const merkleLeafHash = (data: Uint8Array): Buffer => sha256(Buffer.concat([Buffer.of(0), data]));

const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Buffer.concat([Buffer.of(1), left, right]));

/** The root an inclusion path leads to (RFC 9162 section 2.1.3.2), or undefined when the path cannot be one. */
export function merkleRootFromPath(leaf: Uint8Array, leafIndex: number, treeSize: number, path: readonly Uint8Array[]): Buffer | undefined {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return undefined;
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize - 1);
  let r = Buffer.from(leaf);
  for (const p of path) {
    if (sn === 0n) return undefined;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? r : undefined;
}

// --- zip ---------------------------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function readZip(data: Buffer): Map<string, Buffer> {
  const eocdMin = 22;
  let eocd = -1;
  for (let i = data.length - eocdMin; i >= Math.max(0, data.length - eocdMin - 0xffff); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Fail(BUNDLE, "not a readable zip: no end of central directory");
  const count = data.readUInt16LE(eocd + 10);
  let at = data.readUInt32LE(eocd + 16);
  const parts = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) throw new Fail(BUNDLE, "not a readable zip: bad central directory");
    const method = data.readUInt16LE(at + 10);
    const crc = data.readUInt32LE(at + 16);
    const compressedSize = data.readUInt32LE(at + 20);
    const size = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    const local = data.readUInt32LE(at + 42);
    const name = data.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue;
    if (parts.has(name)) throw new Fail(name, "the part occurs twice in the zip");
    try {
      if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) throw new Error("bad local header");
      const localNameLength = data.readUInt16LE(local + 26);
      if (data.subarray(local + 30, local + 30 + localNameLength).toString("utf8") !== name) throw new Error("the local header names another file");
      const start = local + 30 + localNameLength + data.readUInt16LE(local + 28);
      const raw = data.subarray(start, start + compressedSize);
      if (raw.length !== compressedSize) throw new Error("truncated");
      const content = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
      if (!content) throw new Error(`compression method ${method}`);
      if (content.length !== size) throw new Error("size differs from the directory's");
      if (crc32(content) !== crc) throw new Error("bad CRC-32");
      parts.set(name, content);
    } catch (e) {
      throw new Fail(name, `unreadable: ${(e as Error).message}`);
    }
  }
  return parts;
}

// --- DER -------------------------------------------------------------------------------------------------------------

interface Tlv {
  tag: number;
  /** The whole element (header and content). */
  der: Buffer;
  content: Buffer;
}

function tlv(data: Buffer, offset = 0): Tlv {
  if (offset + 2 > data.length) throw new Error("truncated DER");
  const tag = data[offset];
  if ((tag & 0x1f) === 0x1f) throw new Error("multi-byte DER tags are not used here");
  let length = data[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || offset + 2 + bytes > data.length) throw new Error("bad DER length");
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + data[offset + 2 + i];
    header += bytes;
  }
  const end = offset + header + length;
  if (end > data.length) throw new Error("truncated DER");
  return { tag, der: data.subarray(offset, end), content: data.subarray(offset + header, end) };
}

function children(parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < parent.content.length; ) {
    const child = tlv(parent.content, at);
    out.push(child);
    at += child.der.length;
  }
  return out;
}

function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new Error(`expected ${what}`);
  return t;
}

function oid(t: Tlv | undefined): string {
  const c = expect(t, 0x06, "an OBJECT IDENTIFIER").content;
  const arcs: bigint[] = [];
  let value = 0n;
  for (const b of c) {
    value = (value << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(value);
      value = 0n;
    }
  }
  const first = arcs.shift() ?? 0n;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs].join(".");
}

function generalizedTime(t: Tlv | undefined): Date {
  const s = expect(t, 0x18, "a GeneralizedTime").content.toString("ascii");
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(s);
  if (!m) throw new Error(`unsupported GeneralizedTime ${s}`);
  const ms = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms));
}


// --- the agency's prehashed signature -------------------------------------------------------------------------------

// ECDSA over a digest the verifier did not hash itself: Node's crypto always hashes what it verifies, so the
// well-known `elliptic` library checks the signature against the SHA-256 the bundle carries.
const ELLIPTIC_CURVES: Record<string, string> = { "P-256": "p256", "P-384": "p384" };
const ellipticCurves = new Map<string, elliptic.ec>();
// A CommonJS module: its exports are the namespace under require, its `default` under an ES import.
const EllipticEc: typeof elliptic.ec = (ellipticModule as unknown as { ec?: typeof elliptic.ec }).ec
  ?? (ellipticModule as unknown as { default: { ec: typeof elliptic.ec } }).default.ec;

function ecdsaVerifyPrehashed(key: KeyObject, digest: Buffer, derSignature: Buffer): boolean {
  const jwk = key.export({ format: "jwk" });
  const name = ELLIPTIC_CURVES[jwk.crv ?? ""];
  if (!name || !jwk.x || !jwk.y) return false;
  let curve = ellipticCurves.get(name);
  if (!curve) ellipticCurves.set(name, (curve = new EllipticEc(name)));
  const point = { x: Buffer.from(jwk.x, "base64url").toString("hex"), y: Buffer.from(jwk.y, "base64url").toString("hex") };
  return curve.keyFromPublic(point, "hex").verify(Array.from(digest), Array.from(derSignature));
}

const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

/** Whether `signature` (ECDSA DER or RSASSA-PKCS1-v1_5) over the SHA-256 `digest` verifies with `key`. */
function verifyPrehashedSha256(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  try {
    if (key.asymmetricKeyType === "ec") return ecdsaVerifyPrehashed(key, digest, signature);
    if (key.asymmetricKeyType === "rsa") {
      const decoded = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      return equal(decoded, Buffer.concat([SHA256_DIGEST_INFO, digest]));
    }
  } catch {
    return false;
  }
  return false;
}

// --- small decoders ------------------------------------------------------------------------------------------------

interface Checkpoint {
  chainPosition: bigint;
  time: Date;
  keyId: string;
  chainSegment: bigint;
  number: bigint;
  entriesFromPosition: bigint;
  entriesCount: bigint;
  entriesRoot: Buffer;
  statement: Uint8Array;
}

/** ChainCheckpoint (audit.proto), decoded by the generated schema, with the bytes it came from. */
function decodeCheckpoint(statement: Uint8Array): Checkpoint {
  const c = fromBinary(ChainCheckpointSchema, statement);
  return {
    chainPosition: c.chainPosition,
    time: c.time ? timestampDate(c.time) : new Date(0),
    keyId: c.keyId,
    chainSegment: BigInt(c.chainSegment),
    number: c.number,
    entriesFromPosition: c.entriesFromPosition,
    entriesCount: c.entriesCount,
    entriesRoot: Buffer.from(c.entriesRoot),
    statement,
  };
}

/** The fields of an audit entry's PublicCanonical (AuditChain.Canonical with the purpose as its SHA-256 hex). */
export function decodePublicCanonical(data: Uint8Array) {
  const buf = Buffer.from(data);
  let i = 0;
  const take = (n: number) => {
    if (n < 0 || i + n > buf.length) throw new Error("truncated public_canonical");
    i += n;
    return buf.subarray(i - n, i);
  };
  const string = () => {
    const n = take(4).readInt32BE(0);
    return n === -1 ? null : take(n).toString("utf8");
  };
  const long = () => take(8).readBigInt64BE(0);
  const header = string();
  let nonce: Buffer | undefined;
  if (header === "ce-audit-entry-v2") nonce = take(take(4).readInt32BE(0));
  else if (header !== "ce-audit-entry-v1") throw new Error(`unknown header ${header}`);
  const ticks = long();
  const at = new Date(Number((ticks - DOTNET_EPOCH_TICKS) / 10000n));
  const fields = {
    header, nonce, at,
    agencyId: string(), certificateSubject: string(), certificateThumbprint: string(), method: string(),
    subjectHashes: string(), purposeSha256: string(), statusCode: Number(long()), reason: string(), recordIds: string(),
  };
  if (i !== buf.length) throw new Error("trailing bytes in public_canonical");
  return fields;
}

function loadCertificates(input: EvidenceTrust["ca"]): X509Certificate[] {
  if (Array.isArray(input)) return (input as ReadonlyArray<string | Uint8Array>).flatMap((x) => loadCertificates(x));
  const text = typeof input === "string" ? input : Buffer.from(input as Uint8Array).toString("latin1");
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) return [new X509Certificate(Buffer.from(input as Uint8Array))];
  return blocks.map((b) => new X509Certificate(b));
}

const validAt = (cert: X509Certificate, at: Date) =>
  Date.parse(cert.validFrom) <= at.getTime() && at.getTime() <= Date.parse(cert.validTo);

const iso = (d: Date) => d.toISOString();

function timestampOf(text: unknown) {
  if (typeof text !== "string") throw new Error("not an RFC 3339 time");
  return fromJson(TimestampSchema, text);
}

function base64(text: unknown): Buffer {
  if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error("not base64");
  return Buffer.from(text, "base64");
}

function hexBytes(text: unknown): Buffer {
  if (typeof text !== "string" || !/^([0-9a-fA-F]{2})*$/.test(text)) throw new Error("not hex");
  return Buffer.from(text, "hex");
}

// --- the verifier -------------------------------------------------------------------------------------------------

type Json = any;

class Bundle {
  readonly timeline: EvidenceEvent[] = [];
  readonly parts: Map<string, Buffer>;
  readonly manifest: Json;
  readonly recordId: string;
  readonly exportedAt: Date;
  private readonly checkpoints = new Map<string, Checkpoint>();
  /** The part being checked: named if it is malformed in a way no check foresaw. */
  current = "manifest.json";

  constructor(data: Buffer, private readonly ca: X509Certificate[], private readonly tsa: X509Certificate[],
    private readonly allowUnstamped: boolean, private readonly allowUnprovable: boolean) {
    try {
      this.parts = readZip(data);
    } catch (e) {
      if (e instanceof Fail) throw e;
      throw new Fail(BUNDLE, `not a readable zip: ${(e as Error).message}`);
    }
    this.manifest = this.object("manifest.json");
    if (this.manifest.format !== EVIDENCE_FORMAT) {
      throw new Fail("manifest.json", `not a ${EVIDENCE_FORMAT} manifest`);
    }
    this.recordId = this.manifest.record_id;
    try {
      const t = timestampOf(this.manifest.exported_at);
      this.exportedAt = new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6));
    } catch (e) {
      throw new Fail("manifest.json", `no RFC 3339 exported_at: ${(e as Error).message}`);
    }
  }

  part(path: string, referrer?: string): Buffer {
    const data = this.parts.get(path);
    if (!data) throw new Fail(referrer ?? path, referrer ? `missing part ${path}` : "missing");
    return data;
  }

  json(path: string, referrer?: string): Json {
    try {
      return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(this.part(path, referrer)));
    } catch (e) {
      if (e instanceof Fail) throw e;
      throw new Fail(path, `not valid JSON: ${(e as Error).message}`);
    }
  }

  object(path: string): Json {
    const value = this.json(path);
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Fail(path, "not a JSON object");
    return value;
  }

  /** A bundle certificate that chains to a trusted CA and is valid at `at`, or fails the certificate's part. */
  certificate(path: unknown, referrer: string, at: Date | undefined, use: string): X509Certificate {
    if (typeof path !== "string" || !/^certs\/(agency-[0-9a-f]{16}|hub-[^/]+)\.crt$/.test(path)) {
      throw new Fail(referrer, `names no agency or hub certificate part (${JSON.stringify(path)})`);
    }
    // a missing agency certificate is named itself, a missing hub key certificate by the part its key signed
    const raw = this.part(path, path.startsWith("certs/hub-") ? referrer : undefined);
    let cert: X509Certificate;
    try {
      cert = loadCertificates(raw)[0];
    } catch (e) {
      throw new Fail(path, `not a certificate: ${(e as Error).message}`);
    }
    if (path.startsWith("certs/agency-") && path !== `certs/agency-${sha256(cert.raw).toString("hex").slice(0, 16)}.crt`) {
      throw new Fail(path, "the name is not the first 16 hex of the certificate's SHA-256");
    }
    const issuers = this.ca.filter((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
    if (issuers.length === 0) throw new Fail(path, "does not chain to a trusted CA certificate");
    if (at && !issuers.some((ca) => validAt(ca, at))) throw new Fail(path, `its CA certificate is not valid at ${iso(at)} (${use})`);
    if (at && !validAt(cert, at)) throw new Fail(path, `not valid at ${iso(at)} (${use})`);
    return cert;
  }

  verifyHubSignature(part: string, keyId: string, signature: Uint8Array, data: Uint8Array, at: Date | undefined, use: string) {
    if (!keyId || keyId.includes("/")) throw new Fail(part, "names no hub key");
    const cert = this.certificate(`certs/hub-${keyId}.crt`, part, at, use);
    let ok = false;
    try {
      ok = signature.length === 64 && verify("sha256", data, { key: cert.publicKey, dsaEncoding: "ieee-p1363" }, signature);
    } catch {
      ok = false;
    }
    if (!ok) throw new Fail(part, `the hub signature does not verify with certs/hub-${keyId}.crt`);
  }

  // -- versions and receipts --

  versions() {
    for (const path of [...this.parts.keys()].filter((p) => p.startsWith("versions/") && p.endsWith("/version.json")).sort()) {
      const folder = path.slice(0, -"version.json".length);
      this.current = path;
      const v = this.object(path);
      if (v.record_id !== this.recordId) throw new Fail(path, "names another record than the manifest");
      const event: EvidenceEvent = {
        kind: "version", part: path, time: v.changed_at, version: v.version, change: v.change, status: v.status, agencyId: v.agency_id,
      };
      // as the C# verifier: anything but an object is no signed request
      const request = typeof v.request === "object" && v.request !== null && !Array.isArray(v.request) ? v.request : null;
      if (request !== null) {
        this.request(path, folder, request);
        event.signer = request.agency_id;
        event.signedAt = request.signed_at;
      }
      this.timeline.push(event);
      if (typeof v.receipt === "string") this.receipt(v.receipt, v, request ?? null);
    }
  }

  request(path: string, folder: string, request: Json) {
    let signedAt, digest: Buffer, signature: Buffer, nonce: Buffer;
    try {
      signedAt = timestampOf(request.signed_at);
      digest = hexBytes(request.signing_input_sha256);
      signature = base64(request.signature);
      nonce = base64(request.nonce);
    } catch (e) {
      throw new Fail(path, `malformed request: ${(e as Error).message}`);
    }
    if (digest.length !== 32) throw new Fail(path, "signing_input_sha256 is not a SHA-256");
    const agency = request.agency_id;
    const at = new Date(Number(signedAt.seconds) * 1000 + Math.floor(signedAt.nanos / 1e6));
    const cert = this.certificate(request.certificate, path, at, "the request's signed_at");
    const uris = (cert.subjectAltName ?? "").split(/,\s*/).filter((x) => x.startsWith("URI:")).map((x) => x.slice(4));
    if (!uris.includes(AGENCY_URI_PREFIX + String(agency))) throw new Fail(request.certificate, `does not name agency ${JSON.stringify(agency)}`);
    if (!verifyPrehashedSha256(cert.publicKey, digest, signature)) {
      throw new Fail(path, "the agency signature does not verify over signing_input_sha256");
    }
    const inputPath = folder + "signing-input.bin";
    const data = this.parts.get(inputPath);
    if (data) {
      if (!equal(sha256(data), digest)) throw new Fail(inputPath, "its SHA-256 is not the version's signing_input_sha256");
      let si;
      try {
        si = fromBinary(SigningInputSchema, data);
      } catch (e) {
        throw new Fail(inputPath, `not a SigningInput: ${(e as Error).message}`);
      }
      // compared at microsecond precision (docs/evidence.md: the JSON times carry at most 6-7 digits)
      if (si.method !== request.method || si.agencyId !== agency || !equal(si.nonce, nonce)
        || si.signedAt?.seconds !== signedAt.seconds || Math.floor(si.signedAt.nanos / 1000) !== Math.floor(signedAt.nanos / 1000)) {
        throw new Fail(path, "the request's method, agency, signed_at or nonce differ from signing-input.bin");
      }
    }
  }

  receipt(path: string, v: Json, request: Json) {
    this.current = path;
    let receipt, payload;
    const data = this.part(path);
    try {
      receipt = fromBinary(ReceiptSchema, data);
      payload = fromBinary(ReceiptPayloadSchema, receipt.signedPayload);
    } catch (e) {
      throw new Fail(path, `not a Receipt: ${(e as Error).message}`);
    }
    this.verifyHubSignature(path, receipt.keyId, receipt.signature, receipt.signedPayload, this.exportedAt, "the export");
    if (payload.keyId !== receipt.keyId) throw new Fail(path, "the payload names another key than the receipt");
    if (payload.recordId !== this.recordId) throw new Fail(path, "the receipt is for another record");
    if (payload.contentSha256 !== v.content_sha256) throw new Fail(path, "content_sha256 differs from the version's");
    if (request && payload.requestSha256 !== request.signing_input_sha256) {
      throw new Fail(path, "request_sha256 differs from the version's signing_input_sha256");
    }
    const accepted = payload.acceptedAt;
    this.timeline.push({
      kind: "receipt", part: path,
      time: iso(new Date(Number(accepted?.seconds ?? 0n) * 1000 + Math.floor((accepted?.nanos ?? 0) / 1e6))),
      sequence: Number(payload.sequence), keyId: receipt.keyId, agencyId: payload.agencyId,
    });
  }

  // -- audit entries, checkpoints, time-stamps --

  checkpoint(number: bigint, referrer: string): Checkpoint {
    const path = `checkpoints/${number}.bin`;
    const known = this.checkpoints.get(path);
    if (known) return known;
    const data = this.part(path, referrer);
    let signed, statement: Checkpoint;
    try {
      signed = fromBinary(SignedChainCheckpointSchema, data);
      statement = decodeCheckpoint(signed.checkpoint);
    } catch (e) {
      throw new Fail(path, `not a SignedChainCheckpoint: ${(e as Error).message}`);
    }
    if (statement.number !== number) throw new Fail(path, "the signed statement carries another number");
    if (statement.keyId !== signed.keyId) throw new Fail(path, "the signed statement names another key");
    this.verifyHubSignature(path, signed.keyId, signed.signature, signed.checkpoint, statement.time, "checkpoint time");
    this.checkpoints.set(path, statement);
    return statement;
  }

  auditEntries() {
    for (const path of [...this.parts.keys()].filter((p) => p.startsWith("audit/")).sort()) {
      this.current = path;
      const e = this.object(path);
      let canonical: Buffer, mac: Buffer, segment: bigint, position: bigint, sequence: bigint, leaf: Buffer;
      try {
        canonical = base64(e.public_canonical);
        mac = base64(e.mac);
        for (const n of [e.segment, e.position, e.sequence]) if (!Number.isSafeInteger(n)) throw new Error("segment, position and sequence must be integers");
        [segment, position, sequence] = [BigInt(e.segment), BigInt(e.position), BigInt(e.sequence)];
        leaf = hexBytes(e.leaf);
      } catch (x) {
        throw new Fail(path, `malformed audit entry: ${(x as Error).message}`);
      }
      if (path !== `audit/${segment}-${position}.json`) throw new Fail(path, "its segment and position do not match its name");
      if (!equal(merkleLeafHash(auditLeafInput(segment, position, sequence, canonical, mac)), leaf)) {
        throw new Fail(path, "leaf is not the hash of the entry's public leaf input");
      }
      let fields;
      try {
        fields = decodePublicCanonical(canonical);
      } catch (x) {
        throw new Fail(path, `public_canonical does not decode: ${(x as Error).message}`);
      }
      const pairs: [string, unknown][] = [["agency_id", fields.agencyId], ["method", fields.method], ["status_code", fields.statusCode], ["reason", fields.reason]];
      for (const [name, value] of pairs) {
        if (name in e && e[name] !== value) throw new Fail(path, `${name} differs from the entry's public_canonical`);
      }
      if (!(fields.recordIds ?? "").split(",").includes(this.recordId)) throw new Fail(path, "the entry does not name the record");
      const event: EvidenceEvent = {
        kind: "audit-entry", part: path, time: iso(fields.at), method: fields.method, agencyId: fields.agencyId,
        statusCode: fields.statusCode, segment: Number(segment), position: Number(position), checkpoint: null,
      };
      const proof = e.proof;
      if (proof !== null && proof !== undefined && typeof proof !== "object") throw new Fail(path, "malformed proof");
      if (proof === null || proof === undefined) {
        if (!this.allowUnprovable) throw new Fail(path, "not provable offline (no checkpoint with a Merkle root covers it)");
      } else {
        let number: bigint, steps: Buffer[];
        try {
          if (![proof.checkpoint, proof.leaf_index, proof.tree_size].every(Number.isSafeInteger) || !Array.isArray(proof.path)) throw new Error("bad numbers or path");
          number = BigInt(proof.checkpoint);
          steps = proof.path.map(hexBytes);
        } catch (x) {
          throw new Fail(path, `malformed proof: ${(x as Error).message}`);
        }
        const cp = this.checkpoint(number, path);
        if (cp.entriesRoot.length === 0) {
          if (!this.allowUnprovable) throw new Fail(path, `not provable offline (checkpoint ${number} has no Merkle root)`);
        } else {
          if (cp.chainSegment !== segment || BigInt(proof.tree_size) !== cp.entriesCount
            || BigInt(proof.leaf_index) !== position - cp.entriesFromPosition) {
            throw new Fail(path, `the proof does not place the entry in checkpoint ${number}'s tree`);
          }
          const root = merkleRootFromPath(leaf, proof.leaf_index, proof.tree_size, steps);
          if (!root || !equal(root, cp.entriesRoot)) throw new Fail(path, `the inclusion path does not reach checkpoint ${number}'s entries_root`);
          event.checkpoint = Number(number);
        }
      }
      this.timeline.push(event);
    }
  }

  checkpointsAndStamps() {
    const numbers = new Set<bigint>();
    for (const path of this.parts.keys()) {
      const m = /^checkpoints\/(.*)\.bin$/.exec(path);
      if (!m) continue;
      if (!/^\d+$/.test(m[1])) throw new Fail(path, "not named by a checkpoint number");
      numbers.add(BigInt(m[1]));
    }
    for (const number of [...numbers].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const tsr = `checkpoints/${number}.tsr`;
      this.current = `checkpoints/${number}.bin`;
      const cp = this.checkpoint(number, tsr);
      const event: EvidenceEvent = {
        kind: "checkpoint", part: `checkpoints/${number}.bin`, time: iso(cp.time), number: Number(number),
        segment: Number(cp.chainSegment), chainPosition: Number(cp.chainPosition), tsaTime: null,
      };
      if (this.parts.has(tsr)) this.current = tsr;
      if (this.parts.has(tsr)) event.tsaTime = iso(this.timestamp(tsr, cp.statement));
      else if (!this.allowUnstamped) throw new Fail(tsr, "missing: the checkpoint is not time-stamped");
      this.timeline.push(event);
    }
  }

  timestamp(path: string, stamped: Uint8Array): Date {
    let digestName: string, messageDigest: Buffer[], signedAttrs: Buffer, signature: Buffer, tstDer: Buffer, imprintAlg: string, imprint: Buffer, genTime: Date;
    const ess: [string, Buffer][] = [];
    try {
      const token = tlv(this.parts.get(path)!);
      if (token.der.length !== this.parts.get(path)!.length) throw new Error("trailing bytes");
      const [contentType, content] = children(expect(token, 0x30, "a ContentInfo"));
      if (oid(contentType) !== "1.2.840.113549.1.7.2") throw new Error("not CMS SignedData");
      const signedData = children(expect(children(expect(content, 0xa0, "[0] content"))[0], 0x30, "SignedData"));
      const encap = children(expect(signedData[2], 0x30, "encapContentInfo"));
      if (oid(encap[0]) !== "1.2.840.113549.1.9.16.1.4") throw new Error("does not encapsulate a TSTInfo");
      tstDer = expect(children(expect(encap[1], 0xa0, "[0] eContent"))[0], 0x04, "an OCTET STRING eContent").content;
      const signers = children(expect(signedData[signedData.length - 1], 0x31, "signerInfos"));
      if (signers.length !== 1) throw new Error("not exactly one signer");
      const si = children(expect(signers[0], 0x30, "SignerInfo"));
      digestName = HASH_OIDS[oid(children(expect(si[2], 0x30, "digestAlgorithm"))[0])] ?? "";
      const attrs = expect(si[3], 0xa0, "signed attributes");
      signedAttrs = Buffer.concat([Buffer.of(0x31), attrs.der.subarray(1)]);
      const attributes = children(attrs).map((a) => children(expect(a, 0x30, "an Attribute")));
      messageDigest = attributes
        .filter(([type]) => oid(type) === "1.2.840.113549.1.9.4")
        .map(([, values]) => expect(children(expect(values, 0x31, "attribute values"))[0], 0x04, "an OCTET STRING").content);
      // RFC 3161 2.4.1 / RFC 5816: the TSA's certificate named by its hash (ESSCertID SHA-1 or ESSCertIDv2)
      for (const [type, values] of attributes) {
        const v2 = oid(type) === "1.2.840.113549.1.9.16.2.47";
        if (!v2 && oid(type) !== "1.2.840.113549.1.9.16.2.12") continue;
        const signingCertificate = expect(children(expect(values, 0x31, "attribute values"))[0], 0x30, "SigningCertificate");
        const certId = children(expect(children(expect(children(signingCertificate)[0], 0x30, "certs"))[0], 0x30, "ESSCertID"));
        const hashAlgorithm = v2 && certId[0]?.tag === 0x30 ? HASH_OIDS[oid(children(certId.shift()!)[0])] ?? "" : v2 ? "sha256" : "sha1";
        ess.push([hashAlgorithm, expect(certId[0], 0x04, "certHash").content]);
      }
      if (ess.length === 0) throw new Error("no ESS signingCertificate attribute naming the TSA's certificate");
      signature = expect(si[5], 0x04, "the signature").content;
      const tst = children(expect(tlv(tstDer), 0x30, "TSTInfo"));
      const messageImprint = children(expect(tst[2], 0x30, "messageImprint"));
      imprintAlg = HASH_OIDS[oid(children(expect(messageImprint[0], 0x30, "hashAlgorithm"))[0])] ?? "";
      imprint = expect(messageImprint[1], 0x04, "hashedMessage").content;
      genTime = generalizedTime(tst[4]);
    } catch (e) {
      throw new Fail(path, `not an RFC 3161 time-stamp token: ${(e as Error).message}`);
    }
    if (!digestName) throw new Fail(path, "unsupported digest");
    if (messageDigest.length !== 1 || !equal(messageDigest[0], createHash(digestName).update(tstDer).digest())) {
      throw new Fail(path, "the messageDigest attribute is not the digest of the TSTInfo");
    }
    const signer = this.tsa.find((t) => {
      try {
        return verify(digestName, signedAttrs, t.publicKey, signature);
      } catch {
        return false;
      }
    });
    if (!signer) throw new Fail(path, "the token's signature does not verify with a trusted TSA certificate");
    if (!(signer.keyUsage ?? []).includes(TIME_STAMPING)) throw new Fail(path, "the TSA certificate lacks the timeStamping extended key usage");
    if (!validAt(signer, genTime)) throw new Fail(path, "the TSA certificate is not valid at the token's genTime");
    if (!ess.some(([name, hash]) => name && equal(createHash(name).update(signer.raw).digest(), hash))) {
      throw new Fail(path, "the token's ESS signingCertificate does not name the TSA certificate");
    }
    if (imprintAlg !== "sha256" || !equal(imprint, sha256(stamped))) {
      throw new Fail(path, "the message imprint is not the SHA-256 of the checkpoint statement");
    }
    return genTime;
  }

  // -- the manifest --

  manifestCheck() {
    this.current = "manifest.sig";
    const sig = this.object("manifest.sig");
    let keyId: string, signature: Buffer;
    try {
      keyId = sig.key_id;
      signature = base64(sig.signature);
      if (typeof keyId !== "string") throw new Error("no key_id");
    } catch (e) {
      throw new Fail("manifest.sig", `malformed: ${(e as Error).message}`);
    }
    try {
      this.verifyHubSignature("manifest.sig", keyId, signature, this.parts.get("manifest.json")!, this.exportedAt, "the export");
    } catch (e) {
      if (!(e instanceof Fail) || e.part !== "manifest.sig") throw e;
      throw new Fail("manifest.json", `manifest.sig does not verify over it with certs/hub-${keyId}.crt`);
    }
    if (this.manifest.hub_key_id !== keyId || typeof this.recordId !== "string") throw new Fail("manifest.json", `not a ${EVIDENCE_FORMAT} manifest of this bundle`);
    if (!Array.isArray(this.manifest.parts)) throw new Fail("manifest.json", "lists no parts");
    const listed = new Set<string>();
    for (const p of this.manifest.parts) {
      const path = typeof p === "object" && p !== null ? p.path : undefined;
      if (typeof path !== "string" || path === "manifest.json" || path === "manifest.sig" || listed.has(path)) {
        throw new Fail("manifest.json", `lists an invalid or repeated part ${JSON.stringify(path)}`);
      }
      listed.add(path);
      this.current = "manifest.json";
      const data = this.parts.get(path);
      if (!data) throw new Fail(path, "listed in the manifest but missing");
      if (sha256(data).toString("hex") !== String(p.sha256 ?? "").toLowerCase()) throw new Fail(path, "its SHA-256 differs from the manifest's");
    }
    for (const path of [...this.parts.keys()].sort()) {
      if (!listed.has(path) && path !== "manifest.json" && path !== "manifest.sig") throw new Fail(path, "not listed in the manifest");
    }
  }
}

/**
 * Verifies an evidence bundle (the zip's bytes) offline against the trusted CA and TSA certificates, in the C#
 * verifier's order: each checkpoint's hub signature and RFC 3161 token, each version's agency signature (over the
 * SigningInput's SHA-256) and receipt, each audit entry's leaf and inclusion path to a checkpoint's tree head (every
 * agency and hub certificate chaining to the CA when a part uses it), then the signed manifest (every part listed
 * with its SHA-256, nothing unlisted). Answers the first failing part by its path in the zip plus a reason, and the
 * timeline (by time) of what the verified parts state.
 */
export function verifyEvidenceBundle(bundle: Uint8Array, trust: EvidenceTrust): EvidenceResult {
  const ca = loadCertificates(trust.ca);
  const tsa = loadCertificates(trust.tsa);
  let timeline: EvidenceEvent[] = [];
  let b: Bundle | undefined;
  try {
    b = new Bundle(Buffer.from(bundle), ca, tsa, trust.allowUnstamped ?? false, trust.allowUnprovable ?? false);
    timeline = b.timeline;
    b.checkpointsAndStamps();
    b.versions();
    b.auditEntries();
    b.manifestCheck();
  } catch (e) {
    if (e instanceof Fail) return { ok: false, failedPart: e.part, reason: e.reason, timeline: byTime(timeline) };
    // a part malformed in a way no check foresaw still names the part
    return { ok: false, failedPart: b?.current ?? BUNDLE, reason: `malformed: ${(e as Error).message}`, timeline: byTime(timeline) };
  }
  return { ok: true, timeline: byTime(timeline) };
}

function byTime(timeline: EvidenceEvent[]): EvidenceEvent[] {
  const at = (e: EvidenceEvent) => {
    const t = Date.parse(String(e.time));
    return Number.isNaN(t) ? Infinity : t;
  };
  return [...timeline].sort((a, b) => at(a) - at(b));
}
