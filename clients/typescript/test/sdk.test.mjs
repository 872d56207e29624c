// The TypeScript SDK against a live hub, started by the xunit test ForeignSdkTests (tests/test.sh
// runs it) with the hub's address and the development material in the environment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect as tcp } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import {
  Category, CreditExchangeError, Decision, Disclosure, ErrorReason, PenaltyKind, PunishmentAction, ReceiptVerificationError, RecordDomain,
  Severity, SubmitRecordRequestSchema, createHubClient, parseErrorReason,
} from "../dist/index.js";
import { AppraisalType } from "../dist/gen/creditexchange/appraisal/v1/appraisal_pb.js";
import { RecordChange } from "../dist/gen/creditexchange/lifecycle/v1/lifecycle_pb.js";

const env = (name) => process.env[name] ?? assert.fail(`${name} is not set: run through tests/test.sh (ForeignSdkTests)`);
const hub = env("CREDITEXCHANGE_HUB");
const limitedHub = env("CREDITEXCHANGE_LIMITED_HUB");
const agencies = env("CREDITEXCHANGE_AGENCIES");
const caFile = env("CREDITEXCHANGE_CA");
const creditCodes = env("CREDITEXCHANGE_CREDIT_CODES").split(",");
const feedHub = env("CREDITEXCHANGE_FEED_HUB");
const feedControl = Number(env("CREDITEXCHANGE_FEED_CONTROL"));
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
  // The same refusal as a single SubmitRecord of the item: INVALID_REQUEST, also as a google.rpc.Status.
  assert.equal(parseErrorReason(results[6].outcome.value.reason), ErrorReason.INVALID_REQUEST);
  assert.equal(results[6].status?.code, 3); // INVALID_ARGUMENT
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

// --- The feed follower, against an instance the test stops, starts again and cuts off (ForeignSdkTests' RestartableHub).

/** Sends one command to the restartable instance ("stop", "start", "freeze", "drop") and waits for its "ok". */
function control(command) {
  return new Promise((resolve, reject) => {
    let reply = "";
    const socket = tcp(feedControl, "127.0.0.1", () => socket.write(command + "\n"));
    socket.on("data", (d) => (reply += d));
    socket.on("end", () => (reply.startsWith("ok") ? resolve() : reject(new Error(`${command}: ${reply}`))));
    socket.on("error", reject);
  });
}

/** Submits court judgments decided yesterday (no start-up expiry sweep adds events for them); their ids in order. */
async function submitRecent(court, count) {
  const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
  const ids = [];
  for (let i = 0; i < count; i++) {
    const request = submission();
    request.record.decisionDate = yesterday;
    ids.push((await court.records.submitRecord(request)).record.recordId);
  }
  return ids;
}

/** Waits for a condition; fails after a minute, or at once when the follower's run() settled. */
async function until(condition, running) {
  let settled = false;
  running.then(() => (settled = true), () => (settled = true));
  for (const started = Date.now(); !condition(); await sleep(50)) {
    if (settled) await running.then(() => assert.fail("the follower stopped before the condition held"));
    assert.ok(Date.now() - started < 60_000, "timed out waiting");
  }
}

const submittedOnly = { changes: [RecordChange.SUBMITTED], heartbeatSeconds: 1 };

// Every follower test is bounded and stops its followers however it ends, so that a failure cannot hold the process open.
const bounded = { timeout: 90_000 };

test("feed follower: the hub instance stops and starts again: resumes with a fresh token, nothing lost or repeated", bounded, async (t) => {
  const court = connect("court"); // the department systems keep submitting through the other instance
  const drc = connect("drc", { baseUrl: feedHub });
  const handled = [];
  const reconnects = [];
  const follower = drc.followFeed(
    { start: { case: "fromNow", value: true }, heartbeatSeconds: 1 },
    { initialBackoffMs: 200, maxBackoffMs: 1_000, onReconnect: (r) => reconnects.push(r) },
  );
  const running = follower.run((e) => void handled.push(e));
  t.after(() => follower.stop());
  try {
    await until(() => follower.position !== undefined, running);
    const before = await submitRecent(court, 3);
    await until(() => handled.length >= 3, running);
    await control("stop"); // under the open stream
    const during = await submitRecent(court, 3);
    await sleep(Number(env("CREDITEXCHANGE_TOKEN_LIFETIME_SECONDS")) * 1000 + 500); // the first token expires meanwhile
    await control("start");
    const after = await submitRecent(court, 2);
    const mine = [...before, ...during, ...after];
    await until(() => mine.every((id) => handled.some((e) => e.recordId === id)), running);
    follower.stop();
    await running;

    assert.deepEqual(handled.filter((e) => mine.includes(e.recordId)).map((e) => e.recordId), mine);
    assert.ok(handled.every((e, i) => i === 0 || e.sequence > handled[i - 1].sequence), "strictly increasing: nothing repeated");
    assert.ok(handled.filter((e) => mine.includes(e.recordId)).every((e) => e.action === PunishmentAction.IMPOSE));
    assert.ok(follower.reconnects >= 1);
    assert.equal(reconnects[0].error, undefined); // the stopping instance ended the stream cleanly
    assert.ok(drc.tokens.tokensIssued >= 2, "a reconnect after the token's lifetime fetched a new token");
    assert.ok(!reconnects.some((r) => r.error?.code === Code.Unauthenticated), "never tried a stale token");
  } finally {
    await control("start").catch(() => {}); // already running unless the test failed in between
  }
});

test("feed follower: a named subscription resumes after its acknowledged sequence; a failed event comes again", bounded, async (t) => {
  const court = connect("court");
  const name = `ts-${crypto.randomUUID()}`;
  const first = connect("drc", { baseUrl: feedHub }).followFeed(
    { ...submittedOnly, subscription: name, start: { case: "fromNow", value: true } }, { acknowledgeEvery: 2 });
  t.after(() => first.stop());
  const firstSeen = [];
  const firstRun = first.run((e) => {
    firstSeen.push(e);
    if (firstSeen.length === 5) first.stop(); // the department's system shuts down after its fifth event
  });
  await until(() => first.position !== undefined, firstRun);
  const early = await submitRecent(court, 5);
  await firstRun;
  const later = await submitRecent(court, 3); // committed while nobody follows

  // The system restarts with no cursor of its own; its handler fails on the second event.
  const second = connect("drc", { baseUrl: feedHub }).followFeed({ ...submittedOnly, subscription: name });
  t.after(() => second.stop());
  const secondSeen = [];
  await assert.rejects(
    second.run((e) => {
      secondSeen.push(e);
      if (secondSeen.length === 2) throw new Error("the punishment system is down");
    }),
    /the punishment system is down/,
  );
  // The next start gets the failed event again (at least once, never skipped) and what followed.
  const third = connect("drc", { baseUrl: feedHub }).followFeed({ ...submittedOnly, subscription: name });
  t.after(() => third.stop());
  const thirdSeen = [];
  await third.run((e) => {
    thirdSeen.push(e);
    if (thirdSeen.length === 2) third.stop();
  });

  assert.deepEqual(firstSeen.map((e) => e.recordId), early);
  assert.equal(first.acknowledgedSequence, firstSeen[4].sequence); // acknowledged on the way out
  assert.deepEqual(secondSeen.map((e) => e.recordId), later.slice(0, 2));
  assert.equal(second.acknowledgedSequence, secondSeen[0].sequence); // what it completed, not what failed
  assert.deepEqual(thirdSeen.map((e) => e.recordId), later.slice(1));
  assert.equal(third.acknowledgedSequence, thirdSeen[1].sequence);
});

test("feed follower: a silent network path is replaced, nothing missed", bounded, async (t) => {
  const court = connect("court");
  const drc = connect("drc", { baseUrl: feedHub, keepAlivePingIntervalMs: 1_000, keepAlivePingTimeoutMs: 1_000 });
  const handled = [];
  const reconnects = [];
  const follower = drc.followFeed(
    { ...submittedOnly, start: { case: "fromNow", value: true } },
    { stallTimeoutMs: 3_000, initialBackoffMs: 100, onReconnect: (r) => reconnects.push(r) },
  );
  const running = follower.run((e) => void handled.push(e));
  t.after(() => follower.stop());
  await until(() => follower.position !== undefined, running);
  const before = await submitRecent(court, 1);
  await until(() => handled.length === 1, running);
  await control("freeze"); // no reset, no FIN: the packets just stop
  const after = await submitRecent(court, 2);
  await until(() => handled.length === 3, running);
  follower.stop();
  await running;

  assert.deepEqual(handled.map((e) => e.recordId), [...before, ...after]);
  assert.ok(reconnects.length > 0);
});
