#!/usr/bin/env bash
# Scale-out check on loopback: two CreditExchange hubs behind HAProxy (TCP passthrough, so mutual TLS runs end to end
# between each agency client and a hub), on a PostgreSQL primary with a streaming replica managed by Patroni, with a
# single-node etcd as Patroni's store. Everything comes from Debian packages (haproxy, patroni, etcd-server,
# postgresql), installed here with apt-get when missing (as root).
#
# While agency clients keep submitting records through HAProxy (tests/CreditExchange.Bench "drive"), it shows:
#   1. calls are spread over both hubs;
#   2. stopping one hub mid-run loses no acknowledged submission, and the clients carry on through the other;
#   3. a Patroni switchover mid-run: both hubs reach the new primary by themselves (multi-host connection string with
#      Target Session Attributes=read-write), no acknowledged submission is lost (on either node), and what callers
#      saw during the switch is listed (the target: only UNAVAILABLE);
#   4. the feed (CreditExchange.Bench "follow", subscribers called directly, not through HAProxy): a subscriber on
#      hub 1 receives the events of submissions made directly through hub 2 within about a second (LISTEN/NOTIFY
#      wakes the other instance; polling is the safety net); a subscriber on hub 2, cut off when hub 2 stops,
#      resumes after its last sequence on hub 1 and ends up with every acknowledged submission of the run, each
#      sequence once, without a gap.
# Last line: "N passed, N failed, N skipped". Exit status non-zero when a check failed.
# Run as root: ./tests/scale-out.sh   (about 2 minutes once the packages are installed; SCALEOUT_DRIVE_SECONDS=60)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root="$(pwd)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

drive_seconds="${SCALEOUT_DRIVE_SECONDS:-60}"
((drive_seconds >= 50)) || { echo "SCALEOUT_DRIVE_SECONDS must be at least 50 (stop at 15 s, switchover at 35 s)" >&2; exit 2; }
base="${SCALEOUT_PORT_BASE:-27100}"
etcd_client=$((base + 0)) etcd_peer=$((base + 1))
pg1=$((base + 10)) pg2=$((base + 11)) rest1=$((base + 20)) rest2=$((base + 21))
hub1=$((base + 30)) hub2=$((base + 31)) lb=$((base + 40)) mgmt1=$((base + 50)) mgmt2=$((base + 51))

step() { printf '==> %s\n' "$*"; }
die() { printf 'scale-out.sh: %s\n' "$*" >&2; exit 1; }
passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$*"; }
skip() { skipped=$((skipped + 1)); printf 'SKIP  %s\n' "$*"; }

[[ "$(id -u)" -eq 0 ]] || die "run as root: it installs Debian packages and runs PostgreSQL/Patroni as the postgres user"

# --- packages ------------------------------------------------------------------------------------------------------
missing=()
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
command -v patroni >/dev/null 2>&1 || missing+=(patroni)
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]} > 0)); then
  step "installing ${missing[*]} with apt-get"
  apt-get update -q >/dev/null
  # policy-rc.d 101: the packages' own services (a system etcd, a system cluster) are not started; we run our own.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
  trap - EXIT
fi
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
id -u postgres >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres

# --- build the hub and the client ------------------------------------------------------------------------------------
step "dotnet build -c Release tests/CreditExchange.Bench (the hub's own entry point is built beside it)"
dotnet build tests/CreditExchange.Bench -c Release -v quiet -nologo >/dev/null || die "build failed"
bin="$repo_root/tests/CreditExchange.Bench/bin/Release/net10.0"
[[ -x "$bin/CreditExchange.Server" ]] || die "the hub was not built into $bin"

# --- work folder and cleanup -----------------------------------------------------------------------------------------
work="$(mktemp -d /tmp/creditexchange-scaleout-XXXXXX)"
chmod 755 "$work"
pids=()
cleanup() {
  set +e
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  # Patroni stops its PostgreSQL on SIGTERM, which takes a few seconds: wait for that (up to 20 s) before SIGKILL.
  running() { local pid; for pid in "${pids[@]}"; do [[ -e "/proc/$pid" && "$(cut -d ' ' -f 3 "/proc/$pid/stat" 2>/dev/null)" != Z ]] && return 0; done; return 1; }
  for _ in $(seq 40); do running || break; sleep 0.5; done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  # Reap them quietly: bash would otherwise print "Killed" after the summary line, which must stay the last line.
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  # Patroni stops its PostgreSQL on SIGTERM; make sure nothing of ours is left running.
  for node in node1 node2; do
    [[ -f "$work/$node/data/postmaster.pid" ]] && runuser -u postgres -- "$pg_bin/pg_ctl" stop -D "$work/$node/data" -m immediate -w -t 20 >/dev/null 2>&1
  done
  if [[ -n "${SCALEOUT_KEEP:-}" ]]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds="$1" what="$2"; shift 2
  local deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    (($(date +%s) < deadline)) || die "timed out after ${seconds}s waiting for $what"
    sleep 0.5
  done
}

# --- etcd ------------------------------------------------------------------------------------------------------------
step "etcd on 127.0.0.1:$etcd_client"
mkdir -p "$work/etcd"
etcd --name etcd1 --data-dir "$work/etcd/data" \
  --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "etcd1=http://127.0.0.1:$etcd_peer" >"$work/etcd/etcd.log" 2>&1 &
pids+=($!)
wait_for 30 "etcd" curl -sf "http://127.0.0.1:$etcd_client/health"

# --- Patroni + PostgreSQL --------------------------------------------------------------------------------------------
patroni_config() { # patroni_config NAME PG_PORT REST_PORT
  local name="$1" port="$2" rest="$3"
  mkdir -p "$work/$name"
  cat >"$work/$name/patroni.yml" <<YAML
scope: creditexchange
name: $name
restapi:
  listen: 127.0.0.1:$rest
  connect_address: 127.0.0.1:$rest
etcd3:
  hosts: 127.0.0.1:$etcd_client
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    # An acknowledged write is never lost: a commit waits for the synchronous standby (when one is up).
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        max_wal_senders: 5
        max_replication_slots: 5
        wal_log_hints: "on"
        max_connections: 200
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:$port
  connect_address: 127.0.0.1:$port
  data_dir: $work/$name/data
  bin_dir: $pg_bin
  pgpass: $work/$name/pgpass
  authentication:
    superuser: {username: postgres, password: scaleout-postgres}
    replication: {username: replicator, password: scaleout-replicator}
  parameters:
    unix_socket_directories: $work/$name
YAML
}
patroni_config node1 "$pg1" "$rest1"
patroni_config node2 "$pg2" "$rest2"
chown -R postgres: "$work/node1" "$work/node2"

start_patroni() {
  runuser -u postgres -- patroni "$work/$1/patroni.yml" >>"$work/$1/patroni.log" 2>&1 &
  pids+=($!)
}
step "Patroni node1 (PostgreSQL on 127.0.0.1:$pg1) bootstraps the cluster"
start_patroni node1
wait_for 90 "node1 to lead" curl -sf "http://127.0.0.1:$rest1/primary"
step "Patroni node2 (PostgreSQL on 127.0.0.1:$pg2) joins as a streaming replica"
start_patroni node2
wait_for 120 "node2 to stream from node1" curl -sf "http://127.0.0.1:$rest2/replica"

export PGPASSWORD=scaleout-postgres
psql_on() { psql -X -q -t -A -h 127.0.0.1 -p "$1" -U postgres -d "${2:-postgres}" -v ON_ERROR_STOP=1 "${@:3}"; }
psql_on "$pg1" postgres -c "CREATE DATABASE creditexchange"

# --- two hubs and HAProxy --------------------------------------------------------------------------------------------
# Both hubs: the same database (multi-host, read-write target), the same development CA, token and personal-data keys
# (minted into one folder by the first hub), the same issuer. Request logging is on so calls can be counted per hub.
connection="Host=127.0.0.1:$pg1,127.0.0.1:$pg2;Database=creditexchange;Username=postgres;Password=scaleout-postgres"
connection+=";Target Session Attributes=read-write;Host Recheck Seconds=1;Timeout=5"
hub_pid=()
start_hub() { # start_hub INDEX PORT MANAGEMENT_PORT
  local i="$1" port="$2" management="$3"
  "$bin/CreditExchange.Server" --environment=ScaleOut "--contentRoot=$bin" \
    "--Hub:Url=https://127.0.0.1:$port" "--Hub:Management:Url=http://127.0.0.1:$management" "--Hub:Tls:DevCertificatesFolder=$work/certs" \
    "--Hub:Tokens:Issuer=https://127.0.0.1:$lb/" "--ConnectionStrings:Postgres=$connection" \
    "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information" >>"$work/hub$i.log" 2>&1 &
  hub_pid[$i]=$!
  pids+=($!)
}
hub_ready() { curl -s -o /dev/null --cacert "$work/certs/ca.crt" --cert "$work/certs/agencies/drc.crt" --key "$work/certs/agencies/drc.key" \
  "https://127.0.0.1:$1/.well-known/openid-configuration"; }
step "hub 1 on 127.0.0.1:$hub1 (mints the development certificates and keys)"
start_hub 1 "$hub1" "$mgmt1"
wait_for 120 "hub 1" hub_ready "$hub1"
step "hub 2 on 127.0.0.1:$hub2"
start_hub 2 "$hub2" "$mgmt2"
wait_for 120 "hub 2" hub_ready "$hub2"

cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 2000
defaults
  mode tcp
  timeout connect 2s
  timeout client 10m
  timeout server 10m
frontend hubs
  bind 127.0.0.1:$lb
  default_backend hubs
backend hubs
  balance roundrobin
  # TCP passthrough: TLS (with the client certificate) is between the client and the hub.
  server hub1 127.0.0.1:$hub1 check inter 500 fall 2 rise 2 on-marked-down shutdown-sessions
  server hub2 127.0.0.1:$hub2 check inter 500 fall 2 rise 2 on-marked-down shutdown-sessions
CFG
step "HAProxy on 127.0.0.1:$lb in front of both hubs"
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!)
wait_for 30 "HAProxy" hub_ready "$lb"

# --- the run ---------------------------------------------------------------------------------------------------------
drive() { # drive NAME TARGET_PORT SECONDS CLIENTS
  "$bin/CreditExchange.Bench" drive --target "https://127.0.0.1:$2" --certs "$work/certs" --duration "$3" --clients "$4" \
    --acks "$work/$1.acks" --errors "$work/$1.errors"
}
submissions() { grep -c 'Request finished HTTP/2 POST .*RecordService/SubmitRecord' "$1" || true; }
follow() { # follow NAME TARGET_PORT...: a feed subscriber (the regional platform, which sees every record's events)
  local name="$1"; shift
  local targets=()
  for port in "$@"; do targets+=("https://127.0.0.1:$port"); done
  "$bin/CreditExchange.Bench" follow --target "${targets[@]}" --certs "$work/certs" --agency drc \
    --events "$work/$name.events" --log "$work/$name.log" --ready "$work/$name.ready" >"$work/$name.out" 2>&1 &
  pids+=($!)
}

# Subscriber A stays on hub 1 (which is never stopped); subscriber B starts on hub 2 (stopped at 15 s) and resumes on
# the other hub whenever its stream ends or fails. Both start from now, before anything is submitted.
step "feed subscribers: A on hub 1, B on hub 2 (then hub 1, ...), both called directly"
follow feedA "$hub1"
feed_a=$!
follow feedB "$hub2" "$hub1"
feed_b=$!
wait_for 60 "the feed subscribers to start" test -s "$work/feedA.ready" -a -s "$work/feedB.ready"
step "submissions directly through hub 2 for 3s (subscriber A on hub 1 must receive them)"
drive pre2 "$hub2" 3 1 >/dev/null 2>&1 || true
pre_1="$(submissions "$work/hub1.log")" pre_2="$(submissions "$work/hub2.log")" # not part of the spread counted below

step "agency clients submit through HAProxy for ${drive_seconds}s: hub 2 stopped at 15s and restarted at 25s, Patroni switchover at 35s"
run_start="$(date +%s)"
sleep_until() { local t=$((run_start + $1 - $(date +%s))); if ((t > 0)); then sleep "$t"; fi; }
drive main "$lb" "$drive_seconds" 8 >"$work/drive.out" 2>&1 &
driver=$!
pids+=($driver)
sleep_until 15
before_stop_1=$(($(submissions "$work/hub1.log") - pre_1)) before_stop_2=$(($(submissions "$work/hub2.log") - pre_2))
stop_at="$(now_ms)"
kill -TERM "${hub_pid[2]}"
wait "${hub_pid[2]}" 2>/dev/null || true
stopped_at="$(now_ms)"
sleep_until 25
start_hub 2 "$hub2" "$mgmt2"
wait_for 120 "hub 2 to come back" hub_ready "$hub2"
sleep_until 35
switch_at="$(now_ms)"
runuser -u postgres -- patronictl -c "$work/node1/patroni.yml" switchover creditexchange \
  --leader node1 --candidate node2 --force >"$work/switchover.log" 2>&1 || { cat "$work/switchover.log"; fail "patronictl switchover"; }
wait_for 60 "node2 to lead" curl -sf "http://127.0.0.1:$rest2/primary"
switched_at="$(now_ms)"
wait_for 120 "node1 to stream from node2" curl -sf "http://127.0.0.1:$rest1/replica"
after_switch_1="$(submissions "$work/hub1.log")" after_switch_2="$(submissions "$work/hub2.log")"
wait "$driver" || true
cat "$work/drive.out"
end_1=$(($(submissions "$work/hub1.log") - pre_1)) end_2=$(($(submissions "$work/hub2.log") - pre_2))

# --- checks ----------------------------------------------------------------------------------------------------------
echo
echo "submissions per hub: before the stop hub1=$before_stop_1 hub2=$before_stop_2; whole run hub1=$end_1 hub2=$end_2"
if ((before_stop_1 > 0 && before_stop_2 > 0)); then pass "calls spread over both hubs ($before_stop_1 / $before_stop_2 before the stop)"
else fail "calls spread over both hubs ($before_stop_1 / $before_stop_2 before the stop)"; fi

acked="$(wc -l <"$work/main.acks")"
after_stop="$(awk -F'\t' -v t="$stopped_at" '$1 > t + 2000' "$work/main.acks" | wc -l)"
after_switch="$(awk -F'\t' -v t="$switched_at" '$1 > t + 3000' "$work/main.acks" | wc -l)"
if ((after_stop > 0)); then pass "clients carried on through hub 1 while hub 2 was stopped ($after_stop acknowledgements after the stop)"
else fail "clients carried on through hub 1 while hub 2 was stopped"; fi
if ((after_switch == 0)) && [[ "$(date +%s%3N)" -gt $((run_start * 1000 + drive_seconds * 1000)) ]] \
  && ((switched_at + 3000 > run_start * 1000 + drive_seconds * 1000 - 5000)); then
  # On a busy machine the switchover can end so late that the main drive was over by then: submit through HAProxy again.
  drive postswitch "$lb" 5 4 >/dev/null 2>&1 || true
  after_switch="$(wc -l <"$work/postswitch.acks" 2>/dev/null || echo 0)"
  cat "$work/postswitch.acks" >>"$work/main.acks" 2>/dev/null || true
fi
if ((after_switch > 0)); then pass "submissions through HAProxy carried on after the switchover ($after_switch acknowledgements)"
else fail "submissions through HAProxy carried on after the switchover"; fi

# Connections are long-lived (HTTP/2): the clients that moved to hub 1 while hub 2 was down stay there. New clients
# are spread again, and both hubs answer them from the new primary.
lb_1="$(submissions "$work/hub1.log")" lb_2="$(submissions "$work/hub2.log")"
drive after "$lb" 5 8 >/dev/null 2>&1 || true
lb_1=$(($(submissions "$work/hub1.log") - lb_1)) lb_2=$(($(submissions "$work/hub2.log") - lb_2))
if ((lb_1 > 0 && lb_2 > 0)); then pass "new clients through HAProxy are spread over both hubs after the switchover ($lb_1 / $lb_2)"
else fail "new clients through HAProxy are spread over both hubs after the switchover ($lb_1 / $lb_2)"; fi

# Each hub, called directly (not through HAProxy), writes to the new primary.
for i in 1 2; do
  port=$([[ $i == 1 ]] && echo "$hub1" || echo "$hub2")
  if drive "direct$i" "$port" 3 1 >/dev/null 2>&1 && [[ -s "$work/direct$i.acks" ]]; then
    pass "hub $i reaches the new primary by itself (direct submissions acknowledged)"
  else fail "hub $i reaches the new primary by itself (see $work/direct$i.errors)"; fi
done

missing_on() { # missing_on PORT: acknowledged submissions not in the records table of that node (read-only query: works on the replica)
  psql_on "$1" creditexchange -c "
    SELECT count(*) FROM (
      SELECT split_part(line, E'\\t', 2) AS source, split_part(line, E'\\t', 3)::uuid AS record
      FROM regexp_split_to_table(rtrim(pg_read_file('$work/all.acks'), E'\\n'), E'\\n') AS line) a
    WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.\"Id\" = a.record AND r.\"SourceRecordId\" = a.source AND r.\"AgencyId\" = 'court')"
}
cat "$work"/pre2.acks "$work"/main.acks "$work"/direct*.acks "$work"/after.acks >"$work/all.acks"
chmod 644 "$work/all.acks"
total="$(wc -l <"$work/all.acks")"
lost_primary="$(missing_on "$pg2")"
# The replica replays the last commits at its own pace (slower on a busy machine): wait for it, up to 120 s, rather
# than a fixed pause.
replica_caught_up() { [[ "$(missing_on "$pg1")" == "0" ]]; }
for _ in $(seq 240); do replica_caught_up && break; sleep 0.5; done
lost_replica="$(missing_on "$pg1")"
if [[ "$lost_primary" == "0" && "$total" -gt 0 ]]; then pass "no acknowledged submission lost on the new primary ($total acknowledged, $acked through HAProxy)"
else fail "acknowledged submissions missing on the new primary: $lost_primary of $total"; fi
if [[ "$lost_replica" == "0" ]]; then pass "every acknowledged submission is on the replica (the old primary) too"
else fail "acknowledged submissions missing on the replica: $lost_replica of $total"; fi

window() { # window FROM_MS TO_MS: what callers saw (status/reason ×count) between the two instants
  awk -F'\t' -v a="$1" -v b="$2" '$1 >= a && $1 <= b { n[$2 "/" $3]++ } END { for (k in n) printf "%s ×%d, ", k, n[k] }' "$work/main.errors"
}
seen_stop="$(window "$stop_at" $((stopped_at + 5000)))"
seen_switch="$(window "$switch_at" $((switched_at + 5000)))"
echo "callers saw while hub 2 stopped: ${seen_stop:-nothing}"
echo "callers saw during the switchover: ${seen_switch:-nothing}"
echo "switchover: $(((switched_at - switch_at) / 1000)).$(((switched_at - switch_at) % 1000 / 100)) s from patronictl to the new leader; failed attempts from the first to the last: $(
  awk -F'\t' -v a="$switch_at" -v b=$((switched_at + 5000)) '$1 >= a && $1 <= b { if (!f) f = $1; l = $1 } END { if (f) printf "%.1f s", (l - f) / 1000; else printf "none" }' "$work/main.errors")"
bad_stop="$(awk -F'\t' -v a="$stop_at" -v b=$((stopped_at + 5000)) '$1 >= a && $1 <= b && $2 != "Unavailable"' "$work/main.errors" | wc -l)"
bad_switch="$(awk -F'\t' -v a="$switch_at" -v b=$((switched_at + 5000)) '$1 >= a && $1 <= b && $2 != "Unavailable"' "$work/main.errors" | wc -l)"
if ((bad_stop == 0)); then pass "callers saw only UNAVAILABLE while a hub stopped"
else fail "callers saw other statuses than UNAVAILABLE while a hub stopped: $seen_stop"; fi
if ((bad_switch == 0)); then pass "callers saw only UNAVAILABLE during the switchover"
else fail "callers saw other statuses than UNAVAILABLE during the switchover: $seen_switch"; fi
other="$(awk -F'\t' '{ n[$2 "/" $3]++ } END { for (k in n) printf "%s ×%d, ", k, n[k] }' "$work/main.errors")"
echo "every failed attempt of the run: ${other:-none}"

# --- the feed --------------------------------------------------------------------------------------------------------
# The last submissions were acknowledged at least 2 s ago (the replica wait above): every event has been numbered and
# delivered by now. Stop both subscribers (SIGTERM) and read what they received.
kill -TERM "$feed_a" "$feed_b" 2>/dev/null || true
wait "$feed_a" 2>/dev/null || true
wait "$feed_b" 2>/dev/null || true
echo
echo "feed subscriber A (hub 1): $(cat "$work/feedA.out")"
echo "feed subscriber B (hub 2, then the other): $(cat "$work/feedB.out")"
# The subscribers name each hub by its address (host:port).
at1="127.0.0.1:$hub1" at2="127.0.0.1:$hub2"
streams_seen() { # streams_seen NAME: how the subscriber's streams ended (hub status/reason ×count)
  awk -F'\t' -v a="$at1" -v b="$at2" '$2 == "ended" || $2 == "failed" { h = $3 == a ? "hub1" : $3 == b ? "hub2" : $3; n[h " " $4 "/" $5]++ }
    END { for (k in n) printf "%s ×%d, ", k, n[k] }' "$work/$1.log"
}
ended_a="$(streams_seen feedA | sed 's/, $//')" ended_b="$(streams_seen feedB | sed 's/, $//')"
echo "feed subscriber A's streams ended or failed: ${ended_a:-none (one stream for the whole run)}"
echo "feed subscriber B's streams ended or failed: ${ended_b:-none}"

# a. Subscriber A on hub 1 receives what was submitted directly through hub 2 (before the stop, and after the
#    switchover), timed from the submission's acknowledgement to the event's receipt.
cat "$work/pre2.acks" "$work/direct2.acks" >"$work/via2.acks"
via2="$(cut -f3 "$work/via2.acks" | sort -u | wc -l)"
awk -F'\t' -v at1="$at1" 'NR == FNR { ack[$3] = $1; next } ($3 in ack) && $5 == at1 && !seen[$3]++ { d = $1 - ack[$3]; print (d < 0 ? 0 : d) }' \
  "$work/via2.acks" "$work/feedA.events" | sort -n >"$work/via2.latency"
got_a="$(wc -l <"$work/via2.latency")"
lat() { # lat FRACTION: that percentile of the latencies (ms)
  awk -v f="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int(NR * f + 0.999999); if (i < 1) i = 1; print v[i] }' "$work/via2.latency"
}
p50="$(lat 0.5)" p95="$(lat 0.95)" pmax="$(lat 1)"
feed_a_figures="$got_a of $via2 events on hub 1; acknowledgement to receipt p50 ${p50} ms, p95 ${p95} ms, max ${pmax} ms"
if ((via2 > 0 && got_a == via2)) && [[ "$p95" != "-" ]] && ((p95 <= 1000)); then
  pass "a feed subscriber on hub 1 receives the events of submissions made through hub 2 ($feed_a_figures)"
else fail "a feed subscriber on hub 1 receives the events of submissions made through hub 2 within about a second ($feed_a_figures)"; fi

# b. Subscriber B was cut off when hub 2 stopped, resumed after its last sequence on hub 1 (and wherever its streams
#    went after that): every acknowledged submission of the run is among its events, each sequence once, no gap from
#    its starting point on, and each sequence names the same record as subscriber A's.
feed_check() { # feed_check NAME: "<missing acknowledged> <duplicate sequences> <gaps> <first> <last> <events>"
  local start; start="$(head -n 1 "$work/$1.ready")"
  local missing; missing="$(awk -F'\t' 'NR == FNR { got[$3] = 1; next } !($3 in got) && !seen[$3]++' "$work/$1.events" "$work/all.acks" | wc -l)"
  awk -F'\t' -v start="$start" -v missing="$missing" '
    { if ($2 in seen) dup++; seen[$2] = 1; if ($2 != prev + 1 && NR > 1) gap++; if (NR == 1 && $2 != start + 1) gap++; prev = $2; if (NR == 1) first = $2 }
    END { printf "%d %d %d %s %s %d\n", missing, dup, gap, (NR ? first : "-"), (NR ? prev : "-"), NR }' "$work/$1.events"
}
read -r miss_b dup_b gap_b first_b last_b n_b <<<"$(feed_check feedB)"
read -r miss_a dup_a gap_a _ _ n_a <<<"$(feed_check feedA)"
resumed="$(awk -F'\t' -v a="$at1" '$2 == "subscribe" && $3 == a' "$work/feedB.log" | wc -l)"
b_on_2="$(awk -F'\t' -v b="$at2" '$5 == b' "$work/feedB.events" | wc -l)"
b_on_1="$(awk -F'\t' -v a="$at1" '$5 == a' "$work/feedB.events" | wc -l)"
# From the end of B's stream on the stopping hub 2 to its next stream's subscription and first event on hub 1.
b_gap="$(awk -F'\t' -v a="$at1" -v b="$at2" 'FNR == NR { if (!cut && $2 != "subscribe" && $2 != "start" && $3 == b) cut = $1; else if (cut && !res && $2 == "subscribe" && $3 == a) res = $1; next }
  res && !ev && $5 == a && $1 >= res { ev = $1 } END { if (cut && res) printf "resubscribed on hub 1 %d ms after its stream on hub 2 ended, first event there %s", res - cut, (ev ? (ev - cut) " ms after" : "-"); else printf "no resumption on hub 1" }' \
  "$work/feedB.log" "$work/feedB.events")"
differ="$(awk -F'\t' 'NR == FNR { r[$2] = $3; next } ($2 in r) && r[$2] != $3' "$work/feedA.events" "$work/feedB.events" | wc -l)"
unique_acked="$(cut -f3 "$work/all.acks" | sort -u | wc -l)"
echo "feed: $unique_acked records acknowledged; subscriber B: $n_b events (sequences $first_b–$last_b), $miss_b acknowledged missing, $dup_b duplicate sequences, $gap_b gaps, $b_on_2 events from hub 2 and $b_on_1 from hub 1, $b_gap; subscriber A: $n_a events, $miss_a missing, $dup_a duplicate sequences, $gap_a gaps; $differ sequences naming different records in A and B"
if ((resumed > 0 && b_on_2 > 0 && b_on_1 > 0 && miss_b == 0 && dup_b == 0 && gap_b == 0 && differ == 0 && n_b > 0)); then
  pass "a feed subscriber cut off with its hub resumes from its last sequence on the other hub and misses nothing ($n_b events: $b_on_2 from hub 2 until it stopped, then $b_on_1 from hub 1)"
else fail "a feed subscriber cut off with its hub resumes from its last sequence on the other hub and misses nothing (subscriptions on hub 1 $resumed, events from hub 2 $b_on_2, from hub 1 $b_on_1, missing $miss_b, duplicate sequences $dup_b, gaps $gap_b, differing $differ)"; fi
if ((miss_a == 0 && dup_a == 0 && gap_a == 0 && n_a > 0)); then
  pass "the subscriber on hub 1 through the switchover misses nothing either ($n_a events)"
else fail "the subscriber on hub 1 through the switchover misses nothing (missing $miss_a, duplicate sequences $dup_a, gaps $gap_a)"; fi

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
((failed == 0))
