"""Submits one record as the court, then verifies the hub's receipt. From the repository root, with the hub running:
    PYTHONPATH=clients/python/src /usr/bin/python3 clients/python/examples/submit_record.py"""
import time

import creditexchange_client as ce
from creditexchange.records.v1 import records_pb2 as r

with ce.connect("https://localhost:5443", "court", "certs-dev/agencies/court.crt", "certs-dev/agencies/court.key", "certs-dev/ca.crt") as hub:
    answer = hub.records.SubmitRecord(r.SubmitRecordRequest(
        source_record_id=f"court-example-{int(time.time())}",
        record=r.RecordContent(
            subject=r.Subject(government_body=r.GovernmentBody(credit_code="111501000123456712", name="呼和浩特市某区人民政府"), division_code="150102"),
            category=r.CATEGORY_JUDICIAL_JUDGMENT, severity=r.SEVERITY_GENERAL, domain=r.RECORD_DOMAIN_OTHER,
            decision_document_number="(2025)内01执123号",
            deciding_authority=r.Authority(name="呼和浩特市中级人民法院", credit_code="91152201078371135X"),
            decision_date="2025-03-01", facts="拒不履行生效判决确定的给付义务。", legal_basis="《中华人民共和国民事诉讼法》第二百六十六条",
            penalty=r.Penalty(text="纳入失信记录", kinds=[r.PENALTY_KIND_PUBLIC_CRITICISM]), disclosure=r.DISCLOSURE_PUBLIC)))
    receipt = hub.verify_receipt(answer.receipt, answer.record.content)
    print(f"record {answer.record.record_id}, duplicate {answer.duplicate}, receipt sequence {receipt.sequence}")
