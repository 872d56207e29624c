// verifyEvidenceBundle offline: the synthetic bundle of clients/testdata/evidence-synthetic (generate.py there)
// verifies and each tampered copy fails at the part cases.json names (the Python SDK's tests read the same cases);
// the hub's own exported sample in clients/testdata/evidence (when present) verifies; the Merkle path check agrees
// with clients/testdata/merkle-vector.json.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { merkleLeafHash, merkleRootFromPath, verifyEvidenceBundle } from "../dist/index.js";

const testdata = new URL("../../testdata/", import.meta.url);
const synthetic = new URL("evidence-synthetic/", testdata);
const sample = new URL("evidence/", testdata);
const read = (base, name) => readFileSync(new URL(name, base));
const trust = { ca: read(synthetic, "ca.crt").toString("utf8"), tsa: read(synthetic, "tsa.crt") };
const cases = JSON.parse(read(synthetic, "cases.json"));

test("evidence: the synthetic bundle verifies, with a timeline", () => {
  const result = verifyEvidenceBundle(read(synthetic, "bundle.zip"), trust);
  assert.ok(result.ok, `${result.failedPart}: ${result.reason}`);
  const count = (kind) => result.timeline.filter((e) => e.kind === kind).length;
  assert.deepEqual([count("version"), count("receipt"), count("audit-entry"), count("checkpoint")], [2, 2, 3, 2]);
  // checkpoint 3's token made by generate.py, checkpoint 4's by openssl ts (genTime: when it was generated)
  const [three, four] = result.timeline.filter((e) => e.kind === "checkpoint");
  assert.equal(three.tsaTime, "2026-12-01T09:00:02.000Z");
  assert.match(four.tsaTime, /^20\d\d-\d\d-\d\dT/);
});

for (const c of cases) {
  test(`evidence: ${c.case} fails at ${c.failed_part}`, () => {
    const result = verifyEvidenceBundle(read(synthetic, c.file), trust);
    assert.equal(result.ok, false);
    assert.equal(result.failedPart, c.failed_part, result.reason);
  });
}

test("evidence: a missing time-stamp passes only when allowed", () => {
  const missing = read(synthetic, cases.find((c) => c.case === "time-stamp token missing").file);
  assert.equal(verifyEvidenceBundle(missing, trust).ok, false);
  assert.equal(verifyEvidenceBundle(missing, { ...trust, allowUnstamped: true }).ok, true);
});

test("evidence: an audit entry without a proof passes only when allowed", () => {
  const bundle = read(synthetic, cases.find((c) => c.case === "audit entry without a proof (re-sealed)").file);
  assert.equal(verifyEvidenceBundle(bundle, trust).failedPart, "audit/0-16.json");
  const result = verifyEvidenceBundle(bundle, { ...trust, allowUnprovable: true });
  assert.ok(result.ok, result.reason);
  assert.equal(result.timeline.find((e) => e.part === "audit/0-16.json").checkpoint, null);
});

test("evidence: other trust anchors fail; so does what is not a zip", () => {
  const bundle = read(synthetic, "bundle.zip");
  assert.match(verifyEvidenceBundle(bundle, { ca: trust.tsa, tsa: trust.tsa }).failedPart, /^certs\//);
  assert.equal(verifyEvidenceBundle(bundle, { ca: trust.ca, tsa: trust.ca }).failedPart, "checkpoints/3.tsr");
  assert.equal(verifyEvidenceBundle(Buffer.from("not a zip"), trust).failedPart, "(bundle)");
  assert.equal(verifyEvidenceBundle(bundle.subarray(0, bundle.length - 30), trust).failedPart, "(bundle)");
});

test("evidence: any flipped byte gives an answer, not an exception", () => {
  const bundle = read(synthetic, "bundle.zip");
  for (let i = 0; i < bundle.length; i += Math.max(1, Math.floor(bundle.length / 300))) {
    const damaged = Buffer.from(bundle);
    damaged[i] ^= 0x55;
    assert.equal(typeof verifyEvidenceBundle(damaged, trust).ok, "boolean", `byte ${i}`);
  }
});

test("evidence: Merkle inclusion paths reach the shared vector's roots, and only those", () => {
  const vector = JSON.parse(read(testdata, "merkle-vector.json"));
  const leaves = vector.leaf_inputs.map((x) => merkleLeafHash(Buffer.from(x, "hex")));
  for (const tree of vector.trees) {
    const n = tree.tree_size;
    tree.paths.forEach((path, m) => {
      const steps = path.map((h) => Buffer.from(h, "hex"));
      assert.equal(merkleRootFromPath(leaves[m], m, n, steps)?.toString("hex"), tree.root, `n=${n} m=${m}`);
      if (n > 1) {
        assert.notEqual(merkleRootFromPath(leaves[m], (m + 1) % n, n, steps)?.toString("hex"), tree.root);
        assert.equal(merkleRootFromPath(leaves[m], m, n, [...steps, Buffer.from(tree.root, "hex")]), undefined);
      }
    });
    assert.equal(merkleRootFromPath(leaves[0], n, n, []), undefined);
  }
});

const haveSample = existsSync(new URL("sample.zip", sample));
const sampleTrust = haveSample && { ca: read(sample, "ca.crt"), tsa: read(sample, "tsa.crt") };

test("evidence: the hub's exported sample verifies", { skip: !haveSample && "no exported sample in clients/testdata/evidence" }, () => {
  const result = verifyEvidenceBundle(read(sample, "sample.zip"), sampleTrust);
  assert.ok(result.ok, `${result.failedPart}: ${result.reason}`);
  assert.deepEqual(new Set(result.timeline.map((e) => e.kind)), new Set(["version", "receipt", "audit-entry", "checkpoint"]));
  assert.ok(result.timeline.filter((e) => e.kind === "checkpoint").every((e) => e.tsaTime));
});

for (const c of haveSample ? JSON.parse(read(sample, "tampered.json")) : []) {
  test(`evidence: the hub's sample with its ${c.kind} tampered fails at ${c.failed_part}, as the hub's verifier says`, () => {
    const result = verifyEvidenceBundle(read(sample, c.file), sampleTrust);
    assert.equal(result.ok, false);
    assert.equal(result.failedPart, c.failed_part, result.reason);
  });
}
