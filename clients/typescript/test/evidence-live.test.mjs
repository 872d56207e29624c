// A record's whole life written through this SDK against the live hub started by ForeignSdkTests (every agency must
// sign, and the SDK signs by itself): submitted, corrected, objected to, answered and revoked; the DRC's evidence bundle
// then verifies offline with verifyEvidenceBundle, from its bytes and the CA and TSA certificates alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { create, fromJson } from "@bufbuild/protobuf";
import { SubmitRecordRequestSchema, createHubClient, verifyEvidenceBundle } from "../dist/index.js";
import {
  AnswerObjectionRequestSchema, CorrectRecordRequestSchema, FileObjectionRequestSchema, ObjectionState, RevokeRecordRequestSchema,
} from "../dist/gen/creditexchange/lifecycle/v1/lifecycle_pb.js";
import { ExportEvidenceRequestSchema } from "../dist/gen/creditexchange/evidence/v1/evidence_pb.js";

const env = process.env;
const live = env.CREDITEXCHANGE_HUB && env.CREDITEXCHANGE_TSA;

const connect = (agencyId) => createHubClient({
  baseUrl: env.CREDITEXCHANGE_HUB, agencyId, caFile: env.CREDITEXCHANGE_CA,
  certFile: join(env.CREDITEXCHANGE_AGENCIES, `${agencyId}.crt`), keyFile: join(env.CREDITEXCHANGE_AGENCIES, `${agencyId}.key`),
});

test("evidence: a record's whole life through the SDK exports a bundle that verifies offline", { skip: !live && "needs a live hub with a TSA" }, async () => {
  const court = connect("court");
  const drc = connect("drc");
  const vector = JSON.parse(readFileSync(new URL("../../testdata/signing-vector.json", import.meta.url), "utf8"));
  const { signature: _unused, ...request } = vector.request;
  const code = env.CREDITEXCHANGE_CREDIT_CODES.split(",")[80];
  const submitted = await court.records.submitRecord(fromJson(SubmitRecordRequestSchema, {
    ...request, sourceRecordId: `ts-evidence-${crypto.randomUUID()}`,
    record: {
      ...request.record, legalBasis: "《中华人民共和国民事诉讼法》第二百六十六条",
      subject: { governmentBody: { name: "呼和浩特市某区人民政府", creditCode: code }, divisionCode: "150102" },
    },
  }));
  const recordId = submitted.record.recordId;
  const content = submitted.record.content;
  content.decisionDocumentNumber = "(2025)内01执124号";
  await court.lifecycle.correctRecord(create(CorrectRecordRequestSchema, { recordId, expectedVersion: 1n, reason: "案号更正", content }));
  const filed = await drc.lifecycle.fileObjection(create(FileObjectionRequestSchema, { recordId, expectedVersion: 2n, grounds: "事实有误。" }));
  await court.lifecycle.answerObjection(create(AnswerObjectionRequestSchema, {
    objectionId: filed.objection.objectionId, expectedVersion: 3n, outcome: ObjectionState.DISMISSED, answer: "维持原记录。",
  }));
  await court.lifecycle.revokeRecord(create(RevokeRecordRequestSchema, { recordId, expectedVersion: 4n, reason: "判决被撤销。" }));

  const exported = await drc.evidence.exportEvidence(
    create(ExportEvidenceRequestSchema, { recordId, purpose: "（2026）内01民初1号案件调查取证", includeSignedRequests: true }),
    { timeoutMs: 60_000 });

  // Offline from here: the bundle's bytes and the two trust anchors.
  const trust = { ca: readFileSync(env.CREDITEXCHANGE_CA, "utf8"), tsa: readFileSync(env.CREDITEXCHANGE_TSA, "utf8") };
  const result = verifyEvidenceBundle(exported.bundle, trust);
  assert.ok(result.ok, `${result.failedPart}: ${result.reason}`);
  const versions = result.timeline.filter((e) => e.kind === "version");
  assert.equal(versions.length, 5, JSON.stringify(versions));
  assert.ok(result.timeline.some((e) => e.kind === "checkpoint"));
  // Another CA does not vouch for the hub or the agencies.
  const other = verifyEvidenceBundle(exported.bundle, { ...trust, ca: readFileSync(new URL("../../testdata/evidence-synthetic/ca.crt", import.meta.url), "utf8") });
  assert.equal(other.ok, false);
});
