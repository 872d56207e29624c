"""Checks one candidate for an honour as the regional credit platform (DRC). From the repository root, with the hub running:
    PYTHONPATH=clients/python/src /usr/bin/python3 clients/python/examples/check_candidate.py [credit code]"""
import sys

import creditexchange_client as ce
from creditexchange.appraisal.v1 import appraisal_pb2 as a
from creditexchange.records.v1 import records_pb2 as r

with ce.connect("https://localhost:5443", "drc", "certs-dev/agencies/drc.crt", "certs-dev/agencies/drc.key", "certs-dev/ca.crt",
                accept_language="zh-CN") as hub:
    try:
        check = hub.appraisal.CheckCandidate(a.CheckCandidateRequest(
            purpose=a.Purpose(appraisal_type=a.APPRAISAL_TYPE_HONORS, case_reference="内组评〔2026〕7号"),
            subject=r.SubjectKey(credit_code=sys.argv[1] if len(sys.argv) > 1 else "111501000123456712")))
        # The answer lists the newest 20 deciding records at most and counts them all; GetCreditFile reads the rest.
        print(f"{a.Decision.Name(check.result.decision)}: {check.result.deciding_record_count} deciding records, "
              f"{len(check.result.deciding_records)} listed")
    except ce.CreditExchangeError as e:
        print(f"refused: {e.reason_name} {e.localized_message or e.details()}")
        for v in e.field_violations:
            print(f"  {v.field}: {v.description}")
