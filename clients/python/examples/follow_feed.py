"""Follows the joint-punishment feed as the organization department on a named subscription: a restart continues after
the last acknowledged event. From the repository root, with the hub running (Ctrl+C stops):
    PYTHONPATH=clients/python/src /usr/bin/python3 clients/python/examples/follow_feed.py"""
import signal

import creditexchange_client as ce
from creditexchange.feed.v1 import feed_pb2 as f
from creditexchange.lifecycle.v1 import lifecycle_pb2 as l
from creditexchange.records.v1 import records_pb2 as r

TODO = {f.PUNISHMENT_ACTION_IMPOSE: "impose punishments for", f.PUNISHMENT_ACTION_UPDATE: "review punishments of",
        f.PUNISHMENT_ACTION_LIFT: "lift punishments of"}


def handle(e):
    content = r.Category.Name(e.record.content.category) if e.HasField("record") else "content withheld"
    todo = TODO.get(e.action, "nothing to do for")
    print(f"#{e.sequence} {l.RecordChange.Name(e.change)}: {todo} record {e.record_id} ({content})", flush=True)


with ce.connect("https://localhost:5443", "organization", "certs-dev/agencies/organization.crt",
                "certs-dev/agencies/organization.key", "certs-dev/ca.crt") as hub:
    follower = hub.follow_feed(f.SubscribeRequest(subscription="punishments"), on_reconnect=lambda x: print(
        f"reconnecting in {x.delay_seconds:.1f} s: {x.error or 'the stream ended'}", flush=True))
    signal.signal(signal.SIGINT, lambda *_: follower.stop())
    follower.run(handle)
    print(f"stopped after sequence {follower.position}, acknowledged {follower.acknowledged_sequence}")
