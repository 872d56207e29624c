"""Offline verification of an evidence bundle (ExportEvidence's zip), the same checks as the hub's C# verifier.

``verify_evidence_bundle(bundle, ca_pem, tsa_pem)`` trusts only the given CA and TSA certificates (the bundle's own
``certs/ca-*`` and ``certs/tsa-*`` are informative) and answers the first failing part by its path in the zip plus a
reason, or ok with a timeline of what the bundle proves. The order of the checks is the C# verifier's
(EvidenceVerifier), so that all name the same part: each part's own cryptography first (checkpoints with their
time-stamp tokens, versions with their signed requests and receipts, audit entries with their inclusion proofs; a
certificate when a part uses it), then the manifest (its signature, every listed part present with its SHA-256, no
unlisted part). Needs python3-cryptography (38 or later) and
python3-asn1crypto (RFC 3161 / CMS parsing).
"""

import base64
import datetime
import hashlib
import io
import json
import re
import struct
import zipfile
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Union

from asn1crypto import cms as _cms
from asn1crypto import tsp as _tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from google.protobuf import timestamp_pb2

from creditexchange.api.v1 import signing_pb2
from creditexchange.audit.v1 import audit_pb2
from creditexchange.receipts.v1 import receipts_pb2

FORMAT = "creditexchange-evidence/1"
BUNDLE = "(bundle)"  # the part named when the zip itself cannot be read
AGENCY_URI_PREFIX = "urn:creditexchange:agency:"
LEAF_LABEL = b"ce-audit-leaf-v1"
_TIME_STAMPING = "1.3.6.1.5.5.7.3.8"
_DOTNET_EPOCH_TICKS = 621355968000000000
_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


@dataclass
class EvidenceResult:
    """ok, or the first failing part (its path in the zip) and why; timeline: what the verified parts state."""

    ok: bool
    failed_part: Optional[str] = None
    reason: Optional[str] = None
    timeline: List[dict] = field(default_factory=list)


class _Fail(Exception):
    def __init__(self, part: str, reason: str):
        super().__init__(f"{part}: {reason}")
        self.part = part
        self.reason = reason


# --- Merkle tree (RFC 6962 / RFC 9162) ----------------------------------------------------------------------------

def leaf_input(segment: int, position: int, sequence: int, public_canonical: bytes, mac: bytes) -> bytes:
    """LeafInput of an audit entry: label | int64 BE segment | position | sequence | PublicCanonical | MAC."""
    return LEAF_LABEL + struct.pack(">qqq", segment, position, sequence) + public_canonical + mac


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962 leaf hash: SHA-256(0x00 | data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node: SHA-256(0x01 | left | right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root_from_path(leaf: bytes, leaf_index: int, tree_size: int, path: Sequence[bytes]) -> Optional[bytes]:
    """The root an inclusion path leads to (RFC 9162 section 2.1.3.2), or None when the path cannot be one."""
    if leaf_index < 0 or leaf_index >= tree_size:
        return None
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


# --- small decoders -------------------------------------------------------------------------------------------------

def _decode_checkpoint(statement: bytes) -> dict:
    """ChainCheckpoint (audit.proto), decoded by the generated message."""
    c = audit_pb2.ChainCheckpoint.FromString(statement)
    return {
        "chain_position": c.chain_position, "entry_hash": c.entry_hash,
        "time": datetime.datetime.fromtimestamp(c.time.seconds, datetime.timezone.utc)
        + datetime.timedelta(microseconds=c.time.nanos // 1000),
        "key_id": c.key_id, "chain_segment": c.chain_segment, "number": c.number,
        "entries_from_position": c.entries_from_position, "entries_count": c.entries_count, "entries_root": bytes(c.entries_root),
    }


def decode_public_canonical(data: bytes) -> dict:
    """The fields of PublicCanonical(e) (AuditChain.Canonical with the purpose as its SHA-256 hex)."""
    i = 0

    def take(n):
        nonlocal i
        if n < 0 or i + n > len(data):
            raise ValueError("truncated public_canonical")
        i += n
        return data[i - n:i]

    def string():
        (n,) = struct.unpack(">i", take(4))
        return None if n == -1 else take(n).decode("utf-8")

    def int64():
        return struct.unpack(">q", take(8))[0]

    out = {"header": string()}
    if out["header"] == "ce-audit-entry-v2":
        (n,) = struct.unpack(">i", take(4))
        out["nonce"] = take(n)
    elif out["header"] != "ce-audit-entry-v1":
        raise ValueError(f"unknown header {out['header']!r}")
    ticks = int64()
    out["at"] = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
        microseconds=(ticks - _DOTNET_EPOCH_TICKS) // 10)
    for name in ("agency_id", "certificate_subject", "certificate_thumbprint", "method", "subject_hashes", "purpose_sha256"):
        out[name] = string()
    out["status_code"] = int64()
    out["reason"] = string()
    out["record_ids"] = string()
    if i != len(data):
        raise ValueError("trailing bytes in public_canonical")
    return out


def _timestamp(text: str) -> datetime.datetime:
    ts = timestamp_pb2.Timestamp()
    ts.FromJsonString(text)
    return ts.ToDatetime().replace(tzinfo=datetime.timezone.utc)


def _load_certs(pem: Union[str, bytes, Sequence]) -> List[x509.Certificate]:
    if isinstance(pem, (list, tuple)):
        return [c for p in pem for c in _load_certs(p)]
    if isinstance(pem, str):
        pem = pem.encode()
    blocks = re.findall(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", pem, re.S)
    if not blocks:
        return [x509.load_der_x509_certificate(pem)]
    return [x509.load_pem_x509_certificate(b) for b in blocks]


def _naive_utc(t: datetime.datetime) -> datetime.datetime:
    return t.astimezone(datetime.timezone.utc).replace(tzinfo=None) if t.tzinfo else t


def _valid_at(cert: x509.Certificate, at: datetime.datetime) -> bool:
    at = _naive_utc(at)
    return cert.not_valid_before <= at <= cert.not_valid_after


def _verify_signature(public_key, signature: bytes, data: bytes, hash_algorithm, prehashed: bool = False):
    algorithm = utils.Prehashed(hash_algorithm) if prehashed else hash_algorithm
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, data, ec.ECDSA(algorithm))
    elif isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, data, padding.PKCS1v15(), algorithm)
    else:
        raise InvalidSignature("unsupported key type")


def _p1363_to_der(signature: bytes) -> bytes:
    if len(signature) != 64:
        raise InvalidSignature("not a 64-byte P1363 signature")
    return utils.encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))


def _iso(t: datetime.datetime) -> str:
    return _naive_utc(t).isoformat(timespec="milliseconds") + "Z"


# --- the verifier ---------------------------------------------------------------------------------------------------

class _Bundle:
    def __init__(self, data: bytes, ca: List[x509.Certificate], tsa: List[x509.Certificate],
                 allow_unstamped: bool, allow_unprovable: bool):
        self.ca, self.tsa = ca, tsa
        self.allow_unstamped, self.allow_unprovable = allow_unstamped, allow_unprovable
        self.timeline: List[dict] = []
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = [n for n in archive.namelist() if not n.endswith("/")]
        except Exception as e:  # noqa: BLE001 - BadZipFile, NotImplementedError (a version it cannot read), ...
            raise _Fail(BUNDLE, f"not a readable zip: {e}")
        self.parts: Dict[str, bytes] = {}
        for name in names:
            if name in self.parts:
                raise _Fail(name, "the part occurs twice in the zip")
            try:
                self.parts[name] = archive.read(name)
            except Exception as e:  # noqa: BLE001 - BadZipFile (CRC, header), zlib.error, NotImplementedError, ...
                raise _Fail(name, f"unreadable: {e}")
        self.manifest = self.json("manifest.json")
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT:
            raise _Fail("manifest.json", f"not a {FORMAT} manifest")
        self.record_id = self.manifest.get("record_id")
        try:
            self.exported_at = _timestamp(self.manifest["exported_at"])
        except (KeyError, TypeError, ValueError) as e:
            raise _Fail("manifest.json", f"no RFC 3339 exported_at: {e}")
        self._checkpoints: Dict[str, dict] = {}
        self.current = "manifest.json"  # the part being checked: named if it is malformed in a way no check foresaw

    def part(self, path: str, referrer: Optional[str] = None) -> bytes:
        if path not in self.parts:
            raise _Fail(referrer or path, f"missing part {path}" if referrer else "missing")
        return self.parts[path]

    def json(self, path: str, referrer: Optional[str] = None):
        try:
            return json.loads(self.part(path, referrer).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise _Fail(path, f"not valid JSON: {e}")

    def certificate(self, path: str, referrer: str, at: Optional[datetime.datetime], use: str) -> x509.Certificate:
        """A bundle certificate that chains to a trusted CA and is valid at `at`, or fails the certificate's part."""
        if not re.fullmatch(r"certs/(agency-[0-9a-f]{16}|hub-[^/]+)\.crt", path or ""):
            raise _Fail(referrer, f"names no agency or hub certificate part ({path!r})")
        # a missing agency certificate is named itself, a missing hub key certificate by the part its key signed
        raw = self.part(path, referrer if path.startswith("certs/hub-") else None)
        try:
            cert = _load_certs(raw)[0]
        except ValueError as e:
            raise _Fail(path, f"not a certificate: {e}")
        if path.startswith("certs/agency-"):
            der_hash = hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()
            if path != f"certs/agency-{der_hash[:16]}.crt":
                raise _Fail(path, "the name is not the first 16 hex of the certificate's SHA-256")
        issuers = [ca for ca in self.ca if self._issued_by(cert, ca)]
        if not issuers:
            raise _Fail(path, "does not chain to a trusted CA certificate")
        if at is not None and not any(_valid_at(ca, at) for ca in issuers):
            raise _Fail(path, f"its CA certificate is not valid at {_iso(at)} ({use})")
        if at is not None and not _valid_at(cert, at):
            raise _Fail(path, f"not valid at {_iso(at)} ({use})")
        return cert

    @staticmethod
    def _issued_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
        if cert.issuer != ca.subject:
            return False
        try:
            _verify_signature(ca.public_key(), cert.signature, cert.tbs_certificate_bytes, cert.signature_hash_algorithm)
            return True
        except (InvalidSignature, ValueError, TypeError):
            return False

    def hub_certificate(self, key_id: str, referrer: str, at: Optional[datetime.datetime], use: str) -> x509.Certificate:
        if not key_id or "/" in key_id:
            raise _Fail(referrer, "names no hub key")
        return self.certificate(f"certs/hub-{key_id}.crt", referrer, at, use)

    def verify_hub_signature(self, part: str, key_id: str, signature: bytes, data: bytes,
                             at: Optional[datetime.datetime], use: str):
        cert = self.hub_certificate(key_id, part, at, use)
        try:
            _verify_signature(cert.public_key(), _p1363_to_der(signature), data, hashes.SHA256())
        except (InvalidSignature, ValueError, TypeError):
            raise _Fail(part, f"the hub signature does not verify with certs/hub-{key_id}.crt")

    # -- versions and receipts --

    def versions(self):
        paths = sorted(p for p in self.parts if p.startswith("versions/") and p.endswith("/version.json"))
        for path in paths:
            folder = path[: -len("version.json")]
            self.current = path
            v = self.json(path)
            if not isinstance(v, dict) or v.get("record_id") != self.record_id:
                raise _Fail(path, "names another record than the manifest")
            entry = {"kind": "version", "part": path, "version": v.get("version"), "change": v.get("change"),
                     "status": v.get("status"), "agency_id": v.get("agency_id"), "time": v.get("changed_at")}
            request = v.get("request")
            if not isinstance(request, dict):  # as the C# verifier: anything but an object is no signed request
                request = None
            if request is not None:
                self.request(path, folder, v, request)
                entry.update(signer=request.get("agency_id"), signed_at=request.get("signed_at"))
            self.timeline.append(entry)
            receipt_path = v.get("receipt")
            if isinstance(receipt_path, str):
                self.receipt(receipt_path, v, request)

    def request(self, path: str, folder: str, v: dict, request: dict):
        try:
            signed_at = _timestamp(request["signed_at"])
            digest = bytes.fromhex(request["signing_input_sha256"])
            signature = _b64(request["signature"])
            nonce = _b64(request["nonce"])
        except (KeyError, TypeError, ValueError) as e:
            raise _Fail(path, f"malformed request: {e}")
        if len(digest) != 32:
            raise _Fail(path, "signing_input_sha256 is not a SHA-256")
        agency = request.get("agency_id")
        cert = self.certificate(request.get("certificate"), path, signed_at, "the request's signed_at")
        try:
            uris = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
                x509.UniformResourceIdentifier)
        except x509.ExtensionNotFound:
            uris = []
        if AGENCY_URI_PREFIX + str(agency) not in uris:
            raise _Fail(request["certificate"], f"does not name agency {agency!r}")
        try:
            _verify_signature(cert.public_key(), signature, digest, hashes.SHA256(), prehashed=True)
        except (InvalidSignature, ValueError, TypeError):
            raise _Fail(path, "the agency signature does not verify over signing_input_sha256")
        input_path = folder + "signing-input.bin"
        if input_path in self.parts:
            data = self.parts[input_path]
            if hashlib.sha256(data).digest() != digest:
                raise _Fail(input_path, "its SHA-256 is not the version's signing_input_sha256")
            try:
                si = signing_pb2.SigningInput.FromString(data)
            except Exception as e:  # noqa: BLE001 - protobuf's DecodeError and friends
                raise _Fail(input_path, f"not a SigningInput: {e}")
            expected_at = timestamp_pb2.Timestamp()
            expected_at.FromJsonString(request["signed_at"])
            # compared at microsecond precision (docs/evidence.md: the JSON times carry at most 6-7 digits)
            if si.method != request.get("method") or si.agency_id != agency or si.nonce != nonce \
                    or (si.signed_at.seconds, si.signed_at.nanos // 1000) != (expected_at.seconds, expected_at.nanos // 1000):
                raise _Fail(path, "the request's method, agency, signed_at or nonce differ from signing-input.bin")

    def receipt(self, path: str, v: dict, request: Optional[dict]):
        self.current = path
        try:
            receipt = receipts_pb2.Receipt.FromString(self.part(path))
            payload = receipts_pb2.ReceiptPayload.FromString(receipt.signed_payload)
        except _Fail:
            raise
        except Exception as e:  # noqa: BLE001
            raise _Fail(path, f"not a Receipt: {e}")
        self.verify_hub_signature(path, receipt.key_id, receipt.signature, receipt.signed_payload, self.exported_at,
                                  "the export")
        if payload.key_id != receipt.key_id:
            raise _Fail(path, "the payload names another key than the receipt")
        if payload.record_id != self.record_id:
            raise _Fail(path, "the receipt is for another record")
        if payload.content_sha256 != v.get("content_sha256"):
            raise _Fail(path, "content_sha256 differs from the version's")
        if request is not None and payload.request_sha256 != request.get("signing_input_sha256"):
            raise _Fail(path, "request_sha256 differs from the version's signing_input_sha256")
        self.timeline.append({"kind": "receipt", "part": path, "time": _iso(payload.accepted_at.ToDatetime()),
                              "sequence": payload.sequence, "key_id": receipt.key_id, "agency_id": payload.agency_id})

    # -- audit entries, checkpoints, time-stamps --

    def checkpoint(self, number: int, referrer: str) -> dict:
        path = f"checkpoints/{number}.bin"
        if path in self._checkpoints:
            return self._checkpoints[path]
        try:
            signed = audit_pb2.SignedChainCheckpoint.FromString(self.part(path, referrer))
            statement = _decode_checkpoint(signed.checkpoint)
        except _Fail:
            raise
        except Exception as e:  # noqa: BLE001
            raise _Fail(path, f"not a SignedChainCheckpoint: {e}")
        if statement["number"] != number:
            raise _Fail(path, "the signed statement carries another number")
        if statement["key_id"] != signed.key_id:
            raise _Fail(path, "the signed statement names another key")
        self.verify_hub_signature(path, signed.key_id, signed.signature, signed.checkpoint, statement["time"], "checkpoint time")
        statement["bytes"] = signed.checkpoint
        self._checkpoints[path] = statement
        return statement

    def audit_entries(self):
        for path in sorted(p for p in self.parts if p.startswith("audit/")):
            self.current = path
            e = self.json(path)
            try:
                canonical = _b64(e["public_canonical"])
                mac = _b64(e["mac"])
                segment, position, sequence = int(e["segment"]), int(e["position"]), int(e["sequence"])
                leaf = bytes.fromhex(e["leaf"])
            except (KeyError, TypeError, ValueError) as x:
                raise _Fail(path, f"malformed audit entry: {x}")
            if path != f"audit/{segment}-{position}.json":
                raise _Fail(path, "its segment and position do not match its name")
            if leaf_hash(leaf_input(segment, position, sequence, canonical, mac)) != leaf:
                raise _Fail(path, "leaf is not the hash of the entry's public leaf input")
            try:
                fields = decode_public_canonical(canonical)
            except (ValueError, UnicodeDecodeError, struct.error) as x:
                raise _Fail(path, f"public_canonical does not decode: {x}")
            for name in ("agency_id", "method", "status_code", "reason"):
                if name in e and e[name] != fields[name]:
                    raise _Fail(path, f"{name} differs from the entry's public_canonical")
            if self.record_id not in (fields["record_ids"] or "").split(","):
                raise _Fail(path, "the entry does not name the record")
            entry = {"kind": "audit-entry", "part": path, "time": _iso(fields["at"]), "method": fields["method"],
                     "agency_id": fields["agency_id"], "status_code": fields["status_code"], "segment": segment,
                     "position": position, "checkpoint": None}
            proof = e.get("proof")
            if proof is None:
                if not self.allow_unprovable:
                    raise _Fail(path, "not provable offline (no checkpoint with a Merkle root covers it)")
            else:
                try:
                    number, index, size = int(proof["checkpoint"]), int(proof["leaf_index"]), int(proof["tree_size"])
                    steps = [bytes.fromhex(h) for h in proof["path"]]
                except (KeyError, TypeError, ValueError) as x:
                    raise _Fail(path, f"malformed proof: {x}")
                cp = self.checkpoint(number, path)
                if not cp["entries_root"]:
                    if not self.allow_unprovable:
                        raise _Fail(path, f"not provable offline (checkpoint {number} has no Merkle root)")
                else:
                    if cp["chain_segment"] != segment or size != cp["entries_count"] \
                            or index != position - cp["entries_from_position"]:
                        raise _Fail(path, f"the proof does not place the entry in checkpoint {number}'s tree")
                    if merkle_root_from_path(leaf, index, size, steps) != cp["entries_root"]:
                        raise _Fail(path, f"the inclusion path does not reach checkpoint {number}'s entries_root")
                    entry["checkpoint"] = number
            self.timeline.append(entry)

    def checkpoints(self):
        numbers = []
        for path in self.parts:
            m = re.fullmatch(r"checkpoints/(.*)\.bin", path)
            if m:
                if not m.group(1).isdigit():
                    raise _Fail(path, "not named by a checkpoint number")
                numbers.append(int(m.group(1)))
        for number in sorted(numbers):
            self.current = f"checkpoints/{number}.bin"
            cp = self.checkpoint(number, f"checkpoints/{number}.tsr")
            entry = {"kind": "checkpoint", "part": f"checkpoints/{number}.bin", "number": number,
                     "time": _iso(cp["time"]), "segment": cp["chain_segment"], "chain_position": cp["chain_position"],
                     "tsa_time": None}
            tsr = f"checkpoints/{number}.tsr"
            if tsr in self.parts:
                self.current = tsr
                entry["tsa_time"] = _iso(self.timestamp(tsr, cp["bytes"]))
            elif not self.allow_unstamped:
                raise _Fail(tsr, "missing: the checkpoint is not time-stamped")
            self.timeline.append(entry)

    def timestamp(self, path: str, stamped: bytes) -> datetime.datetime:
        try:
            info = _cms.ContentInfo.load(self.parts[path])
            if info["content_type"].native != "signed_data":
                raise ValueError("not CMS SignedData")
            sd = info["content"]
            encap = sd["encap_content_info"]
            if encap["content_type"].native != "tst_info":
                raise ValueError("does not encapsulate a TSTInfo")
            tst_der = encap["content"].contents
            tst = _tsp.TSTInfo.load(tst_der)
            signers = sd["signer_infos"]
            if len(signers) != 1:
                raise ValueError("not exactly one signer")
            signer = signers[0]
            digest_name = signer["digest_algorithm"]["algorithm"].native
            attrs = signer["signed_attrs"]
            if not attrs.native:
                raise ValueError("no signed attributes")
            digest = [a["values"][0].native for a in attrs if a["type"].native == "message_digest"]
            # RFC 3161 2.4.1 / RFC 5816: the TSA's certificate named by its hash (ESSCertID SHA-1 or ESSCertIDv2)
            ess = []
            for a in attrs:
                if a["type"].native == "signing_certificate_v2":
                    cert_id = a["values"][0]["certs"][0]
                    ess.append((cert_id["hash_algorithm"]["algorithm"].native, cert_id["cert_hash"].native))
                elif a["type"].native == "signing_certificate":
                    ess.append(("sha1", a["values"][0]["certs"][0]["cert_hash"].native))
            if not ess:
                raise ValueError("no ESS signingCertificate attribute naming the TSA's certificate")
            signature = signer["signature"].native
            signed_attrs_der = b"\x31" + attrs.dump()[1:]
            imprint = tst["message_imprint"]
            imprint_alg = imprint["hash_algorithm"]["algorithm"].native
            imprint_hash = imprint["hashed_message"].native
            gen_time = tst["gen_time"].native
        except _Fail:
            raise
        except Exception as e:  # noqa: BLE001 - asn1crypto raises ValueError/TypeError/KeyError on bad DER
            raise _Fail(path, f"not an RFC 3161 time-stamp token: {e}")
        if digest_name not in _HASHES:
            raise _Fail(path, f"unsupported digest {digest_name}")
        hash_algorithm = _HASHES[digest_name]()
        if len(digest) != 1 or digest[0] != hashlib.new(digest_name, tst_der).digest():
            raise _Fail(path, "the messageDigest attribute is not the digest of the TSTInfo")
        for tsa in self.tsa:
            try:
                _verify_signature(tsa.public_key(), signature, signed_attrs_der, hash_algorithm)
            except (InvalidSignature, ValueError, TypeError):
                continue
            try:
                eku = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            except x509.ExtensionNotFound:
                eku = []
            if not any(o.dotted_string == _TIME_STAMPING for o in eku):
                raise _Fail(path, "the TSA certificate lacks the timeStamping extended key usage")
            if not _valid_at(tsa, gen_time):
                raise _Fail(path, "the TSA certificate is not valid at the token's genTime")
            der = tsa.public_bytes(Encoding.DER)
            if not any(name in ("sha1", "sha256", "sha384", "sha512") and hashlib.new(name, der).digest() == h
                       for name, h in ess):
                raise _Fail(path, "the token's ESS signingCertificate does not name the TSA certificate")
            break
        else:
            raise _Fail(path, "the token's signature does not verify with a trusted TSA certificate")
        if imprint_alg != "sha256" or imprint_hash != hashlib.sha256(stamped).digest():
            raise _Fail(path, "the message imprint is not the SHA-256 of the checkpoint statement")
        return gen_time

    # -- the manifest --

    def manifest_check(self):
        self.current = "manifest.sig"
        sig = self.json("manifest.sig")
        try:
            key_id, signature = sig["key_id"], _b64(sig["signature"])
        except (KeyError, TypeError, ValueError) as e:
            raise _Fail("manifest.sig", f"malformed: {e}")
        try:
            self.verify_hub_signature("manifest.sig", key_id, signature, self.parts["manifest.json"], self.exported_at,
                                      "the export")
        except _Fail as f:
            if f.part != "manifest.sig":
                raise
            raise _Fail("manifest.json", f"manifest.sig does not verify over it with certs/hub-{key_id}.crt")
        if self.manifest.get("hub_key_id") != key_id or not isinstance(self.record_id, str):
            raise _Fail("manifest.json", f"not a {FORMAT} manifest of this bundle")
        if not isinstance(self.manifest.get("parts"), list):
            raise _Fail("manifest.json", "lists no parts")
        listed = set()
        for p in self.manifest["parts"]:
            path = p.get("path") if isinstance(p, dict) else None
            if not isinstance(path, str) or path in ("manifest.json", "manifest.sig") or path in listed:
                raise _Fail("manifest.json", f"lists an invalid or repeated part {path!r}")
            listed.add(path)
            self.current = "manifest.json"
            if path not in self.parts:
                raise _Fail(path, "listed in the manifest but missing")
            if hashlib.sha256(self.parts[path]).hexdigest() != str(p.get("sha256", "")).lower():
                raise _Fail(path, "its SHA-256 differs from the manifest's")
        for path in sorted(self.parts):
            if path not in listed and path not in ("manifest.json", "manifest.sig"):
                raise _Fail(path, "not listed in the manifest")


def _b64(text) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text, validate=True)


def verify_evidence_bundle(bundle: bytes, ca_pem: Union[str, bytes, Sequence], tsa_pem: Union[str, bytes, Sequence],
                           allow_unstamped: bool = False, allow_unprovable: bool = False) -> EvidenceResult:
    """Verifies an evidence bundle offline against the trusted CA and TSA certificate(s) (PEM text or bytes; a PEM
    may hold several). Answers ok, or the first failing part by its path in the zip (``"(bundle)"`` for an unreadable
    zip) and a reason; the timeline lists what the verified parts state (versions, receipts, audit entries,
    checkpoints with the TSA's genTime). A checkpoint without a time-stamp token fails unless ``allow_unstamped``; an
    audit entry no checkpoint with a Merkle root covers fails unless ``allow_unprovable``."""
    ca, tsa = _load_certs(ca_pem), _load_certs(tsa_pem)
    timeline: List[dict] = []
    b = None
    try:
        b = _Bundle(bytes(bundle), ca, tsa, allow_unstamped, allow_unprovable)
        timeline = b.timeline
        b.checkpoints()
        b.versions()
        b.audit_entries()
        b.manifest_check()
    except _Fail as f:
        return EvidenceResult(ok=False, failed_part=f.part, reason=f.reason, timeline=_by_time(timeline))
    except Exception as e:  # noqa: BLE001 - a part malformed in a way no check foresaw still names the part
        return EvidenceResult(ok=False, failed_part=b.current if b else BUNDLE, reason=f"malformed: {e!r}",
                              timeline=_by_time(timeline))
    return EvidenceResult(ok=True, timeline=_by_time(timeline))


def _by_time(timeline: List[dict]) -> List[dict]:
    def key(e):
        try:
            return _timestamp(e["time"]).timestamp()
        except (KeyError, TypeError, ValueError):
            return float("inf")
    return sorted(timeline, key=key)
