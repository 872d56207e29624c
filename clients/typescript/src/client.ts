import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { create, getOption, hasOption, toBinary, type DescFile, type DescMethod, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import { ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AdminService, file_creditexchange_admin_v1_admin } from "./gen/creditexchange/admin/v1/admin_pb.js";
import { policy } from "./gen/creditexchange/api/v1/policy_pb.js";
import { AppraisalService, file_creditexchange_appraisal_v1_appraisal } from "./gen/creditexchange/appraisal/v1/appraisal_pb.js";
import { AuditService, file_creditexchange_audit_v1_audit } from "./gen/creditexchange/audit/v1/audit_pb.js";
import { CreditFileService, file_creditexchange_creditfile_v1_credit_file } from "./gen/creditexchange/creditfile/v1/credit_file_pb.js";
import { ErrorReason } from "./gen/creditexchange/errors/v1/errors_pb.js";
import { FeedService, file_creditexchange_feed_v1_feed, type SubscribeRequest, type SubscribeRequestSchema } from "./gen/creditexchange/feed/v1/feed_pb.js";
import { LifecycleService, file_creditexchange_lifecycle_v1_lifecycle } from "./gen/creditexchange/lifecycle/v1/lifecycle_pb.js";
import { PublicationService, file_creditexchange_publication_v1_publication } from "./gen/creditexchange/publication/v1/publication_pb.js";
import { EvidenceService, file_creditexchange_evidence_v1_evidence } from "./gen/creditexchange/evidence/v1/evidence_pb.js";
import { ReceiptService, file_creditexchange_receipts_v1_receipts, type Receipt, type ReceiptKey, type ReceiptPayload } from "./gen/creditexchange/receipts/v1/receipts_pb.js";
import {
  RecordService,
  SubmitRecordRequestSchema,
  SubmitRecordsRequestSchema,
  file_creditexchange_records_v1_records,
  type RecordContent,
  type SubmitRecordRequest,
  type SubmitRecordsResult,
} from "./gen/creditexchange/records/v1/records_pb.js";
import { StatisticsService, file_creditexchange_statistics_v1_statistics } from "./gen/creditexchange/statistics/v1/statistics_pb.js";
import { EvaluationService, file_creditexchange_evaluation_v1_evaluation } from "./gen/creditexchange/evaluation/v1/evaluation_pb.js";
import { BiddingBlacklistService, file_creditexchange_bidding_v1_bidding } from "./gen/creditexchange/bidding/v1/bidding_pb.js";
import { CreditExchangeError, RETRYABLE_CODES } from "./errors.js";
import { FeedFollower, type FeedFollowerOptions } from "./feed.js";
import { ReceiptVerificationError, receiptCovers, verifyReceipt } from "./receipts.js";
import { RequestSigner } from "./signing.js";
import { TokenSource } from "./tokens.js";

/** How an agency system reaches the hub. Give the certificate, key and hub CA as PEM text or as file paths. */
export interface HubClientOptions {
  /** The hub's address, e.g. "https://localhost:5443". */
  baseUrl: string;
  /** The agency id the hub registered (the OAuth client_id), e.g. "court". */
  agencyId: string;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** The hub's CA certificate: the only root trusted for the hub (the system roots are not used). */
  ca?: string | Buffer;
  certFile?: string;
  keyFile?: string;
  caFile?: string;
  /** OAuth scopes to ask for; none asks for every scope the agency is granted. */
  scopes?: string[];
  /** Deadline of a call made without one, in ms. Default 30,000. */
  defaultTimeoutMs?: number;
  /** Attempts of an idempotent call, the first included. Default 4; 1 disables retries. */
  maxAttempts?: number;
  /** Items per SubmitRecords stream sent by submitBatch (the hub's Hub:MaxBatchItems, 1,000 by default). */
  maxBatchItems?: number;
  /** Bytes per SubmitRecords stream sent by submitBatch. Default 60 MiB. */
  maxBatchBytes?: number;
  /** Sent as accept-language, e.g. "zh-CN" for Chinese localized messages. */
  acceptLanguage?: string;
  /** HTTP/2 keep-alive: a PING after this long without data while a stream is open (feed streams run for days). Default 30,000 ms. */
  keepAlivePingIntervalMs?: number;
  /** A connection whose PING is not answered within this long is closed and its streams fail. Default 15,000 ms. */
  keepAlivePingTimeoutMs?: number;
}

/**
 * The generated file of every creditexchange service this SDK carries. The services and methods are read
 * from them, never named here (test/retry.test.mjs checks that no generated file with a service is missing).
 */
const CONTRACT_FILES: readonly DescFile[] = [
  file_creditexchange_admin_v1_admin,
  file_creditexchange_appraisal_v1_appraisal,
  file_creditexchange_audit_v1_audit,
  file_creditexchange_creditfile_v1_credit_file,
  file_creditexchange_feed_v1_feed,
  file_creditexchange_lifecycle_v1_lifecycle,
  file_creditexchange_publication_v1_publication,
  file_creditexchange_receipts_v1_receipts,
  file_creditexchange_records_v1_records,
  file_creditexchange_statistics_v1_statistics,
  file_creditexchange_evaluation_v1_evaluation,
  file_creditexchange_evidence_v1_evidence,
  file_creditexchange_bidding_v1_bidding,
];

const CONTRACT_SERVICES: readonly DescService[] = CONTRACT_FILES.flatMap((file) => file.services);

/**
 * Whether the contract declares the method idempotent: its `option (creditexchange.api.v1.policy)`
 * (protos/creditexchange/api/v1/policy.proto) sets `idempotent: true`.
 */
function declaredIdempotent(method: DescMethod): boolean {
  return hasOption(method, policy) && getOption(method, policy).idempotent;
}

/**
 * Every idempotent method of the contract as "package.Service/Method", e.g.
 * "creditexchange.records.v1.RecordService/SubmitRecord": exactly the RPCs whose policy option sets
 * `idempotent: true` (submissions, idempotent on source_record_id, the reads and feed acknowledgements).
 * Unary calls among them are retried after UNAVAILABLE and RESOURCE_EXHAUSTED; streams are not
 * (submitBatch retries a whole SubmitRecords stream itself, FeedFollower resumes the feed).
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(
  CONTRACT_SERVICES.flatMap((service) => service.methods.filter(declaredIdempotent).map((method) => `${service.typeName}/${method.name}`)),
);

/** Services whose every method is idempotent (derived from the policy option; IDEMPOTENT_METHODS lists their methods too). */
export const IDEMPOTENT_SERVICES: ReadonlySet<string> = new Set(
  CONTRACT_SERVICES.filter((service) => service.methods.length > 0 && service.methods.every(declaredIdempotent)).map((service) => service.typeName),
);

export interface HubClient {
  records: Client<typeof RecordService>;
  lifecycle: Client<typeof LifecycleService>;
  appraisal: Client<typeof AppraisalService>;
  creditFiles: Client<typeof CreditFileService>;
  statistics: Client<typeof StatisticsService>;
  evaluation: Client<typeof EvaluationService>;
  bidding: Client<typeof BiddingBlacklistService>;
  audit: Client<typeof AuditService>;
  admin: Client<typeof AdminService>;
  receipts: Client<typeof ReceiptService>;
  feed: Client<typeof FeedService>;
  publication: Client<typeof PublicationService>;
  /** Evidence bundles of records (docs/evidence.md). */
  evidence: Client<typeof EvidenceService>;
  tokens: TokenSource;
  /**
   * A follower of the joint-punishment feed from the first stream's request (filters, a named `subscription`,
   * a start): it reconnects, resumes, refreshes the token and acknowledges by itself (see FeedFollower).
   */
  followFeed(request: SubscribeRequest | MessageInitShape<typeof SubscribeRequestSchema>, options?: FeedFollowerOptions): FeedFollower;
  /** Submits any number of records in SubmitRecords streams the hub accepts; one result per item, in order. */
  submitBatch(items: Iterable<SubmitRecordRequest | MessageInitShape<typeof SubmitRecordRequestSchema>>): Promise<SubmitRecordsResult[]>;
  /** Verifies a receipt against the hub's published keys and, when given, that it covers exactly `content`. */
  verifyReceipt(receipt: Receipt, content?: RecordContent): Promise<ReceiptPayload>;
}

/**
 * Connects an agency system to the hub: gRPC over HTTP/2 with the agency's client certificate and
 * the hub's CA pinned, a shared certificate-bound token, default deadlines, retries of idempotent
 * calls (UNAVAILABLE, rate limits after their RetryInfo delay) and CreditExchangeError for refusals.
 */
export function createHubClient(options: HubClientOptions): HubClient {
  const tls = {
    cert: options.cert ?? readFileSync(required(options.certFile, "cert or certFile")),
    key: options.key ?? readFileSync(required(options.keyFile, "key or keyFile")),
    ca: options.ca ?? readFileSync(required(options.caFile, "ca or caFile")),
  };
  const tokens = new TokenSource(options.baseUrl, options.agencyId, tls, options.scopes ?? []);
  const maxAttempts = options.maxAttempts ?? 4;

  const auth: Interceptor = (next) => async (req) => {
    req.header.set("authorization", `Bearer ${await tokens.getToken()}`);
    if (options.acceptLanguage) req.header.set("accept-language", options.acceptLanguage);
    return next(req);
  };
  // Every write request (and each SubmitRecords item) is signed with the certificate's key, anew on each attempt:
  // this runs inside `refusals`, which retries, and the hub refuses a nonce it has seen.
  const signer = new RequestSigner(tls.key, options.agencyId);
  const signing: Interceptor = (next) => async (req) => {
    const method = `/${req.service.typeName}/${req.method.name}`;
    if (!req.stream) return next({ ...req, message: signer.sign(method, req.method.input, req.message) });
    const items = req.message;
    return next({
      ...req,
      message: (async function* () {
        for await (const item of items) yield signer.sign(method, req.method.input, item);
      })(),
    });
  };
  const refusals: Interceptor = (next) => async (req) => {
    const idempotent = !req.stream && IDEMPOTENT_METHODS.has(`${req.service.typeName}/${req.method.name}`);
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(req);
      } catch (e) {
        const error = CreditExchangeError.from(e);
        if (error.reason === ErrorReason.TOKEN_INVALID) tokens.invalidate();
        if (!idempotent || attempt >= maxAttempts || !RETRYABLE_CODES.has(error.code) || req.signal.aborted) throw error;
        await sleep(retryDelay(error, attempt), undefined, { signal: req.signal });
      }
    }
  };

  const transport = createGrpcTransport({
    baseUrl: options.baseUrl,
    nodeOptions: { ...tls },
    interceptors: [refusals, signing, auth],
    defaultTimeoutMs: options.defaultTimeoutMs ?? 30_000,
    readMaxBytes: 64 * 1024 * 1024,
    pingIntervalMs: options.keepAlivePingIntervalMs ?? 30_000,
    pingTimeoutMs: options.keepAlivePingTimeoutMs ?? 15_000,
  });

  const records = createClient(RecordService, transport);
  const receipts = createClient(ReceiptService, transport);
  const feed = createClient(FeedService, transport);
  let receiptKeys: ReceiptKey[] | undefined;

  return {
    records,
    lifecycle: createClient(LifecycleService, transport),
    appraisal: createClient(AppraisalService, transport),
    creditFiles: createClient(CreditFileService, transport),
    statistics: createClient(StatisticsService, transport),
    evaluation: createClient(EvaluationService, transport),
    bidding: createClient(BiddingBlacklistService, transport),
    audit: createClient(AuditService, transport),
    admin: createClient(AdminService, transport),
    receipts,
    feed,
    publication: createClient(PublicationService, transport),
    evidence: createClient(EvidenceService, transport),
    tokens,

    followFeed(request, followerOptions) {
      return new FeedFollower(feed, request, followerOptions, tokens);
    },

    async submitBatch(items) {
      const results: SubmitRecordsResult[] = [];
      const all = [...items].map((i) => ("$typeName" in i ? (i as SubmitRecordRequest) : create(SubmitRecordRequestSchema, i)));
      for (const batch of splitBatches(all, options.maxBatchItems ?? 1000, options.maxBatchBytes ?? 60 * 1024 * 1024)) {
        // A whole stream is retried here (the transport cannot replay a stream); accepted items answer as duplicates.
        for (let attempt = 1; ; attempt++) {
          try {
            const response = await records.submitRecords(
              (async function* () {
                for (const item of batch) yield create(SubmitRecordsRequestSchema, { item });
              })(),
            );
            const offset = results.length;
            for (const result of response.results) results.push({ ...result, index: result.index + offset });
            break;
          } catch (e) {
            const error = CreditExchangeError.from(e);
            if (attempt >= maxAttempts || !RETRYABLE_CODES.has(error.code)) throw error;
            await sleep(retryDelay(error, attempt));
          }
        }
      }
      return results;
    },

    async verifyReceipt(receipt, content) {
      if (!receiptKeys || !receiptKeys.some((k) => k.keyId === receipt.keyId)) {
        receiptKeys = (await receipts.getReceiptKeys({})).keys;
      }
      const payload = verifyReceipt(receipt, receiptKeys);
      if (!payload) throw new ReceiptVerificationError("The receipt's signature does not verify under the hub's published keys.");
      if (content && !receiptCovers(payload, content)) throw new ReceiptVerificationError("The receipt is for other content than the record given.");
      return payload;
    },
  };
}

/** Consecutive groups of at most maxItems items and maxBytes encoded bytes, in order. */
export function splitBatches(items: readonly SubmitRecordRequest[], maxItems: number, maxBytes: number): SubmitRecordRequest[][] {
  const batches: SubmitRecordRequest[][] = [];
  let batch: SubmitRecordRequest[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = toBinary(SubmitRecordRequestSchema, item).length + 16;
    if (batch.length > 0 && (batch.length === maxItems || bytes + size > maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

function retryDelay(error: ConnectError & { retryDelayMs?: number }, attempt: number): number {
  return error.retryDelayMs ?? Math.min(5_000, 200 * 2 ** (attempt - 1));
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new TypeError(`createHubClient: give ${what}`);
  return value;
}
