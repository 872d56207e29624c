"""The Python SDK against a live hub, started by the xunit test ForeignSdkTests (tests/test.sh runs
it) with the hub's address and the development material in the environment; the unit tests
(RetryListFromContract, ErrorReasonNames) need no hub and run wherever the suite runs."""

import datetime
import importlib
import io
import json
import os
import pathlib
import socket
import threading
import time
import unittest
import uuid
import zipfile

import grpc
from google.protobuf import descriptor_pb2

import creditexchange_client as ce
from creditexchange_client import client as ce_client
from creditexchange.api.v1 import policy_pb2
from creditexchange.appraisal.v1 import appraisal_pb2
from creditexchange.errors.v1 import errors_pb2
from creditexchange.evidence.v1 import evidence_pb2
from creditexchange.feed.v1 import feed_pb2
from creditexchange.lifecycle.v1 import lifecycle_pb2
from creditexchange.receipts.v1 import receipts_pb2
from creditexchange.records.v1 import records_pb2
from google.rpc import error_details_pb2

ENV = os.environ
CODES = iter(ENV.get("CREDITEXCHANGE_CREDIT_CODES", "").split(","))


def connect(agency, base_url=None, **options):
    folder = ENV["CREDITEXCHANGE_AGENCIES"]
    return ce.connect(base_url or ENV["CREDITEXCHANGE_HUB"], agency, os.path.join(folder, agency + ".crt"),
                      os.path.join(folder, agency + ".key"), ENV["CREDITEXCHANGE_CA"], **options)


def submission(subject=None, category=records_pb2.CATEGORY_JUDICIAL_JUDGMENT):
    subject = subject or records_pb2.Subject(
        government_body=records_pb2.GovernmentBody(credit_code=next(CODES), name="呼和浩特市某区人民政府"), division_code="150102")
    return records_pb2.SubmitRecordRequest(source_record_id=f"py-{uuid.uuid4().hex}", record=records_pb2.RecordContent(
        subject=subject, category=category, severity=records_pb2.SEVERITY_GENERAL, domain=records_pb2.RECORD_DOMAIN_OTHER,
        decision_document_number="(2025)内01执123号",
        deciding_authority=records_pb2.Authority(name="呼和浩特市中级人民法院", credit_code="91152201078371135X"),
        decision_date="2025-03-01", facts="拒不履行生效判决确定的给付义务。", legal_basis="《中华人民共和国民事诉讼法》第二百六十六条",
        penalty=records_pb2.Penalty(text="纳入失信记录", kinds=[records_pb2.PENALTY_KIND_PUBLIC_CRITICISM]),
        disclosure=records_pb2.DISCLOSURE_PUBLIC))


@unittest.skipUnless("CREDITEXCHANGE_HUB" in ENV, "run through tests/test.sh (ForeignSdkTests starts the hub)")
class SdkAgainstLiveHub(unittest.TestCase):
    def test_submit_then_get_authorised_over_mtls(self):
        with connect("court") as court, connect("drc") as drc:
            submitted = court.records.SubmitRecord(submission())
            got = drc.records.GetRecord(records_pb2.GetRecordRequest(record_id=submitted.record.record_id))
        self.assertFalse(submitted.duplicate)
        self.assertEqual(submitted.record.content.subject.government_body.credit_code, got.record.content.subject.government_body.credit_code)

    def test_check_candidate_record_decides(self):
        with connect("court") as court, connect("drc") as drc:
            request = submission()
            submitted = court.records.SubmitRecord(request)
            check = drc.appraisal.CheckCandidate(appraisal_pb2.CheckCandidateRequest(
                purpose=appraisal_pb2.Purpose(appraisal_type=appraisal_pb2.APPRAISAL_TYPE_HONORS, case_reference="内组评〔2026〕7号"),
                subject=records_pb2.SubjectKey(credit_code=request.record.subject.government_body.credit_code)))
        self.assertIn(submitted.record.record_id, [r.record_id for r in check.result.deciding_records])

    def test_submit_batch_splits_and_answers_in_order(self):
        with connect("court", max_batch_items=4) as court:
            items = [submission() for _ in range(10)]
            items[6].record.subject.government_body.credit_code = "91110108551385082F"  # wrong check character
            results = court.submit_batch(items)
        self.assertEqual(list(range(10)), [r.index for r in results])
        self.assertEqual([i.source_record_id for i in items], [r.source_record_id for r in results])
        self.assertEqual("error", results[6].WhichOneof("outcome"))
        # The same refusal as a single SubmitRecord of the item: INVALID_REQUEST, also as a google.rpc.Status.
        self.assertEqual(errors_pb2.ERROR_REASON_INVALID_REQUEST, ce.parse_error_reason(results[6].error.reason))
        self.assertEqual(3, results[6].status.code)  # INVALID_ARGUMENT
        self.assertTrue(any(d.Is(error_details_pb2.ErrorInfo.DESCRIPTOR) for d in results[6].status.details))
        self.assertEqual(9, sum(1 for r in results if r.WhichOneof("outcome") == "record"))

    def test_token_refresh_after_lifetime(self):
        with connect("drc") as drc:
            drc.receipts.GetReceiptKeys(receipts_pb2.GetReceiptKeysRequest())
            time.sleep(float(ENV["CREDITEXCHANGE_TOKEN_LIFETIME_SECONDS"]) + 0.5)
            keys = drc.receipts.GetReceiptKeys(receipts_pb2.GetReceiptKeysRequest())
            self.assertTrue(keys.keys)
            self.assertEqual(2, drc.tokens.tokens_issued)

    def test_rate_limited_then_retried_after_retry_info(self):
        limited = ENV["CREDITEXCHANGE_LIMITED_HUB"]
        with connect("drc", limited) as retrying, connect("drc", limited, max_attempts=1) as single:
            retrying.receipts.GetReceiptKeys(receipts_pb2.GetReceiptKeysRequest())
            with self.assertRaises(ce.CreditExchangeError) as refused:
                single.receipts.GetReceiptKeys(receipts_pb2.GetReceiptKeysRequest())
            retried = retrying.receipts.GetReceiptKeys(receipts_pb2.GetReceiptKeysRequest())
        self.assertEqual(errors_pb2.ERROR_REASON_RATE_LIMITED, refused.exception.reason)
        self.assertGreater(refused.exception.retry_delay_seconds, 0)
        self.assertTrue(retried.keys)

    def test_bad_resident_id_typed_error_with_field_path(self):
        subject = records_pb2.Subject(civil_servant=records_pb2.CivilServant(resident_id="36042619910102009X", name="张三"), division_code="150102")
        with connect("supervision", accept_language="zh-CN") as supervision:
            with self.assertRaises(ce.CreditExchangeError) as refused:
                supervision.records.SubmitRecord(submission(subject, records_pb2.CATEGORY_DISCIPLINARY_SANCTION))
        error = refused.exception
        self.assertEqual(errors_pb2.ERROR_REASON_INVALID_REQUEST, error.reason)
        self.assertEqual("INVALID_REQUEST", error.reason_name)
        self.assertIn("record.subject.civil_servant.resident_id", [v.field for v in error.field_violations])
        self.assertEqual("zh-CN", error.locale)

    def test_receipt_genuine_verifies_tampered_refused(self):
        with connect("court") as court:
            submitted = court.records.SubmitRecord(submission())
            payload = court.verify_receipt(submitted.receipt, submitted.record.content)
            tampered = receipts_pb2.Receipt()
            tampered.CopyFrom(submitted.receipt)
            tampered.signed_payload = tampered.signed_payload[:-1] + bytes([tampered.signed_payload[-1] ^ 1])
            other = records_pb2.RecordContent()
            other.CopyFrom(submitted.record.content)
            other.facts += "（改）"
            self.assertEqual(submitted.record.record_id, payload.record_id)
            with self.assertRaises(ce.ReceiptVerificationError):
                court.verify_receipt(tampered)
            with self.assertRaises(ce.ReceiptVerificationError):
                court.verify_receipt(submitted.receipt, other)


def control(command):
    """Sends one command to the restartable instance (stop, start, freeze, drop) and waits for its "ok"."""
    with socket.create_connection(("127.0.0.1", int(ENV["CREDITEXCHANGE_FEED_CONTROL"])), timeout=120) as s:
        s.sendall((command + "\n").encode("ascii"))
        reply = s.makefile(encoding="ascii").readline()
    if not reply.startswith("ok"):
        raise AssertionError(f"{command}: {reply}")


def submit_recent(court, count):
    """Submits court judgments decided yesterday (no start-up expiry sweep adds events for them); their ids in order."""
    yesterday = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8) - datetime.timedelta(days=1)).date().isoformat()
    ids = []
    for _ in range(count):
        request = submission()
        request.record.decision_date = yesterday
        ids.append(court.records.SubmitRecord(request).record.record_id)
    return ids


@unittest.skipUnless("CREDITEXCHANGE_HUB" in ENV and "CREDITEXCHANGE_TSA" in ENV, "run through tests/test.sh (needs the hub and its TSA)")
class EvidenceAgainstLiveHub(unittest.TestCase):
    def test_whole_life_through_the_sdk_exports_a_bundle_that_verifies_offline(self):
        with connect("court") as court, connect("drc") as drc:
            record = court.records.SubmitRecord(submission()).record
            content = records_pb2.RecordContent()
            content.CopyFrom(record.content)
            content.decision_document_number = "(2025)内01执124号"
            court.lifecycle.CorrectRecord(lifecycle_pb2.CorrectRecordRequest(
                record_id=record.record_id, expected_version=1, reason="案号更正", content=content))
            objection = drc.lifecycle.FileObjection(lifecycle_pb2.FileObjectionRequest(
                record_id=record.record_id, expected_version=2, grounds="事实有误。")).objection
            court.lifecycle.AnswerObjection(lifecycle_pb2.AnswerObjectionRequest(
                objection_id=objection.objection_id, expected_version=3, outcome=lifecycle_pb2.OBJECTION_STATE_DISMISSED, answer="维持原记录。"))
            court.lifecycle.RevokeRecord(lifecycle_pb2.RevokeRecordRequest(record_id=record.record_id, expected_version=4, reason="判决被撤销。"))
            exported = drc.evidence.ExportEvidence(evidence_pb2.ExportEvidenceRequest(
                record_id=record.record_id, purpose="（2026）内01民初1号案件调查取证", include_signed_requests=True), timeout=60)

        # Offline from here: the bundle's bytes and the two trust anchors.
        with open(ENV["CREDITEXCHANGE_CA"], "rb") as f:
            ca = f.read()
        with open(ENV["CREDITEXCHANGE_TSA"], "rb") as f:
            tsa = f.read()
        result = ce.verify_evidence_bundle(exported.bundle, ca, tsa)
        self.assertTrue(result.ok, f"{result.failed_part}: {result.reason}")
        with zipfile.ZipFile(io.BytesIO(exported.bundle)) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        self.assertEqual(5, sum(name.endswith("/signing-input.bin") for name in parts))

        # One changed byte of the receipt is named by its path.
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for name, data in parts.items():
                if name == "versions/0001/receipt.bin":
                    data = bytearray(data)
                    data[len(data) // 2] ^= 1
                    data = bytes(data)
                z.writestr(name, data)
        tampered = ce.verify_evidence_bundle(buffer.getvalue(), ca, tsa)
        self.assertFalse(tampered.ok)
        self.assertEqual("versions/0001/receipt.bin", tampered.failed_part)


class Running:
    """A follower running on a thread of its own, as a department's service would run it."""

    def __init__(self, follower, handler):
        self.follower = follower
        self.error = None

        def target():
            try:
                follower.run(handler)
            except BaseException as e:  # noqa: BLE001 - reported to the test
                self.error = e

        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()

    def until(self, condition, timeout=60.0):
        deadline = time.monotonic() + timeout
        while not condition():
            if not self.thread.is_alive():
                raise AssertionError(f"the follower stopped before the condition held: {self.error!r}")
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting")
            time.sleep(0.05)

    def join(self, timeout=60.0):
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise AssertionError("the follower did not stop")
        return self.error

    def stop(self):
        self.follower.stop()
        return self.join()


SUBMITTED_ONLY = dict(changes=[lifecycle_pb2.RECORD_CHANGE_SUBMITTED], heartbeat_seconds=1)


@unittest.skipUnless("CREDITEXCHANGE_FEED_HUB" in ENV, "run through tests/test.sh (ForeignSdkTests starts the hubs)")
class FeedFollowerAgainstLiveHub(unittest.TestCase):
    """The feed follower against an instance the test stops, starts again and cuts off (ForeignSdkTests' RestartableHub)."""

    def follow(self, hub, request, handler, **options):
        running = Running(hub.follow_feed(request, **options), handler)
        self.addCleanup(running.follower.stop)
        return running

    def test_hub_stops_and_starts_again_resumes_with_fresh_token_nothing_lost_or_repeated(self):
        handled, reconnects = [], []
        with connect("court") as court, connect("drc", ENV["CREDITEXCHANGE_FEED_HUB"]) as drc:
            running = self.follow(drc, feed_pb2.SubscribeRequest(from_now=True, heartbeat_seconds=1), handled.append,
                                  initial_backoff=0.2, max_backoff=1.0, on_reconnect=reconnects.append)
            running.until(lambda: running.follower.position is not None)
            before = submit_recent(court, 3)  # through the other instance, as the department systems keep doing
            running.until(lambda: len(handled) >= 3)
            control("stop")  # under the open stream
            try:
                during = submit_recent(court, 3)
                time.sleep(float(ENV["CREDITEXCHANGE_TOKEN_LIFETIME_SECONDS"]) + 0.5)  # the first token expires meanwhile
            finally:
                control("start")
            after = submit_recent(court, 2)
            mine = before + during + after
            running.until(lambda: all(any(e.record_id == i for e in handled) for i in mine))
            self.assertIsNone(running.stop())
            issued = drc.tokens.tokens_issued

        self.assertEqual(mine, [e.record_id for e in handled if e.record_id in mine])
        sequences = [e.sequence for e in handled]
        self.assertEqual(sorted(set(sequences)), sequences, "strictly increasing: nothing repeated")
        self.assertTrue(all(e.action == feed_pb2.PUNISHMENT_ACTION_IMPOSE for e in handled if e.record_id in mine))
        self.assertGreaterEqual(running.follower.reconnects, 1)
        self.assertIsNone(reconnects[0].error)  # the stopping instance ended the stream cleanly
        self.assertGreaterEqual(issued, 2, "a reconnect after the token's lifetime fetched a new token")
        self.assertFalse([r for r in reconnects if isinstance(r.error, grpc.RpcError) and r.error.code() == grpc.StatusCode.UNAUTHENTICATED],
                         "never tried a stale token")

    def test_named_subscription_resumes_after_acknowledged_and_failed_event_comes_again(self):
        name = f"py-{uuid.uuid4().hex}"
        feed_hub = ENV["CREDITEXCHANGE_FEED_HUB"]
        with connect("court") as court:
            first_seen = []
            with connect("drc", feed_hub) as drc:
                def first_handler(e):
                    first_seen.append(e)
                    if len(first_seen) == 5:
                        first.follower.stop()  # the department's system shuts down after its fifth event
                first = self.follow(drc, feed_pb2.SubscribeRequest(subscription=name, from_now=True, **SUBMITTED_ONLY),
                                    first_handler, acknowledge_every=2)
                first.until(lambda: first.follower.position is not None)
                early = submit_recent(court, 5)
                self.assertIsNone(first.join())
            later = submit_recent(court, 3)  # committed while nobody follows

            # The system restarts with no cursor of its own; its handler fails on the second event.
            second_seen = []
            with connect("drc", feed_hub) as drc:
                def second_handler(e):
                    second_seen.append(e)
                    if len(second_seen) == 2:
                        raise RuntimeError("the punishment system is down")
                second = self.follow(drc, feed_pb2.SubscribeRequest(subscription=name, **SUBMITTED_ONLY), second_handler)
                failure = second.join()

            # The next start gets the failed event again (at least once, never skipped) and what followed.
            third_seen = []
            with connect("drc", feed_hub) as drc:
                def third_handler(e):
                    third_seen.append(e)
                    if len(third_seen) == 2:
                        third.follower.stop()
                third = self.follow(drc, feed_pb2.SubscribeRequest(subscription=name, **SUBMITTED_ONLY), third_handler)
                self.assertIsNone(third.join())

        self.assertEqual(early, [e.record_id for e in first_seen])
        self.assertEqual(first_seen[4].sequence, first.follower.acknowledged_sequence)  # acknowledged on the way out
        self.assertIsInstance(failure, RuntimeError)
        self.assertEqual(later[:2], [e.record_id for e in second_seen])
        self.assertEqual(second_seen[0].sequence, second.follower.acknowledged_sequence)  # what it completed, not what failed
        self.assertEqual(later[1:], [e.record_id for e in third_seen])
        self.assertEqual(third_seen[1].sequence, third.follower.acknowledged_sequence)

    def test_silent_network_path_replaced_nothing_missed(self):
        handled, reconnects = [], []
        with connect("court") as court, connect("drc", ENV["CREDITEXCHANGE_FEED_HUB"], keepalive_time=1.0, keepalive_timeout=1.0) as drc:
            running = self.follow(drc, feed_pb2.SubscribeRequest(from_now=True, **SUBMITTED_ONLY), handled.append,
                                  stall_timeout=3.0, initial_backoff=0.1, on_reconnect=reconnects.append)
            running.until(lambda: running.follower.position is not None)
            before = submit_recent(court, 1)
            running.until(lambda: len(handled) == 1)
            control("freeze")  # no reset, no FIN: the packets just stop
            after = submit_recent(court, 2)
            running.until(lambda: len(handled) == 3)
            self.assertIsNone(running.stop())
        self.assertEqual(before + after, [e.record_id for e in handled])
        self.assertTrue(reconnects)


def contract_methods():
    """(service, method, policy) of every method of every generated creditexchange file, found on disk and read
    from each file's serialized FileDescriptorProto (not through the SDK's own descriptor walk)."""
    gen = pathlib.Path(ce.__file__).parent / "_gen"
    files = sorted((gen / "creditexchange").rglob("*_pb2.py"))
    assert len(files) >= 10, files
    methods = []
    for path in files:
        module = importlib.import_module(".".join(path.relative_to(gen).with_suffix("").parts))
        proto = descriptor_pb2.FileDescriptorProto.FromString(module.DESCRIPTOR.serialized_pb)
        for service in proto.service:
            for method in service.method:
                policy = method.options.Extensions[policy_pb2.policy] if method.options.HasExtension(policy_pb2.policy) else None
                methods.append((f"{proto.package}.{service.name}", method.name, policy))
    return methods


class RetryListFromContract(unittest.TestCase):
    """Pure unit tests (no hub): the retried calls are exactly the contract's idempotent methods."""

    def test_idempotent_methods_are_the_contract_methods_whose_policy_sets_idempotent(self):
        methods = contract_methods()
        idempotent = {(s, m) for s, m, p in methods if p is not None and p.idempotent}
        self.assertTrue(0 < len(idempotent) < len(methods))
        self.assertEqual(len(ce_client.IDEMPOTENT_METHODS), len(set(ce_client.IDEMPOTENT_METHODS)))
        self.assertEqual(idempotent, set(ce_client.IDEMPOTENT_METHODS))

    def test_every_contract_method_declares_a_policy_with_a_scope(self):
        for service, method, policy in contract_methods():
            self.assertIsNotNone(policy, f"{service}/{method} declares no (creditexchange.api.v1.policy)")
            self.assertTrue(policy.scope, f"{service}/{method} declares no scope")

    def test_known_methods_retried_or_not(self):
        retried = {f"{s}/{m}" for s, m in ce_client.IDEMPOTENT_METHODS}
        for name in ("creditexchange.records.v1.RecordService/SubmitRecord", "creditexchange.records.v1.RecordService/SubmitRecords",
                     "creditexchange.records.v1.RecordService/GetRecord", "creditexchange.lifecycle.v1.LifecycleService/GetRecordHistory",
                     "creditexchange.admin.v1.AdminService/ListAgencies", "creditexchange.feed.v1.FeedService/AcknowledgeEvents"):
            self.assertIn(name, retried)
        for name in ("creditexchange.lifecycle.v1.LifecycleService/CorrectRecord", "creditexchange.lifecycle.v1.LifecycleService/RevokeRecord",
                     "creditexchange.admin.v1.AdminService/RegisterAgency", "creditexchange.feed.v1.FeedService/Subscribe"):
            self.assertNotIn(name, retried)

    def test_idempotent_services_are_those_whose_every_method_is_idempotent(self):
        by_service = {}
        for service, method, _ in contract_methods():
            by_service.setdefault(service, []).append((service, method))
        whole = {s for s, ms in by_service.items() if all(m in ce_client.IDEMPOTENT_METHODS for m in ms)}
        self.assertEqual(whole, set(ce_client.IDEMPOTENT_SERVICES))
        self.assertIn("creditexchange.records.v1.RecordService", whole)
        self.assertNotIn("creditexchange.lifecycle.v1.LifecycleService", whole)

    def test_service_config_retries_exactly_the_idempotent_methods(self):
        config = json.loads(ce_client.service_config(4))["methodConfig"]
        self.assertEqual(1, len(config))
        names = config[0]["name"]
        self.assertTrue(all(set(n) == {"service", "method"} for n in names), "every method named, no whole service")
        idempotent = {(s, m) for s, m, p in contract_methods() if p is not None and p.idempotent}
        # Signed methods are retried by the client's interceptor, each attempt signed anew, not by the channel.
        self.assertIn(("creditexchange.records.v1.RecordService", "SubmitRecord"), ce_client.SIGNED_RETRIED_METHODS)
        idempotent -= ce_client.SIGNED_RETRIED_METHODS
        self.assertEqual(idempotent, {(n["service"], n["method"]) for n in names})
        self.assertEqual(len(idempotent), len(names))
        self.assertEqual({"maxAttempts": 4, "initialBackoff": "0.2s", "maxBackoff": "5s", "backoffMultiplier": 2,
                          "retryableStatusCodes": ["UNAVAILABLE", "RESOURCE_EXHAUSTED"]}, config[0]["retryPolicy"])
        self.assertNotIn("retryPolicy", json.loads(ce_client.service_config(1))["methodConfig"][0])


VECTOR = pathlib.Path(__file__).resolve().parents[2] / "testdata" / "signing-vector.json"


class AgencySignatures(unittest.TestCase):
    def test_signing_input_bytes_agree_with_the_shared_vector(self):
        from google.protobuf import json_format, timestamp_pb2
        vector = json.loads(VECTOR.read_text(encoding="utf-8"))
        request = json_format.ParseDict(vector["request"], records_pb2.SubmitRecordRequest())
        signed_at = timestamp_pb2.Timestamp()
        signed_at.FromJsonString(vector["signedAt"])
        data = ce.signing_input_bytes(vector["method"], vector["agencyId"], request, signed_at, bytes.fromhex(vector["nonceHex"]))
        self.assertEqual(vector["signingInputHex"], data.hex())

    def test_signer_signs_write_requests_only_and_verifies_with_the_certificate(self):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        folder = pathlib.Path(ENV.get("CREDITEXCHANGE_AGENCIES", ""))
        if not (folder / "court.key").exists():
            self.skipTest("no agency certificates (run through tests/test.sh)")
        signer = ce.RequestSigner((folder / "court.key").read_bytes(), "court")
        method = "/creditexchange.records.v1.RecordService/SubmitRecord"
        request = submission()
        signed = signer.sign(method, request)
        self.assertFalse(request.HasField("signature"), "the caller's request is not changed")
        self.assertEqual(16, len(signed.signature.nonce))
        data = ce.signing_input_bytes(method, "court", signed, signed.signature.signed_at, signed.signature.nonce)
        key = x509.load_pem_x509_certificate((folder / "court.crt").read_bytes()).public_key()
        key.verify(signed.signature.signature, data, ec.ECDSA(hashes.SHA256()))
        read = records_pb2.GetRecordRequest(record_id=str(uuid.uuid4()))
        self.assertIs(read, signer.sign("/creditexchange.records.v1.RecordService/GetRecord", read))

    @unittest.skipUnless(ENV.get("CREDITEXCHANGE_HUB"), "needs a live hub")
    def test_signed_submission_accepted_where_signatures_are_required_receipt_names_the_request(self):
        with connect("court") as court:
            response = court.records.SubmitRecord(submission())
            payload = receipts_pb2.ReceiptPayload.FromString(response.receipt.signed_payload)
            self.assertEqual(64, len(payload.request_sha256))
            batch = court.submit_batch([submission() for _ in range(3)])
            self.assertTrue(all(r.HasField("record") for r in batch))


class ErrorReasonNames(unittest.TestCase):
    def test_every_value_round_trips_through_its_wire_name(self):
        for value in errors_pb2.ErrorReason.values():
            name = ce.error_reason_name(value)
            self.assertFalse(name.startswith("ERROR_REASON_"))
            self.assertEqual(value, ce.parse_error_reason(name))
        self.assertEqual("RECORD_NOT_FOUND", ce.error_reason_name(errors_pb2.ERROR_REASON_RECORD_NOT_FOUND))
        self.assertEqual(errors_pb2.ERROR_REASON_UNSPECIFIED, ce.parse_error_reason("NO_SUCH_REASON"))


if __name__ == "__main__":
    unittest.main()
