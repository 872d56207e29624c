// Follows the joint-punishment feed as the organization department on a named subscription: a restart continues after
// the last acknowledged event. From the repository root, with the hub running (Ctrl+C stops):
//   node clients/typescript/examples/follow-feed.mjs
import { Category, PunishmentAction, createHubClient } from "../dist/index.js";
import { RecordChange } from "../dist/gen/creditexchange/lifecycle/v1/lifecycle_pb.js";

const hub = createHubClient({
  baseUrl: "https://localhost:5443", agencyId: "organization",
  certFile: "certs-dev/agencies/organization.crt", keyFile: "certs-dev/agencies/organization.key", caFile: "certs-dev/ca.crt",
});
const follower = hub.followFeed({ subscription: "punishments" }, {
  onReconnect: (r) => console.log(`reconnecting in ${(r.delayMs / 1000).toFixed(1)} s: ${r.error?.message ?? "the stream ended"}`),
});
process.once("SIGINT", () => follower.stop());
await follower.run((e) => {
  let todo;
  switch (e.action) {
    case PunishmentAction.IMPOSE: todo = "impose punishments for"; break;
    case PunishmentAction.UPDATE: todo = "review punishments of"; break;
    case PunishmentAction.LIFT: todo = "lift punishments of"; break;
    default: todo = "nothing to do for";
  }
  const content = e.record ? Category[e.record.content.category] : "content withheld";
  console.log(`#${e.sequence} ${RecordChange[e.change]}: ${todo} record ${e.recordId} (${content})`);
});
console.log(`stopped after sequence ${follower.position}, acknowledged ${follower.acknowledgedSequence}`);
