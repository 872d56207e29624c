import { createPrivateKey, randomBytes, sign as signBytes, type KeyObject } from "node:crypto";
import { clone, create, toBinary, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { timestampNow, type Timestamp } from "@bufbuild/protobuf/wkt";
import { RequestSignatureSchema, SigningInputSchema } from "./gen/creditexchange/api/v1/signing_pb.js";

/**
 * The message's `signature` field of type creditexchange.api.v1.RequestSignature: every write request (and
 * each SubmitRecords item) has one; the contract says which, never a list here. Undefined for other messages.
 */
export function signatureField(schema: DescMessage): (DescField & { fieldKind: "message" }) | undefined {
  return schema.fields.find(
    (f): f is DescField & { fieldKind: "message" } => f.fieldKind === "message" && f.message.typeName === RequestSignatureSchema.typeName,
  );
}

/**
 * The bytes an agency signs (creditexchange.api.v1.SigningInput) for `message` sent on `method` (the full gRPC
 * method, e.g. "/creditexchange.records.v1.RecordService/SubmitRecord"): the request serialized without its
 * signature field. The hub and the other SDKs build the same bytes.
 */
export function signingInputBytes<D extends DescMessage>(
  method: string, agencyId: string, schema: D, message: Message, signedAt: Timestamp, nonce: Uint8Array,
): Uint8Array {
  const unsigned = clone(schema, message as never) as Record<string, unknown>;
  const field = signatureField(schema);
  if (field) unsigned[field.localName] = undefined;
  return toBinary(SigningInputSchema, create(SigningInputSchema, {
    method, agencyId, signedAt, nonce, request: toBinary(schema, unsigned as never),
  }));
}

/** Signs write requests with the private key of the agency's mutual-TLS certificate (ECDSA: DER; RSA: PKCS#1 v1.5; SHA-256). */
export class RequestSigner {
  private readonly key: KeyObject;

  constructor(privateKeyPem: string | Buffer, private readonly agencyId: string, private readonly now: () => Timestamp = timestampNow) {
    this.key = createPrivateKey(privateKeyPem);
  }

  /** A copy of `message` signed now with a fresh nonce; `message` itself when the contract does not sign it. */
  sign<T extends Message>(method: string, schema: DescMessage, message: T): T {
    const field = signatureField(schema);
    if (!field) return message;
    const signedAt = this.now();
    const nonce = new Uint8Array(randomBytes(16));
    const input = signingInputBytes(method, this.agencyId, schema, message, signedAt, nonce);
    const signed = clone(schema, message as never) as Record<string, unknown>;
    signed[field.localName] = create(RequestSignatureSchema, { signedAt, nonce, signature: new Uint8Array(signBytes("sha256", input, this.key)) });
    return signed as unknown as T;
  }
}
