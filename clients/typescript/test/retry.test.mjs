// The SDK's retry list against the contract: pure unit tests over the built SDK (dist/), no hub needed.
// `node --test test/` runs them with the live-hub suite; `node --test test/retry.test.mjs` runs them alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getOption, hasOption } from "@bufbuild/protobuf";
import { IDEMPOTENT_METHODS, IDEMPOTENT_SERVICES } from "../dist/index.js";
import { policy } from "../dist/gen/creditexchange/api/v1/policy_pb.js";

const generated = fileURLToPath(new URL("../dist/gen/creditexchange/", import.meta.url));

/** Every method of every service in every generated creditexchange file, found on disk (not through the SDK's own list). */
async function contractMethods() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith("_pb.js")) files.push(join(dir, entry.name));
    }
  };
  walk(generated);
  assert.ok(files.length >= 10, `generated files under ${generated}: ${files.length}`);
  const methods = [];
  for (const file of files) {
    const module = await import(pathToFileURL(file).href);
    for (const desc of Object.values(module)) {
      if (desc?.kind !== "file") continue;
      for (const service of desc.services) {
        for (const method of service.methods) methods.push({ name: `${service.typeName}/${method.name}`, service: service.typeName, method });
      }
    }
  }
  return methods;
}

test("retry list: exactly the contract's methods whose policy option sets idempotent", async () => {
  const methods = await contractMethods();
  const idempotent = methods.filter((m) => getOption(m.method, policy).idempotent).map((m) => m.name);
  assert.ok(methods.length > idempotent.length && idempotent.length > 0);
  assert.deepEqual([...IDEMPOTENT_METHODS].sort(), idempotent.sort());
});

test("retry list: every contract method declares a policy with a scope", async () => {
  for (const { name, method } of await contractMethods()) {
    assert.ok(hasOption(method, policy), `${name} declares no (creditexchange.api.v1.policy)`);
    assert.notEqual(getOption(method, policy).scope, "", `${name} declares no scope`);
  }
});

test("retry list: submissions and reads are retried; lifecycle changes and the feed stream are not", () => {
  for (const name of [
    "creditexchange.records.v1.RecordService/SubmitRecord",
    "creditexchange.records.v1.RecordService/SubmitRecords",
    "creditexchange.records.v1.RecordService/GetRecord",
    "creditexchange.lifecycle.v1.LifecycleService/GetRecordHistory",
    "creditexchange.admin.v1.AdminService/ListAgencies",
    "creditexchange.feed.v1.FeedService/AcknowledgeEvents",
  ]) {
    assert.ok(IDEMPOTENT_METHODS.has(name), `${name} is not retried`);
  }
  for (const name of [
    "creditexchange.lifecycle.v1.LifecycleService/CorrectRecord",
    "creditexchange.lifecycle.v1.LifecycleService/RevokeRecord",
    "creditexchange.admin.v1.AdminService/RegisterAgency",
    "creditexchange.feed.v1.FeedService/Subscribe",
  ]) {
    assert.ok(!IDEMPOTENT_METHODS.has(name), `${name} is retried`);
  }
});

test("retry list: IDEMPOTENT_SERVICES are the services all of whose methods are idempotent", async () => {
  const byService = new Map();
  for (const m of await contractMethods()) byService.set(m.service, [...(byService.get(m.service) ?? []), m]);
  const whole = [...byService].filter(([, methods]) => methods.every((m) => IDEMPOTENT_METHODS.has(m.name))).map(([service]) => service);
  assert.deepEqual([...IDEMPOTENT_SERVICES].sort(), whole.sort());
  assert.ok(IDEMPOTENT_SERVICES.has("creditexchange.records.v1.RecordService"));
  assert.ok(!IDEMPOTENT_SERVICES.has("creditexchange.lifecycle.v1.LifecycleService"));
  assert.ok(!IDEMPOTENT_SERVICES.has("creditexchange.feed.v1.FeedService"));
});
