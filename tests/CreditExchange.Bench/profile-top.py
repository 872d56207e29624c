#!/usr/bin/env python3
"""Where a traced hub's busy threads spend their time, from a dotnet-trace speedscope file (sampled thread time).

Thread-time sampling also records threads that are blocked (thread-pool workers waiting for work, the socket event
loop in epoll, timers). Stacks that contain such a wait are left out, so what remains approximates CPU time. Prints
the top frames by inclusive share and by self share (native code is charged to the managed frame that called it).
Usage: profile-top.py FILE.speedscope.json [N]
"""
import json
import re
import sys
from collections import Counter

WAITS = re.compile(
    r"WaitHandle|LowLevelLifoSemaphore|LowLevelMonitor|Monitor\.Wait|Thread\.Sleep|SocketAsyncEngine\.EventLoop|"
    r"WaitForSocketEvents|ManualResetEventSlim\.Wait|SemaphoreSlim\.Wait|GateThread|TimerQueue\.TimerThread|"
    r"WaitSubsystem|Thread\.Join|WaitOneNoCheck|SignalAndWait|PollGC|Interop\+Sys\.(Read|Poll)|"
    r"ThreadPoolWorkQueue\.Dispatch\(\)$"
)
PSEUDO_LEAVES = ("UNMANAGED_CODE_TIME", "CPU_TIME")
# Frames that, as the innermost managed frame, wait in native code the sampler does not name (an idle thread-pool
# worker, the finalizer thread between runs).
IDLE_LEAVES = re.compile(r"WorkerThread\.WorkerThreadStart$|GC\.RunFinalizers$")
# Where the time goes, by what the hub is doing: a busy stack counts in every bucket one of its frames matches.
BUCKETS = [
    ("token validation (OpenIddict, IdentityModel, RSA)", r"OpenIddict\.Validation|Microsoft\.IdentityModel|RsaDecrypt|RsaVerify"),
    ("token issuing (OpenIddict server)", r"OpenIddict\.Server"),
    ("audit entry written before the answer", r"AuditStore\+<AppendAsync>|AuditWriter"),
    ("audit sealer (background)", r"AuditSealer"),
    ("request validation (ProtoValidate / CEL)", r"ProtoValidate|Cel\.|RequestValidator"),
    ("record submission store (RecordStore)", r"RecordStore\+<"),
    ("feed advisory lock", r"LockFeedAsync"),
    ("appraisal check (AppraisalChecks)", r"AppraisalChecks\+<"),
    ("content decrypt/encrypt, subject keys", r"PersonalDataProtector"),
    ("receipt signing", r"ReceiptSigner"),
    ("health check", r"DatabaseHealthCheck|HealthServiceImpl"),
    ("EF Core SaveChanges (all callers)", r"DbContext\+<SaveChangesAsync>"),
    ("EF Core queries (all callers)", r"QueryingEnumerable|SingleQueryingEnumerable|ShapedQueryCompiler|QueryCompiler"),
    ("EF Core context creation / DI scope", r"DbContext\.\.ctor|DbContextServices|ServiceProviderEngineScope|CreateScope"),
    ("Npgsql (protocol, connections)", r"^Npgsql!"),
    ("Kestrel HTTP/2 and TLS", r"Microsoft\.AspNetCore\.Server\.Kestrel|SslStream"),
    ("protobuf (de)serialisation", r"Google\.Protobuf"),
    ("logging", r"Microsoft\.Extensions\.Logging"),
]


def short(name: str) -> str:
    name = re.sub(r"\(.*\)$", "", name)
    return name if len(name) <= 140 else name[:137] + "..."


def main() -> None:
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    frames = [fr["name"] for fr in doc["shared"]["frames"]]
    inclusive, self_time, buckets = Counter(), Counter(), Counter()
    patterns = [(label, re.compile(rx)) for label, rx in BUCKETS]
    busy = idle = 0.0
    for profile in doc["profiles"]:
        stack, last = [], None
        for event in profile.get("events", []):
            at = event["at"]
            if last is not None and stack and at > last:
                span = at - last
                names = [frames[i] for i in stack]
                managed_leaf = names[-2] if names[-1] in PSEUDO_LEAVES and len(names) > 1 else names[-1]
                if any(WAITS.search(n) for n in names) or IDLE_LEAVES.search(short(managed_leaf)):
                    idle += span
                else:
                    busy += span
                    for n in set(short(n) for n in names):
                        inclusive[n] += span
                    leaf = names[-1]
                    if leaf in PSEUDO_LEAVES and len(names) > 1:
                        leaf = names[-2] + (" [native]" if leaf == "UNMANAGED_CODE_TIME" else "")
                    self_time[short(leaf)] += span
                    for label, rx in patterns:
                        if any(rx.search(n) for n in names):
                            buckets[label] += span
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
    if busy == 0:
        print("no busy samples")
        return
    print(f"busy thread time {busy / 1000:.1f} s, waiting {idle / 1000:.1f} s (left out)")
    print("\nby activity (inclusive; buckets overlap, e.g. the audit write includes its EF Core SaveChanges)")
    for label, _ in BUCKETS:
        print(f"{100 * buckets[label] / busy:6.1f}%  {label}")
    print(f"\ntop {top} by inclusive share of busy time")
    for name, t in inclusive.most_common(top):
        print(f"{100 * t / busy:6.1f}%  {name}")
    print(f"\ntop {top} by self share of busy time")
    for name, t in self_time.most_common(top):
        print(f"{100 * t / busy:6.1f}%  {name}")


if __name__ == "__main__":
    main()
