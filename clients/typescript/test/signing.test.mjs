// Agency signatures: the SigningInput bytes agree with the vector the hub and the other SDKs check
// (clients/testdata/signing-vector.json), the signer signs write requests only, and, against the live hub
// started by ForeignSdkTests (where every agency must sign), the SDK's writes pass because it signs them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { create, fromBinary, fromJson } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { timestampFromJson } from "./wkt.mjs";
import {
  GetRecordRequestSchema, ReceiptPayloadSchema, RequestSigner, SubmitRecordRequestSchema, createHubClient, signingInputBytes,
} from "../dist/index.js";

const vector = JSON.parse(readFileSync(new URL("../../testdata/signing-vector.json", import.meta.url), "utf8"));
const { signature: _vectorSignature, ...unsignedRequest } = vector.request;
const hex = (bytes) => Buffer.from(bytes).toString("hex");

test("signing: SigningInput bytes agree with the shared vector", () => {
  const request = fromJson(SubmitRecordRequestSchema, vector.request);
  const bytes = signingInputBytes(vector.method, vector.agencyId, SubmitRecordRequestSchema, request,
    timestampFromJson(vector.signedAt), Uint8Array.from(Buffer.from(vector.nonceHex, "hex")));
  assert.equal(hex(bytes), vector.signingInputHex);
});

const agencies = process.env.CREDITEXCHANGE_AGENCIES;
const haveCerts = agencies && existsSync(join(agencies, "court.key"));

test("signing: the signer signs write requests only, verifiable with the certificate", { skip: !haveCerts && "no agency certificates" }, () => {
  const signer = new RequestSigner(readFileSync(join(agencies, "court.key")), "court", () => timestampFromDate(new Date()));
  const method = "/creditexchange.records.v1.RecordService/SubmitRecord";
  const request = fromJson(SubmitRecordRequestSchema, unsignedRequest);
  const signed = signer.sign(method, SubmitRecordRequestSchema, request);
  assert.equal(request.signature, undefined, "the caller's request is not changed");
  assert.equal(signed.signature.nonce.length, 16);
  const bytes = signingInputBytes(method, "court", SubmitRecordRequestSchema, signed, signed.signature.signedAt, signed.signature.nonce);
  const key = createPublicKey(readFileSync(join(agencies, "court.crt")));
  assert.ok(verify("sha256", bytes, key, signed.signature.signature));
  const read = create(GetRecordRequestSchema, { recordId: crypto.randomUUID() });
  assert.equal(signer.sign("/creditexchange.records.v1.RecordService/GetRecord", GetRecordRequestSchema, read), read);
});

test("signing: writes pass where every agency must sign; the receipt names the request", { skip: !process.env.CREDITEXCHANGE_HUB && "needs a live hub" }, async () => {
  const court = createHubClient({
    baseUrl: process.env.CREDITEXCHANGE_HUB, agencyId: "court",
    certFile: join(agencies, "court.crt"), keyFile: join(agencies, "court.key"), caFile: process.env.CREDITEXCHANGE_CA,
  });
  const codes = process.env.CREDITEXCHANGE_CREDIT_CODES.split(",");
  const submission = (i) => ({
    ...unsignedRequest, sourceRecordId: `ts-signed-${crypto.randomUUID()}`,
    record: { ...unsignedRequest.record, legalBasis: "《中华人民共和国民事诉讼法》第二百六十六条", subject: { governmentBody: { name: "呼和浩特市某区人民政府", creditCode: codes[90 + i] }, divisionCode: "150102" } },
  });
  const response = await court.records.submitRecord(fromJson(SubmitRecordRequestSchema, submission(0)));
  const payload = fromBinary(ReceiptPayloadSchema, response.receipt.signedPayload);
  assert.match(payload.requestSha256, /^[0-9a-f]{64}$/);
  const results = await court.submitBatch([1, 2, 3].map((i) => fromJson(SubmitRecordRequestSchema, submission(i))));
  assert.ok(results.every((r) => r.outcome.case === "record"), JSON.stringify(results.map((r) => r.outcome.case)));
});
