"""verify_evidence_bundle offline: the synthetic bundle of clients/testdata/evidence-synthetic (generate.py there)
verifies and each tampered copy fails at the part cases.json names; the hub's own exported sample in
clients/testdata/evidence (when present) verifies and its tampering cases name their parts; the Merkle path check
agrees with clients/testdata/merkle-vector.json."""

import json
import os
import unittest
import zipfile
import io

import creditexchange_client as ce
from creditexchange_client import evidence

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "testdata")
SYNTHETIC = os.path.join(TESTDATA, "evidence-synthetic")
SAMPLE = os.path.join(TESTDATA, "evidence")


def read(*path, mode="rb"):
    with open(os.path.join(*path), mode) as f:
        return f.read()


class SyntheticBundle(unittest.TestCase):
    def setUp(self):
        self.ca = read(SYNTHETIC, "ca.crt", mode="r")
        self.tsa = read(SYNTHETIC, "tsa.crt")

    def test_verifies_with_a_timeline(self):
        result = ce.verify_evidence_bundle(read(SYNTHETIC, "bundle.zip"), self.ca, self.tsa)
        self.assertTrue(result.ok, f"{result.failed_part}: {result.reason}")
        kinds = [e["kind"] for e in result.timeline]
        self.assertEqual(kinds.count("version"), 2)
        self.assertEqual(kinds.count("receipt"), 2)
        self.assertEqual(kinds.count("audit-entry"), 3)
        checkpoints = [e for e in result.timeline if e["kind"] == "checkpoint"]
        # checkpoint 3's token made by generate.py, checkpoint 4's by openssl ts (genTime: when it was generated)
        self.assertEqual(checkpoints[0]["tsa_time"], "2026-12-01T09:00:02.000Z")
        self.assertRegex(checkpoints[1]["tsa_time"], r"^20\d\d-\d\d-\d\dT")

    def test_each_tampering_names_its_part(self):
        for case in json.loads(read(SYNTHETIC, "cases.json")):
            with self.subTest(case["case"]):
                result = ce.verify_evidence_bundle(read(SYNTHETIC, case["file"]), self.ca, self.tsa)
                self.assertFalse(result.ok)
                self.assertEqual(result.failed_part, case["failed_part"], result.reason)

    def test_a_missing_time_stamp_passes_only_when_allowed(self):
        missing = next(c for c in json.loads(read(SYNTHETIC, "cases.json")) if c["case"] == "time-stamp token missing")
        bundle = read(SYNTHETIC, missing["file"])
        self.assertFalse(ce.verify_evidence_bundle(bundle, self.ca, self.tsa).ok)
        self.assertTrue(ce.verify_evidence_bundle(bundle, self.ca, self.tsa, allow_unstamped=True).ok)

    def test_an_entry_without_a_proof_passes_only_when_allowed(self):
        case = next(c for c in json.loads(read(SYNTHETIC, "cases.json")) if c["case"] == "audit entry without a proof (re-sealed)")
        bundle = read(SYNTHETIC, case["file"])
        self.assertEqual(ce.verify_evidence_bundle(bundle, self.ca, self.tsa).failed_part, "audit/0-16.json")
        result = ce.verify_evidence_bundle(bundle, self.ca, self.tsa, allow_unprovable=True)
        self.assertTrue(result.ok, result.reason)
        self.assertIsNone(next(e for e in result.timeline if e["part"] == "audit/0-16.json")["checkpoint"])

    def test_another_trust_anchor_fails(self):
        result = ce.verify_evidence_bundle(read(SYNTHETIC, "bundle.zip"), self.tsa, self.tsa)
        self.assertFalse(result.ok)
        self.assertTrue(result.failed_part.startswith("certs/"), result.failed_part)
        result = ce.verify_evidence_bundle(read(SYNTHETIC, "bundle.zip"), self.ca, self.ca)
        self.assertEqual(result.failed_part, "checkpoints/3.tsr")

    def test_any_flipped_byte_gives_an_answer(self):
        bundle = read(SYNTHETIC, "bundle.zip")
        for i in range(0, len(bundle), max(1, len(bundle) // 300)):
            damaged = bytearray(bundle)
            damaged[i] ^= 0x55
            result = ce.verify_evidence_bundle(bytes(damaged), self.ca, self.tsa)
            self.assertIsInstance(result.ok, bool, i)

    def test_not_a_zip(self):
        result = ce.verify_evidence_bundle(b"not a zip", self.ca, self.tsa)
        self.assertEqual((result.ok, result.failed_part), (False, "(bundle)"))

    def test_a_missing_manifest(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("recipients.json", b"[]")
        self.assertEqual(ce.verify_evidence_bundle(out.getvalue(), self.ca, self.tsa).failed_part, "manifest.json")


class MerkleVector(unittest.TestCase):
    def test_paths_reach_the_roots(self):
        vector = json.loads(read(TESTDATA, "merkle-vector.json"))
        leaves = [evidence.leaf_hash(bytes.fromhex(x)) for x in vector["leaf_inputs"]]
        for tree in vector["trees"]:
            n = tree["tree_size"]
            root = bytes.fromhex(tree["root"])
            for m, path in enumerate(tree["paths"]):
                steps = [bytes.fromhex(h) for h in path]
                self.assertEqual(evidence.merkle_root_from_path(leaves[m], m, n, steps), root, (n, m))
                if n > 1:
                    self.assertNotEqual(evidence.merkle_root_from_path(leaves[m], (m + 1) % n, n, steps), root, (n, m))
                    self.assertIsNone(evidence.merkle_root_from_path(leaves[m], m, n, steps + [root]))
            self.assertIsNone(evidence.merkle_root_from_path(leaves[0], n, n, []))


@unittest.skipUnless(os.path.exists(os.path.join(SAMPLE, "sample.zip")), "no exported sample in clients/testdata/evidence")
class HubSample(unittest.TestCase):
    def setUp(self):
        self.ca = read(SAMPLE, "ca.crt")
        self.tsa = read(SAMPLE, "tsa.crt")

    def test_the_hubs_export_verifies(self):
        result = ce.verify_evidence_bundle(read(SAMPLE, "sample.zip"), self.ca, self.tsa)
        self.assertTrue(result.ok, f"{result.failed_part}: {result.reason}")
        kinds = {e["kind"] for e in result.timeline}
        self.assertEqual(kinds, {"version", "receipt", "audit-entry", "checkpoint"})
        self.assertTrue(all(e["tsa_time"] for e in result.timeline if e["kind"] == "checkpoint"))
        times = [e["time"] for e in result.timeline]
        self.assertEqual(len(times), len(result.timeline))

    def test_each_tampering_names_the_part_the_hubs_verifier_names(self):
        for case in json.loads(read(SAMPLE, "tampered.json")):
            with self.subTest(case["kind"]):
                result = ce.verify_evidence_bundle(read(SAMPLE, case["file"]), self.ca, self.tsa)
                self.assertFalse(result.ok)
                self.assertEqual(result.failed_part, case["failed_part"], result.reason)
