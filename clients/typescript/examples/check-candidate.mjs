// Checks one candidate for an honour as the regional credit platform (DRC). From the repository root, with the hub running:
//   node clients/typescript/examples/check-candidate.mjs [credit code]
import { AppraisalType, CreditExchangeError, Decision, createHubClient } from "../dist/index.js";

const hub = createHubClient({
  baseUrl: "https://localhost:5443", agencyId: "drc",
  certFile: "certs-dev/agencies/drc.crt", keyFile: "certs-dev/agencies/drc.key", caFile: "certs-dev/ca.crt",
  acceptLanguage: "zh-CN",
});
try {
  const check = await hub.appraisal.checkCandidate({
    purpose: { appraisalType: AppraisalType.HONORS, caseReference: "内组评〔2026〕7号" },
    subject: { key: { case: "creditCode", value: process.argv[2] ?? "111501000123456712" } },
  });
  // The answer lists the newest 20 deciding records at most and counts them all; getCreditFile reads the rest.
  console.log(`${Decision[check.result.decision]}: ${check.result.decidingRecordCount} deciding records, ${check.result.decidingRecords.length} listed`);
} catch (e) {
  if (!(e instanceof CreditExchangeError)) throw e;
  console.log(`refused: ${e.reasonName} ${e.localizedMessage ?? e.rawMessage}`);
  for (const v of e.fieldViolations) console.log(`  ${v.field}: ${v.description}`);
}
