// Submits one record as the court, then verifies the hub's receipt. From the repository root, with the hub running:
//   node clients/typescript/examples/submit-record.mjs
import { Category, Disclosure, PenaltyKind, RecordDomain, Severity, createHubClient } from "../dist/index.js";

const hub = createHubClient({
  baseUrl: "https://localhost:5443", agencyId: "court",
  certFile: "certs-dev/agencies/court.crt", keyFile: "certs-dev/agencies/court.key", caFile: "certs-dev/ca.crt",
});
const answer = await hub.records.submitRecord({
  sourceRecordId: `court-example-${Date.now()}`,
  record: {
    subject: { kind: { case: "governmentBody", value: { creditCode: "111501000123456712", name: "呼和浩特市某区人民政府" } }, divisionCode: "150102" },
    category: Category.JUDICIAL_JUDGMENT, severity: Severity.GENERAL, domain: RecordDomain.OTHER,
    decisionDocumentNumber: "(2025)内01执123号",
    decidingAuthority: { name: "呼和浩特市中级人民法院", creditCode: "91152201078371135X" },
    decisionDate: "2025-03-01", facts: "拒不履行生效判决确定的给付义务。", legalBasis: "《中华人民共和国民事诉讼法》第二百六十六条",
    penalty: { text: "纳入失信记录", kinds: [PenaltyKind.PUBLIC_CRITICISM] }, disclosure: Disclosure.PUBLIC,
  },
});
const receipt = await hub.verifyReceipt(answer.receipt, answer.record.content);
console.log(`record ${answer.record.recordId}, duplicate ${answer.duplicate}, receipt sequence ${receipt.sequence}`);
