// The TypeScript SDK against a live hub, started by the xunit test ForeignSdkTests (tests/test.sh
// runs it) with the hub's address and the development material in the environment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import {
  Category, CreditExchangeError, Decision, Disclosure, ErrorReason, PenaltyKind, ReceiptVerificationError, RecordDomain,
  Severity, SubmitRecordRequestSchema, createHubClient, parseErrorReason,
} from "../dist/index.js";
import { AppraisalType } from "../dist/gen/creditexchange/appraisal/v1/appraisal_pb.js";

const env = (name) => process.env[name] ?? assert.fail(`${name} is not set: run through tests/test.sh (ForeignSdkTests)`);
const hub = env("CREDITEXCHANGE_HUB");
const limitedHub = env("CREDITEXCHANGE_LIMITED_HUB");
const agencies = env("CREDITEXCHANGE_AGENCIES");
const caFile = env("CREDITEXCHANGE_CA");
const creditCodes = env("CREDITEXCHANGE_CREDIT_CODES").split(",");
let nextCode = 0;

function connect(agency, options = {}) {
  return createHubClient({
    baseUrl: options.baseUrl ?? hub, agencyId: agency,
    certFile: join(agencies, `${agency}.crt`), keyFile: join(agencies, `${agency}.key`), caFile, ...options,
  });
}

function submission(subject) {
  return create(SubmitRecordRequestSchema, {
    sourceRecordId: `ts-${crypto.randomUUID()}`,
    record: {
      subject: subject ?? { kind: { case: "governmentBody", value: { creditCode: creditCodes[nextCode++], name: "呼和浩特市某区人民政府" } }, divisionCode: "150102" },
      category: Category.JUDICIAL_JUDGMENT, severity: Severity.GENERAL, domain: RecordDomain.OTHER,
      decisionDocumentNumber: "(2025)内01执123号",
      decidingAuthority: { name: "呼和浩特市中级人民法院", creditCode: "91152201078371135X" },
      decisionDate: "2025-03-01", facts: "拒不履行生效判决确定的给付义务。", legalBasis: "《中华人民共和国民事诉讼法》第二百六十六条",
      penalty: { text: "纳入失信记录", kinds: [PenaltyKind.PUBLIC_CRITICISM] }, disclosure: Disclosure.PUBLIC,
    },
  });
}

test("submitRecord then getRecord: authorised calls over mTLS", async () => {
  const court = connect("court");
  const drc = connect("drc");
  const submitted = await court.records.submitRecord(submission());
  const got = await drc.records.getRecord({ recordId: submitted.record.recordId });
  assert.equal(submitted.duplicate, false);
  assert.equal(got.record.content.subject.kind.value.creditCode, submitted.record.content.subject.kind.value.creditCode);
});

test("checkCandidate: the record decides", async () => {
  const court = connect("court");
  const drc = connect("drc");
  const request = submission();
  const submitted = await court.records.submitRecord(request);
  const check = await drc.appraisal.checkCandidate({
    purpose: { appraisalType: AppraisalType.HONORS, caseReference: "内组评〔2026〕7号" },
    subject: { key: { case: "creditCode", value: request.record.subject.kind.value.creditCode } },
  });
  assert.notEqual(check.result.decision, Decision.UNSPECIFIED);
  assert.ok(check.result.decidingRecords.some((r) => r.recordId === submitted.record.recordId));
});

test("submitBatch: split into allowed batches, one result per item in order", async () => {
  const court = connect("court", { maxBatchItems: 4 });
  const items = Array.from({ length: 10 }, () => submission());
  items[6].record.subject.kind.value.creditCode = "91110108551385082F"; // wrong check character
  const results = await court.submitBatch(items);
  assert.deepEqual(results.map((r) => r.index), [...Array(10).keys()]);
  assert.deepEqual(results.map((r) => r.sourceRecordId), items.map((i) => i.sourceRecordId));
  assert.equal(results[6].outcome.case, "error");
  assert.equal(parseErrorReason(results[6].outcome.value.reason), ErrorReason.INVALID_RECORD);
  assert.equal(results.filter((r) => r.outcome.case === "record").length, 9);
});

test("token refresh: a call after the token's lifetime gets a new token", async () => {
  const drc = connect("drc");
  await drc.receipts.getReceiptKeys({});
  const lifetimeMs = Number(env("CREDITEXCHANGE_TOKEN_LIFETIME_SECONDS")) * 1000;
  await new Promise((r) => setTimeout(r, lifetimeMs + 500));
  const keys = await drc.receipts.getReceiptKeys({});
  assert.ok(keys.keys.length > 0);
  assert.equal(drc.tokens.tokensIssued, 2);
});

test("rate limit: refused with RetryInfo, retried after its delay", async () => {
  const retrying = connect("drc", { baseUrl: limitedHub });
  const single = connect("drc", { baseUrl: limitedHub, maxAttempts: 1 });
  await retrying.receipts.getReceiptKeys({});
  const refusal = await single.receipts.getReceiptKeys({}).then(() => assert.fail("not refused"), (e) => e);
  const retried = await retrying.receipts.getReceiptKeys({});
  assert.ok(refusal instanceof CreditExchangeError);
  assert.equal(refusal.reason, ErrorReason.RATE_LIMITED);
  assert.ok(refusal.retryDelayMs > 0);
  assert.ok(retried.keys.length > 0);
});

test("bad resident ID: typed error with reason, field path and zh-CN message", async () => {
  const supervision = connect("supervision", { acceptLanguage: "zh-CN" });
  const request = submission({ kind: { case: "civilServant", value: { residentId: "36042619910102009X", name: "张三" } }, divisionCode: "150102" });
  request.record.category = Category.DISCIPLINARY_SANCTION;
  const error = await supervision.records.submitRecord(request).then(() => assert.fail("not refused"), (e) => e);
  assert.ok(error instanceof CreditExchangeError);
  assert.equal(error.reason, ErrorReason.INVALID_REQUEST);
  assert.equal(error.reasonName, "INVALID_REQUEST");
  assert.ok(error.fieldViolations.some((v) => v.field === "record.subject.civil_servant.resident_id"));
  assert.equal(error.locale, "zh-CN");
});

test("receipts: a genuine receipt verifies, a tampered one is refused", async () => {
  const court = connect("court");
  const submitted = await court.records.submitRecord(submission());
  const payload = await court.verifyReceipt(submitted.receipt, submitted.record.content);
  assert.equal(payload.recordId, submitted.record.recordId);
  const tampered = { ...submitted.receipt, signedPayload: Uint8Array.from(submitted.receipt.signedPayload) };
  tampered.signedPayload[tampered.signedPayload.length - 1] ^= 1;
  await assert.rejects(court.verifyReceipt(tampered), ReceiptVerificationError);
  await assert.rejects(court.verifyReceipt(submitted.receipt, { ...submitted.record.content, facts: "改" }), ReceiptVerificationError);
});
