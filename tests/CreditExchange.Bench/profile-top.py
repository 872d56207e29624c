#!/usr/bin/env python3
"""Where the hub's CPU goes, from `perf script` output of a recording made by profile.sh.

Three views, each as a share of the hub's on-CPU samples:
  threads  - by thread (the tiered JIT compiler's background thread shows here: code still being recompiled);
  library  - by the innermost library frame of each sample (the base class library is looked through, so a
             dictionary lookup inside EF Core counts as EF Core), native code by its shared object;
  hub      - by the innermost frame of the hub's own code (what it called, inclusive), samples without one by the
             library that ran them (Kestrel's I/O, the thread pool).
Usage: profile-top.py PERF_SCRIPT_OUTPUT [ROWS]
"""
import collections
import re
import sys

LOOKED_THROUGH = {
    'unknown', 'System.Private.CoreLib', 'System.Runtime', 'System.Linq', 'System.Collections', 'System.Collections.Concurrent',
    'System.Memory', 'System.Threading', 'System.Linq.Expressions', 'System.Runtime.InteropServices',
}


def frames_of(sample):
    lines = sample.strip().split('\n')
    if len(lines) < 2:
        return None, []
    return lines[0][:16].strip(), [line.strip() for line in lines[1:]]


def short(frame):
    m = re.search(r'\] ([^\[]*?)::([^\(]*)\(', frame)
    if not m:
        return frame[:80]
    name = m.group(1).split('.')[-1] + '::' + m.group(2)
    return re.sub(r'<(\w+)>d__\d+::MoveNext', r'\1', name)


def main():
    samples = open(sys.argv[1], encoding='utf-8', errors='replace').read().split('\n\n')
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    threads, libraries, hub = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for sample in samples:
        thread, frames = frames_of(sample)
        if not frames:
            continue
        total += 1
        threads[re.sub(r'\s*\d+$', '', thread)] += 1
        library = None
        for f in frames:
            a = re.search(r' \[([A-Za-z][\w\.]+)\] ', f)
            if a and a.group(1) not in LOOKED_THROUGH:
                library = a.group(1)
                break
        libraries[library or '(native) ' + frames[0].split('(')[-1].rstrip(')').split('/')[-1]] += 1
        own = next((short(f) for f in frames if '[CreditExchange.' in f), None)
        if own is None:
            own = '(no hub frame) ' + (library or frames[0].split('(')[-1].rstrip(')').split('/')[-1])
        hub[own] += 1
    if total == 0:
        print('no samples')
        return
    for title, counter in (('threads', threads), ('library', libraries), ('hub', hub)):
        print(f'== {title} ({total} samples)')
        for key, count in counter.most_common(rows):
            print(f'{count / total * 100:5.1f}%  {key}')


main()
