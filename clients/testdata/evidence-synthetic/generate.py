"""Writes the synthetic evidence bundle the TypeScript and Python SDK tests verify (bundle.zip, ca.crt, tsa.crt) and
its tampered copies (cases.json names each with the part the verifiers must report), plus ../merkle-vector.json.

Everything is minted here (throw-away keys, a CA, an agency, a hub key and a TSA certificate, an RFC 3161 token built
with asn1crypto), independently of the hub (checkpoint 4's token by `openssl ts -reply`): the SDKs' verifiers are checked against bytes laid out by the spec
(/docs/evidence.md), and against the hub's real export in ../evidence/ where that exists.
Run: /usr/bin/python3 clients/testdata/evidence-synthetic/generate.py (python3-cryptography, python3-asn1crypto).
"""

import base64
import datetime
import hashlib
import io
import json
import os
import struct
import sys
import zipfile

from asn1crypto import cms, tsp
from asn1crypto import x509 as a_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa, padding, utils
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from google.protobuf import timestamp_pb2

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "python", "src"))
import creditexchange_client  # noqa: E402,F401  (puts the generated stubs on sys.path)
from creditexchange.api.v1 import signing_pb2  # noqa: E402
from creditexchange.audit.v1 import audit_pb2  # noqa: E402
from creditexchange.receipts.v1 import receipts_pb2  # noqa: E402

UTC = datetime.timezone.utc
NOT_BEFORE = datetime.datetime(2020, 1, 1)
NOT_AFTER = datetime.datetime(2099, 12, 31)
RECORD_ID = "3f1c2b7e-5d4a-4c1b-9e8f-0a1b2c3d4e5f"


# --- Merkle tree, straight from RFC 6962 section 2.1 (recursive), independent of the verifiers -------------------

def leaf(data):
    return hashlib.sha256(b"\x00" + data).digest()


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def path(m, leaves):
    if len(leaves) == 1:
        return []
    k = split(len(leaves))
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def merkle_vector():
    data = [hashlib.sha256(b"leaf-%d" % i).digest() for i in range(9)]
    trees = []
    for n in range(1, 10):
        leaves = [leaf(d) for d in data[:n]]
        trees.append({"tree_size": n, "root": mth(leaves).hex(),
                      "paths": [[h.hex() for h in path(m, leaves)] for m in range(n)]})
    return {"description": "RFC 6962 Merkle tree heads and inclusion paths: leaf i = SHA-256(0x00 | leaf_inputs[i]); "
                           "trees[n-1] covers the first n leaves; paths[m] is PATH(m, D[n]).",
            "leaf_inputs": [d.hex() for d in data], "trees": trees}


# --- certificates ----------------------------------------------------------------------------------------------------

def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def issue(subject_key, cn, issuer_key, issuer_name, ca=False, uri=None, eku=None):
    b = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(issuer_name or name(cn))
         .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if uri:
        b = b.add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(uri)]), critical=False)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return b.sign(issuer_key, hashes.SHA256())


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def der_name(cert):
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()[:16]


def p1363(key, data):
    r, s = utils.decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def ts(text):
    t = timestamp_pb2.Timestamp()
    t.FromJsonString(text)
    return t


# --- the bundle ------------------------------------------------------------------------------------------------------

def string(value):
    if value is None:
        return struct.pack(">i", -1)
    b = value.encode()
    return struct.pack(">i", len(b)) + b


def public_canonical(at, agency, method, purpose, status, reason):
    nonce = os.urandom(16)
    ticks = int((at - datetime.datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 10**7) + 621355968000000000
    purpose_hash = hashlib.sha256(purpose.encode()).hexdigest() if purpose is not None else None
    return (string("ce-audit-entry-v2") + struct.pack(">i", len(nonce)) + nonce + struct.pack(">q", ticks)
            + string(agency) + string(f"CN={agency}") + string("AB" * 20) + string(method) + string("")
            + string(purpose_hash) + struct.pack(">q", status) + string(reason) + string(RECORD_ID))


def timestamp_token(tsa_key, tsa_cert, statement, gen_time, imprint=None, ess=True):
    tst = tsp.TSTInfo({
        "version": "v1", "policy": "1.3.6.1.4.1.99999.1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                            "hashed_message": imprint or hashlib.sha256(statement).digest()},
        "serial_number": 7, "gen_time": gen_time, "nonce": 42})
    tst_der = tst.dump()
    cert = a_x509.Certificate.load(tsa_cert.public_bytes(serialization.Encoding.DER))
    attrs = [
        {"type": "content_type", "values": ["tst_info"]},
        {"type": "signing_time", "values": [cms.Time({"utc_time": gen_time})]},
        {"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]},
    ]
    if ess:  # RFC 3161 2.4.1 / RFC 5816: the TSA's certificate, by its SHA-256 (ESSCertIDv2)
        attrs.append({"type": "signing_certificate_v2", "values": [{"certs": [
            {"cert_hash": hashlib.sha256(cert.dump()).digest()}]}]})
    attrs = cms.CMSAttributes(attrs)
    signature = tsa_key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": {"issuer": cert.issuer, "serial_number": cert.serial_number}}),
        "digest_algorithm": {"algorithm": "sha256"}, "signed_attrs": attrs,
        "signature_algorithm": {"algorithm": "sha256_ecdsa"}, "signature": signature})
    sd = cms.SignedData({
        "version": "v3", "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": "tst_info", "content": cms.ParsableOctetString(tst_der)},
        "certificates": [cert], "signer_infos": [signer]})
    return cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump()


def openssl_token(tsa_key, tsa_cert, statement):
    """The same kind of token made by an independent implementation: `openssl ts -reply` (genTime: now)."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        def write(name, data):
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        write("tsa.key", tsa_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        write("tsa.crt", pem(tsa_cert))
        write("serial", b"01\n")
        write("tsa.cnf", f"""[ tsa ]
default_tsa = tsa1
[ tsa1 ]
serial = {d}/serial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.2
digests = sha256
ess_cert_id_alg = sha256
""".encode())
        run = lambda *args: subprocess.run(["openssl", "ts", *args], check=True, capture_output=True)  # noqa: E731
        run("-query", "-digest", hashlib.sha256(statement).hexdigest(), "-sha256", "-cert", "-out", f"{d}/req.tsq")
        run("-reply", "-queryfile", f"{d}/req.tsq", "-config", f"{d}/tsa.cnf", "-inkey", f"{d}/tsa.key",
            "-signer", f"{d}/tsa.crt", "-token_out", "-out", f"{d}/token.der")
        with open(f"{d}/token.der", "rb") as f:
            return f.read()


def chain_checkpoint(number, segment, from_position, count, root, time, key_id):
    """ChainCheckpoint with fields 7-9 appended by hand (the committed stubs may predate them)."""
    c = audit_pb2.ChainCheckpoint(chain_position=from_position + count - 1, entry_hash="00" * 32, key_id=key_id,
                                  chain_segment=segment, number=number)
    c.time.CopyFrom(ts(time))
    body = c.SerializeToString(deterministic=True)  # fields 1-6
    def varint(v):
        out = b""
        while True:
            b, v = v & 0x7F, v >> 7
            out += bytes([b | (0x80 if v else 0)])
            if not v:
                return out
    if not any(f.number == 7 for f in audit_pb2.ChainCheckpoint.DESCRIPTOR.fields):
        body += b"\x38" + varint(from_position) + b"\x40" + varint(count) + b"\x4a" + varint(len(root)) + root
    else:
        c.entries_from_position, c.entries_count, c.entries_root = from_position, count, root
        body = c.SerializeToString(deterministic=True)
    return body


def build():
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = issue(ca_key, "Synthetic Evidence CA", ca_key, None, ca=True)
    agency_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    agency = issue(agency_key, "court", ca_key, ca.subject, uri="urn:creditexchange:agency:court")
    ec_agency_key = ec.generate_private_key(ec.SECP256R1())
    ec_agency = issue(ec_agency_key, "drc", ca_key, ca.subject, uri="urn:creditexchange:agency:drc")
    hub_key = ec.generate_private_key(ec.SECP256R1())
    hub = issue(hub_key, "CreditExchange hub signing key k1", ca_key, ca.subject, uri="urn:creditexchange:hub-key:k1")
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    tsa = issue(tsa_key, "Synthetic TSA", tsa_key, None, eku=[ExtendedKeyUsageOID.TIME_STAMPING])
    parts = {}

    def certs():
        parts[f"certs/ca-{der_name(ca)}.crt"] = pem(ca)
        parts[f"certs/tsa-{der_name(tsa)}.crt"] = pem(tsa)
        parts["certs/hub-k1.crt"] = pem(hub)
    certs()

    # two versions: 1 submitted by court (RSA, with signing-input.bin), 2 an EC-signed change by drc
    content = {"title": "synthetic"}
    for v, (agency_id, key, cert) in enumerate([("court", agency_key, agency), ("drc", ec_agency_key, ec_agency)], 1):
        cert_path = f"certs/agency-{der_name(cert)}.crt"
        parts[cert_path] = pem(cert)
        method = "/creditexchange.records.v1.RecordService/SubmitRecord" if v == 1 else "/creditexchange.lifecycle.v1.LifecycleService/Revoke"
        signed_at = f"2026-12-0{v}T08:00:00.123456789Z"
        nonce = os.urandom(16)
        si = signing_pb2.SigningInput(method=method, agency_id=agency_id, nonce=nonce, request=b"\x0a\x03abc")
        si.signed_at.CopyFrom(ts(signed_at))
        si_bytes = si.SerializeToString(deterministic=True)
        if isinstance(key, rsa.RSAPrivateKey):
            sig = key.sign(si_bytes, padding.PKCS1v15(), hashes.SHA256())
        else:
            sig = key.sign(si_bytes, ec.ECDSA(hashes.SHA256()))
        content_sha = hashlib.sha256(json.dumps(content).encode() + bytes([v])).hexdigest()
        folder = f"versions/{v:04d}/"
        payload = receipts_pb2.ReceiptPayload(record_id=RECORD_ID, agency_id=agency_id, source_record_id="src-1",
                                              content_sha256=content_sha, sequence=100 + v, key_id="k1",
                                              request_sha256=hashlib.sha256(si_bytes).hexdigest())
        payload.accepted_at.CopyFrom(ts(f"2026-12-0{v}T08:00:01Z"))
        payload_bytes = payload.SerializeToString(deterministic=True)
        receipt = receipts_pb2.Receipt(signed_payload=payload_bytes, key_id="k1", signature=p1363(hub_key, payload_bytes))
        parts[folder + "receipt.bin"] = receipt.SerializeToString(deterministic=True)
        if v == 1:
            parts[folder + "signing-input.bin"] = si_bytes
        parts[folder + "version.json"] = json.dumps({
            "record_id": RECORD_ID, "version": v, "change": "RECORD_CHANGE_CREATED" if v == 1 else "RECORD_CHANGE_REVOKED",
            "status": "RECORD_STATUS_PUBLISHED" if v == 1 else "RECORD_STATUS_REVOKED", "agency_id": agency_id,
            "changed_at": f"2026-12-0{v}T08:00:01Z", "content_sha256": content_sha, "masked_content": content,
            "request": {"method": method, "agency_id": agency_id, "signed_at": signed_at,
                        "nonce": base64.b64encode(nonce).decode(), "signing_input_sha256": hashlib.sha256(si_bytes).hexdigest(),
                        "signature": base64.b64encode(sig).decode(), "certificate": cert_path},
            "receipt": folder + "receipt.bin"}, indent=2).encode()

    # audit: checkpoint 3 covers positions 10..14 of segment 0 (entries 10, 12 name the record), checkpoint 4
    # covers 15..17 (entry 16 names it); checkpoint 4 is stamped, 3 is stamped too
    checkpoints = [(3, 10, 5, "2026-12-01T09:00:00Z"), (4, 15, 3, "2026-12-02T09:00:00Z")]
    ours = {10: 3, 12: 3, 16: 4}
    for number, first, count, time in checkpoints:
        entries = {}
        for position in range(first, first + count):
            at = datetime.datetime(2026, 12, 1, 8, 0, position, tzinfo=UTC)
            canonical = public_canonical(at, "court", "/creditexchange.records.v1.RecordService/SubmitRecord",
                                         "evidence for a case", 0, None)
            mac = hashlib.sha256(b"mac" + canonical).digest()
            leaf_input = b"ce-audit-leaf-v1" + struct.pack(">qqq", 0, position, 1000 + position) + canonical + mac
            entries[position] = (at, canonical, mac, leaf(leaf_input))
        leaves = [entries[p][3] for p in range(first, first + count)]
        root = mth(leaves)
        statement = chain_checkpoint(number, 0, first, count, root, time, "k1")
        signed = audit_pb2.SignedChainCheckpoint(checkpoint=statement, key_id="k1", signature=p1363(hub_key, statement))
        parts[f"checkpoints/{number}.bin"] = signed.SerializeToString(deterministic=True)
        gen_time = datetime.datetime.fromisoformat(time.replace("Z", "+00:00")) + datetime.timedelta(seconds=2)
        # checkpoint 3's token built here, checkpoint 4's by openssl
        parts[f"checkpoints/{number}.tsr"] = (timestamp_token(tsa_key, tsa, statement, gen_time) if number == 3
                                              else openssl_token(tsa_key, tsa, statement))
        for position, cp in ours.items():
            if cp != number:
                continue
            at, canonical, mac, lf = entries[position]
            parts[f"audit/0-{position}.json"] = json.dumps({
                "segment": 0, "position": position, "sequence": 1000 + position,
                "at": at.isoformat().replace("+00:00", "Z"), "agency_id": "court",
                "method": "/creditexchange.records.v1.RecordService/SubmitRecord", "status_code": 0, "reason": None,
                "public_canonical": base64.b64encode(canonical).decode(), "mac": base64.b64encode(mac).decode(),
                "leaf": lf.hex(), "proof": {"checkpoint": number, "leaf_index": position - first, "tree_size": count,
                                             "path": [h.hex() for h in path(position - first, leaves)]}}, indent=2).encode()
    parts["recipients.json"] = b"[]"
    keys = dict(hub_key=hub_key, tsa_key=tsa_key, tsa=tsa, agency_ec_key=ec_agency_key,
                agency_ec_cert=f"certs/agency-{der_name(ec_agency)}.crt")
    return ca, tsa, parts, keys


def kind(p):
    if p.endswith("version.json"):
        return "version"
    for suffix, k in (("signing-input.bin", "signing-input"), ("receipt.bin", "receipt"), (".tsr", "timestamp")):
        if p.endswith(suffix):
            return k
    return {"audit": "audit-entry", "checkpoints": "checkpoint", "certs": "certificate"}.get(p.split("/")[0], "recipients")


def seal(parts, hub_key, skip_manifest=()):
    manifest = {"format": "creditexchange-evidence/1", "record_id": RECORD_ID, "exported_at": "2026-12-05T10:00:00Z",
                "exported_by": "drc", "hub_key_id": "k1", "personal_data": "signed-requests-included",
                "parts": [{"path": p, "sha256": hashlib.sha256(b).hexdigest(), "kind": kind(p)}
                          for p, b in sorted(parts.items()) if p not in skip_manifest]}
    m = json.dumps(manifest, indent=2).encode()
    sig = json.dumps({"key_id": "k1", "signature": base64.b64encode(p1363(hub_key, m)).decode()}).encode()
    return m, sig


def zipped(parts, manifest, sig):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", manifest)
        z.writestr("manifest.sig", sig)
        for p, b in sorted(parts.items()):
            z.writestr(p, b)
    return out.getvalue()


def edit_json(data, change):
    obj = json.loads(data)
    change(obj)
    return json.dumps(obj, indent=2).encode()


def main():
    ca, tsa, parts, keys = build()
    hub_key = keys["hub_key"]
    m, sig = seal(parts, hub_key)
    with open(os.path.join(here, "bundle.zip"), "wb") as f:
        f.write(zipped(parts, m, sig))
    with open(os.path.join(here, "ca.crt"), "wb") as f:
        f.write(pem(ca))
    with open(os.path.join(here, "tsa.crt"), "wb") as f:
        f.write(pem(tsa))

    def flip_last(b):
        return b[:-1] + bytes([b[-1] ^ 1])

    cases = []

    def case(name, expected, changes, reseal=True, drop=(), extra=None, manifest_change=None):
        """changes: part -> new bytes; reseal: the manifest lists the changed bytes and is re-signed (so only the
        part's own cryptography can catch it)."""
        p = dict(parts)
        p.update(changes)
        for d in drop:
            del p[d]
        if reseal:
            mm, ss = seal(p, hub_key)
        else:
            mm, ss = m, sig
        if manifest_change:
            mm, ss = manifest_change(mm, ss)
        if extra:
            p.update(extra)
        file = f"tampered-{len(cases) + 1:02d}.zip"
        with open(os.path.join(here, file), "wb") as f:
            f.write(zipped(p, mm, ss))
        cases.append({"file": file, "case": name, "failed_part": expected})

    v1 = "versions/0001/version.json"
    case("agency signature altered (re-sealed)", v1,
         {v1: edit_json(parts[v1], lambda o: o["request"].update(signature=base64.b64encode(b"\x00" * 256).decode()))})
    v2 = "versions/0002/version.json"
    case("ECDSA agency signature over other bytes (re-sealed)", v2,
         {v2: edit_json(parts[v2], lambda o: o["request"].update(signature=base64.b64encode(
             keys["agency_ec_key"].sign(b"other bytes", ec.ECDSA(hashes.SHA256()))).decode()))})
    case("request naming another agency than its certificate (re-sealed)", keys["agency_ec_cert"],
         {v2: edit_json(parts[v2], lambda o: o["request"].update(agency_id="court"))})
    case("signing input altered", "versions/0001/signing-input.bin",
         {"versions/0001/signing-input.bin": parts["versions/0001/signing-input.bin"] + b"\x00"})
    case("receipt signature altered", "versions/0002/receipt.bin",
         {"versions/0002/receipt.bin": flip_last(parts["versions/0002/receipt.bin"])})
    case("content hash altered in version.json (re-sealed)", "versions/0002/receipt.bin",
         {"versions/0002/version.json": edit_json(parts["versions/0002/version.json"], lambda o: o.update(content_sha256="0" * 64))})
    case("audit entry's method altered (re-sealed)", "audit/0-12.json",
         {"audit/0-12.json": edit_json(parts["audit/0-12.json"], lambda o: o.update(
             public_canonical=base64.b64encode(base64.b64decode(o["public_canonical"]).replace(b"SubmitRecord", b"SubmitRecorx")).decode()))})
    case("audit entry's inclusion path altered (re-sealed)", "audit/0-16.json",
         {"audit/0-16.json": edit_json(parts["audit/0-16.json"], lambda o: o["proof"]["path"].__setitem__(0, "00" * 32))})
    case("checkpoint signature altered", "checkpoints/3.bin", {"checkpoints/3.bin": flip_last(parts["checkpoints/3.bin"])})
    case("time-stamp token altered", "checkpoints/4.tsr", {"checkpoints/4.tsr": flip_last(parts["checkpoints/4.tsr"])})
    case("time-stamp token missing", "checkpoints/4.tsr", {}, drop=["checkpoints/4.tsr"])
    statement3 = audit_pb2.SignedChainCheckpoint.FromString(parts["checkpoints/3.bin"]).checkpoint
    case("time-stamp token without the TSA's ESS certificate id (re-sealed)", "checkpoints/3.tsr",
         {"checkpoints/3.tsr": timestamp_token(keys["tsa_key"], tsa, statement3,
                                               datetime.datetime(2026, 12, 1, 9, 0, 2, tzinfo=UTC), ess=False)})
    case("time-stamp token over other bytes (re-sealed)", "checkpoints/3.tsr",
         {"checkpoints/3.tsr": timestamp_token(keys["tsa_key"], tsa, statement3 + b"x",
                                               datetime.datetime(2026, 12, 1, 9, 0, 2, tzinfo=UTC))})
    case("part altered after sealing", "recipients.json", {"recipients.json": b'[{"agency_id":"x"}]'}, reseal=False)
    case("part not in the manifest", "extra.txt", {}, extra={"extra.txt": b"hello"})
    case("manifest altered", "manifest.json", {}, manifest_change=lambda mm, ss: (mm.replace(b"drc", b"dRc"), ss))
    case("hub certificate from another CA", "certs/hub-k1.crt", {"certs/hub-k1.crt": pem(
        issue(hub_key, "CreditExchange hub signing key k1", keys["tsa_key"], tsa.subject))})
    case("audit entry not a JSON object (re-sealed)", "audit/0-10.json", {"audit/0-10.json": b"[1, 2]"})
    case("proof with a string path (re-sealed)", "audit/0-12.json",
         {"audit/0-12.json": edit_json(parts["audit/0-12.json"], lambda o: o["proof"].update(path="00"))})
    case("audit entry without a proof (re-sealed)", "audit/0-16.json",
         {"audit/0-16.json": edit_json(parts["audit/0-16.json"], lambda o: o.update(proof=None))})
    with open(os.path.join(here, "cases.json"), "w") as f:
        json.dump(cases, f, indent=2)
        f.write("\n")
    with open(os.path.join(here, "..", "merkle-vector.json"), "w") as f:
        json.dump(merkle_vector(), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
