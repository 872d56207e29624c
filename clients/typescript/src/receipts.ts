import { createHash, verify } from "node:crypto";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ReceiptPayloadSchema, type Receipt, type ReceiptKey, type ReceiptPayload } from "./gen/creditexchange/receipts/v1/receipts_pb.js";
import { RecordContentSchema, type RecordContent } from "./gen/creditexchange/records/v1/records_pb.js";

export const RECEIPT_ALGORITHM = "ECDSA_P256_SHA256";

/**
 * The receipt's payload when its signature (ECDSA P-256, SHA-256, IEEE P1363) verifies under the
 * published key it names, else undefined.
 */
export function verifyReceipt(receipt: Receipt, keys: readonly ReceiptKey[]): ReceiptPayload | undefined {
  const key = keys.find((k) => k.keyId === receipt.keyId && k.algorithm === RECEIPT_ALGORITHM);
  if (!key) return undefined;
  try {
    const ok = verify(
      "sha256",
      receipt.signedPayload,
      { key: Buffer.from(key.publicKeySpki), format: "der", type: "spki", dsaEncoding: "ieee-p1363" },
      receipt.signature,
    );
    if (!ok) return undefined;
    const payload = fromBinary(ReceiptPayloadSchema, receipt.signedPayload);
    return payload.keyId === receipt.keyId ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** SHA-256 (lower-case hex) of the serialized content: what a receipt's content_sha256 names. */
export function contentSha256(content: RecordContent): string {
  return createHash("sha256").update(toBinary(RecordContentSchema, content)).digest("hex");
}

/** Whether a verified receipt is for exactly this content (as the hub accepted it). */
export function receiptCovers(payload: ReceiptPayload, content: RecordContent): boolean {
  return payload.contentSha256 === contentSha256(content);
}

/** A receipt failed verification. */
export class ReceiptVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReceiptVerificationError";
  }
}
