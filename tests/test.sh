#!/usr/bin/env bash
# Runs every test of CreditExchange: installs what a fresh machine lacks (PostgreSQL server binaries, the pinned
# buf CLI from package-lock.json, the SDK toolchains), lints the protos with buf, checks the committed SDK stubs, then
# runs `dotnet test` on the whole solution (which also runs the TypeScript and Python SDK suites against live hubs),
# then, when CREDITEXCHANGE_SCALEOUT says so, tests/scale-out.sh (two hubs, HAProxy, Patroni switchover).
# Once dotnet test has run, the last line printed is "N passed, N failed, N skipped", summed over all test assemblies,
# the node and python SDK suites and the scale-out check;
# the exit status is non-zero if the build failed, a test failed or its host crashed/hung, or no test ran.
# Extra arguments go to `dotnet test`, e.g. ./tests/test.sh --filter "FullyQualifiedName~Infrastructure"
# Set CREDITEXCHANGE_TEST_POSTGRES to an Npgsql connection string to use an existing PostgreSQL server instead.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root="$(pwd)"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NPM_CONFIG_UPDATE_NOTIFIER=false
# vstest kills a test host 100 ms after its run ends unless told otherwise; give ProcessExit handlers (which stop the
# tests' PostgreSQL servers and delete their folders) time to finish. A healthy host still exits at once.
export VSTEST_TESTHOST_SHUTDOWN_TIMEOUT="${VSTEST_TESTHOST_SHUTDOWN_TIMEOUT:-15000}"

work_dir="$repo_root/TestResults/test"   # TestResults/ is gitignored
mkdir -p "$work_dir"

step() { printf '==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

# Runs a noisy command with its output sent to a log file, which is shown only if the command fails.
quietly() {
  local log="$1"; shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    die "failed: $* (full log: $log)"
  fi
}

# Same search as tests/CreditExchange.Testing/Infrastructure/PostgresCluster.cs: pg_config --bindir, then the newest
# /usr/lib/postgresql/*/bin, then initdb on PATH.
find_pg_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then printf '%s\n' "$dir"; return 0; fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then printf '%s\n' "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then
    dir="$(dirname "$(readlink -f "$(command -v initdb)")")"
    if [[ -x "$dir/pg_ctl" ]]; then printf '%s\n' "$dir"; return 0; fi
  fi
  return 1
}

# --- 1. PostgreSQL server binaries -----------------------------------------------------------------------------
if [[ -n "${CREDITEXCHANGE_TEST_POSTGRES:-}" ]]; then
  step "postgres: using the server named by CREDITEXCHANGE_TEST_POSTGRES"
elif pg_bindir="$(find_pg_bindir)"; then
  step "postgres: server binaries found in $pg_bindir"
else
  if [[ "$(id -u)" -ne 0 ]]; then
    die "PostgreSQL server binaries (initdb, pg_ctl) are missing. Install them with:
  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
or set CREDITEXCHANGE_TEST_POSTGRES to an Npgsql connection string of a server where that user may CREATE DATABASE."
  fi
  step "postgres: server binaries missing, installing with apt-get (postgresql)"
  quietly "$work_dir/apt-update.log" apt-get update
  # The package may create and start a system cluster on port 5432; the tests never use it (they run their own).
  quietly "$work_dir/apt-install.log" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold postgresql
  pg_bindir="$(find_pg_bindir)" || die "apt-get installed postgresql but no initdb was found (see $work_dir/apt-install.log)"
  step "postgres: installed, server binaries in $pg_bindir"
fi

# --- 2. buf CLI (pinned in package.json / package-lock.json) ---------------------------------------------------
command -v node >/dev/null 2>&1 || die "node is required (for the pinned buf CLI from npm)"
want_buf="$(node -p "require('./package.json').devDependencies['@bufbuild/buf']")"
have_buf=""
if [[ -x node_modules/.bin/buf ]]; then
  have_buf="$(node_modules/.bin/buf --version 2>/dev/null || true)"
fi
if [[ "$have_buf" != "$want_buf" ]]; then
  step "buf: installing $want_buf with npm ci"
  quietly "$work_dir/npm-ci.log" npm ci --no-audit --no-fund --ignore-scripts
  have_buf="$(node_modules/.bin/buf --version)"
  [[ "$have_buf" == "$want_buf" ]] || die "npm ci installed buf $have_buf, expected $want_buf"
else
  step "buf: $have_buf already installed"
fi
export PATH="$repo_root/node_modules/.bin:$PATH"

# --- 2b. SDK toolchains: protoc + grpc python plugin (generation), Debian's python3 with grpcio, cryptography, asn1crypto
# (the evidence verifier's RFC 3161 parsing) and venv (Python SDK tests),
# protoc-gen-es, TypeScript and connect-node (clients/typescript/package-lock.json); jq, which the README's walk-through
# uses (ReadmeBlocksTests runs it); chromium and a CJK font, the headless browser
# that drives the public site's tests (PublicSite/) and what its screenshots need to show Chinese --------------------
sdk_apt=(protobuf-compiler protobuf-compiler-grpc python3-grpcio python3-protobuf python3-cryptography python3-asn1crypto python3-venv jq chromium fonts-wqy-zenhei)
missing_apt=()
for pkg in "${sdk_apt[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing_apt+=("$pkg")
done
if (( ${#missing_apt[@]} > 0 )); then
  if [[ "$(id -u)" -ne 0 ]]; then
    die "SDK packages are missing: sudo apt-get install -y --no-install-recommends ${missing_apt[*]}"
  fi
  step "sdk: installing ${missing_apt[*]} with apt-get"
  quietly "$work_dir/apt-update-sdk.log" apt-get update
  quietly "$work_dir/apt-install-sdk.log" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing_apt[@]}"
else
  step "sdk: ${sdk_apt[*]} installed"
fi
step "sdk: npm ci and build in clients/typescript"
quietly "$work_dir/npm-ci-typescript.log" npm ci --prefix clients/typescript --no-audit --no-fund --ignore-scripts
quietly "$work_dir/tsc.log" npm run --prefix clients/typescript build

# --- 3. buf lint ---------------------------------------------------------------------------------------------------
step "buf lint protos"
(cd protos && buf lint) || die "buf lint failed (see above)"

# The released contract is kept as a buf image; agency SDKs are generated from it, so any change that would
# break them (removed or renumbered fields, changed types, renamed services) fails the run. After a deliberate
# release, refresh it with: (cd protos && buf build -o released.binpb)
if [[ -f protos/released.binpb ]]; then
  step "buf breaking protos against the released contract (protos/released.binpb)"
  (cd protos && buf breaking --against released.binpb) || die "buf breaking found changes that break released clients (see above)"
fi

# The TypeScript and Python stubs are committed; they must be exactly what protos/buf.gen.yaml produces.
step "clients/generate.sh --check (committed SDK stubs match the contract)"
clients/generate.sh --check || die "the committed SDK stubs differ from protos/ (see above)"

# --- 4. dotnet test --------------------------------------------------------------------------------------------------
trx_dir="$work_dir/trx"
rm -rf "$trx_dir"
mkdir -p "$trx_dir"
# A test that runs longer than this is taken as hung: its test host is killed and the run fails with the test's
# name, instead of the whole run hitting CI's time limit. CREDITEXCHANGE_TEST_HANG_TIMEOUT=off disables it.
hang_timeout="${CREDITEXCHANGE_TEST_HANG_TIMEOUT:-15m}"
hang_args=()
if [[ "$hang_timeout" != "off" ]]; then
  hang_args=(--blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none)
fi
# ForeignSdkTests runs the TypeScript (node --test) and Python (unittest) suites against live hubs and leaves their
# counts here; they are added to the closing line below.
sdk_results="$work_dir/sdk"
rm -rf "$sdk_results"
export CREDITEXCHANGE_SDK_RESULTS="$sdk_results"
step "dotnet test CreditExchange.sln -c Release $*"
set +e
dotnet test CreditExchange.sln -c Release \
  --results-directory "$trx_dir" \
  --logger "trx;LogFilePrefix=ce" \
  --logger "console;verbosity=normal" \
  "${hang_args[@]}" \
  "$@"
test_rc=$?
set -e

# Sum the <Counters .../> of every .trx file (one per test assembly). A run whose test host died (crash, or killed
# as hung) reports outcome="Failed" without counting the test that was running: count that one as failed.
passed=0 failed=0 skipped=0 trx_files=0
while IFS= read -r -d '' trx; do
  trx_files=$((trx_files + 1))
  read -r p f s <<<"$(
    tr '\n' ' ' <"$trx" \
      | { grep -o -E '<(Counters|ResultSummary) [^>]*>' || true; } \
      | awk '
          function attr(line, name,   m) {
            if (match(line, " " name "=\"[^\"]*\"")) {
              m = substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 4); return m
            }
            return ""
          }
          /^<ResultSummary/ { outcome = attr($0, "outcome") }
          /^<Counters/ {
            total = attr($0, "total") + 0; passed = attr($0, "passed") + 0
            failed = attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
          }
          END {
            if (outcome != "" && outcome != "Completed" && outcome != "Passed" && failed == 0) failed = 1
            skipped = total - passed - failed; if (skipped < 0) skipped = 0
            printf "%d %d %d\n", passed, failed, skipped
          }'
  )"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done < <(find "$trx_dir" -name '*.trx' -print0 2>/dev/null)

# The node and python tests run inside ForeignSdkTests (one xunit test each, which fails if its suite does).
for counts in "$sdk_results"/*.counts; do
  [[ -f "$counts" ]] || continue
  read -r p f s <"$counts"
  printf '%s SDK tests: %d passed, %d failed, %d skipped\n' "$(basename "$counts" .counts)" "$p" "$f" "$s"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

# --- 5. scale-out check ----------------------------------------------------------------------------------------------
# tests/scale-out.sh: two hubs behind HAProxy on a Patroni-managed primary and replica (Debian packages, installed by
# the script; root only; about 2-3 minutes). Its own "N passed, N failed, N skipped" is added to the totals.
# CREDITEXCHANGE_SCALEOUT=auto runs it on a full run as root (CI), not when test.sh is given arguments (a filtered run
# while iterating); =1 forces it; =off leaves it out. The default is auto.
scaleout="${CREDITEXCHANGE_SCALEOUT:-auto}"
if [[ "$scaleout" == auto ]]; then
  if (( $# > 0 )); then scaleout=filtered; elif [[ "$(id -u)" -ne 0 ]]; then scaleout=not-root; else scaleout=1; fi
fi
case "$scaleout" in
  1)
    step "scale-out: tests/scale-out.sh"
    set +e
    "$repo_root/tests/scale-out.sh" 2>&1 | tee "$work_dir/scale-out.log"
    set -e
    # Its last summary line (a stray line after it, e.g. a job notice on stderr, must not turn a pass into a failure).
    read -r sp sf ss <<<"$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$work_dir/scale-out.log" | tail -n 1)"
    if [[ -z "${sp:-}" ]]; then
      echo "test.sh: tests/scale-out.sh ended without its summary line (see $work_dir/scale-out.log)" >&2
      sp=0 sf=1 ss=0
    fi
    passed=$((passed + sp)) failed=$((failed + sf)) skipped=$((skipped + ss))
    ;;
  not-root)
    step "scale-out: skipped (tests/scale-out.sh needs root: it installs Debian packages and runs Patroni as postgres)"
    skipped=$((skipped + 1))
    ;;
  off)
    step "scale-out: not run (CREDITEXCHANGE_SCALEOUT=auto or =1 runs tests/scale-out.sh; see the comment in test.sh)"
    ;;
  *)
    step "scale-out: not run (${scaleout})"
    ;;
esac

# Name every failed test (with the first lines of its message) next to the closing line, where a log that keeps only
# its tail still shows them.
list_failed_tests() {
  command -v python3 >/dev/null 2>&1 || return 0
  python3 - "$trx_dir" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for trx in sorted(glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)):
    try:
        root = ET.parse(trx).getroot()
    except ET.ParseError:
        continue
    for r in root.iterfind(".//t:UnitTestResult", ns):
        if r.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
            continue
        msg = r.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=ns).strip().splitlines()
        print("FAILED " + r.get("testName", "?") + " (" + r.get("duration", "") + ")")
        for line in msg[:8]:
            print("    " + line[:300])
PY
}
if (( failed > 0 )); then
  list_failed_tests
fi

status=0
if (( test_rc != 0 )); then
  if (( trx_files == 0 )); then
    echo "test.sh: dotnet test exited $test_rc and produced no test results (build failure?)" >&2
  else
    echo "test.sh: dotnet test exited $test_rc" >&2
  fi
  status=1
fi
if (( failed > 0 )); then
  status=1
fi
if (( passed + failed == 0 )); then
  echo "test.sh: no test ran" >&2
  status=1
fi

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
