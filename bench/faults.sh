#!/usr/bin/env bash
# Under load and faults (docs/PERFORMANCE.md, "Under load and faults"). One command:
#   bash bench/faults.sh [--update-doc]
# starts an embedded PostgreSQL (data in bench/data/faults, BOOTS boots generated once) and the
# service with its default pool of 8 on 127.0.0.1, and measures, each for DURATION seconds:
#   1. 64 clients of a heavy batch (10 listings of 2,000 boots), with by-id GETs and /health
#      probes beside them: answers claiming the database is down, /health, by-id p99;
#   2. 8 clients each sending a batch of 100 x limit=0: by-id p99, how the batches were bounded,
#      how long their statements outlive the clients;
#   3. two overlapping imports of 2,000 jobs against one alone;
#   4. PostgreSQL stopped: the time of each answer, then the recovery;
#   5. costly reads (issue 33): 64 clients of the issue's slow batch (10 x
#      aggregate=board&sort=boot_time&limit=100) from one token, then from eight, with 2 clients of
#      another token GETting boots by id beside them: the batches' statuses (429, 503), the GETs'
#      p99, how long the batches' statements outlive their clients; with BEFORE=<commit> the same
#      first against that commit's service (built in a worktree, on the same database): before and after.
# SCENARIOS (default "1 2 3 4 5") picks some; the table of 1-4 is made when they all ran, that of 5
# on its own. Tables and raw outputs are in bench/results/faults-<UTC time>/ (table.md,
# costly.md), and with --update-doc in docs/PERFORMANCE.md, which a run without it leaves alone.
# Needs Java 17, Maven, wrk, psql, curl, python3. Everything stops when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTS=${BOOTS:-100000}
DURATION=${DURATION:-20}
PG_PORT=${PG_PORT:-55443}
PORT=${PORT:-8098}
BEFORE_PORT=${BEFORE_PORT:-8097}
BEFORE=${BEFORE:-}
SCENARIOS=${SCENARIOS:-1 2 3 4 5}
TOKEN=faults-admin-token
source bench/results.sh
bench_results faults "$@"
BASE="http://127.0.0.1:$PORT"
export KCI_TOKEN="$TOKEN"

for tool in wrk psql curl python3 java mvn; do
  command -v "$tool" >/dev/null || { echo "faults: $tool is needed"; exit 1; }
done
runs() { [[ " $SCENARIOS " == *" $1 "* ]]; }
mkdir -p bench/data
base_pid=
base_dir=
if [ -n "$BEFORE" ] && runs 5; then
  # BEFORE's build, in a worktree of its own (as bench/answers.sh does).
  base_dir=$(mktemp -d /tmp/kci-base.XXXXXX)
  git worktree add -q --detach "$base_dir" "$BEFORE"
  (cd "$base_dir" && mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
    -Dmdep.includeScope=test)
  BASE_CP="$base_dir/target/test-classes:$base_dir/target/classes:$(cat "$base_dir/target/bench-classpath.txt")"
fi
source bench/service.sh
trap 'kill $base_pid 2>/dev/null || true; cleanup; [ -z "$base_dir" ] || git worktree remove --force "$base_dir"' EXIT
start_database bench/data/faults
start_service
if [ "$(psql_ -c 'SELECT count(*) FROM boot')" != "$BOOTS" ]; then
  echo "Generating $BOOTS boots..."
  psql_ -c "TRUNCATE job, build, boot, lab, error_logs, test_group, test_case"
  KCI_DB_URL="$DB_URL" KCI_DB_USER=postgres java -cp "$CP" org.kernelci.batch.cli.KciCli generate "$BOOTS" --seed 1
  echo
  psql_ -c "CHECKPOINT" -c "VACUUM (FREEZE, ANALYZE)"
fi
psql_ -c "SELECT '/boot/' || id FROM boot ORDER BY random() LIMIT 200" > "$RESULTS/by-id.txt"

# /health every 100 ms while a load runs: its statuses.
probe_health() {
  local out=$1
  : > "$out"
  while [ -e "$RESULTS/probing" ]; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 "$BASE/health" >> "$out" || echo 000 >> "$out"
    sleep 0.1
  done
}
# Non-idle sessions of the service, but ours and the probe's.
active() { psql_ -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'postgres' AND state <> 'idle' AND application_name NOT LIKE 'kci-batch probe' AND pid <> pg_backend_pid() AND backend_type = 'client backend'"; }

load() {
  local name=$1 clients=$2 batch=$3
  touch "$RESULTS/probing"
  probe_health "$RESULTS/$name-health.txt" &
  local prober=$!
  BATCH_FILE="$batch" wrk -t2 -c"$clients" -d"${DURATION}s" --timeout 30s --latency -s bench/faults.lua "$BASE/batch" > "$RESULTS/$name-batch.txt" &
  local heavy=$!
  sleep 1
  PATH_FILE="$RESULTS/by-id.txt" wrk -t1 -c2 -d"$(( DURATION - 2 ))s" --timeout 30s --latency -s bench/faults.lua "$BASE" > "$RESULTS/$name-by-id.txt"
  wait "$heavy"
  # The clients have left: how long do their statements run on?
  local start=$(date +%s.%N) left
  for _ in $(seq 1 1200); do [ "$(active)" = "0" ] && break; sleep 0.05; done
  left=$(python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
  echo "$left" > "$RESULTS/$name-statements-gone-s.txt"
  rm -f "$RESULTS/probing"
  wait "$prober"
}

python3 - "$RESULTS" <<'PY'
import json, sys
results = sys.argv[1]
heavy = [{"method": "GET", "collection": "boot", "query": "limit=2000&skip=%d" % (i * 2000)} for i in range(10)]
json.dump({"batch": heavy}, open(results + "/heavy.json", "w"))
everything = [{"method": "GET", "collection": "boot", "query": "limit=0&skip=%d" % i} for i in range(100)]
json.dump({"batch": everything}, open(results + "/limit0.json", "w"))
with open(results + "/import.ndjson", "w") as out:
    for i in range(2000):
        out.write(json.dumps({"_id": {"$oid": "5480a2f759b5141a4b%06x" % i}, "created_on": {"$date": 1417716471000},
                              "name": "faults-%d" % i, "job": "faults", "kernel": "k-%d" % i, "status": "PASS"}) + "\n")
PY
if runs 1; then
  echo "1. 64 clients of a heavy batch..."
  load heavy 64 "$RESULTS/heavy.json"
fi
if runs 2; then
  echo "2. 8 clients of 100 x limit=0..."
  load limit0 8 "$RESULTS/limit0.json"
fi

# Scenario 5 on the service at port $1, its files named $2-*: 64 clients of the slow batch with the
# tokens $3 (wrk's 8 threads take them in turn), 2 clients of another token GETting by id.
costly_load() {
  local port=$1 name=$2 tokens=$3
  TOKENS="$tokens" BATCH_FILE="$RESULTS/slow.json" wrk -t8 -c64 -d"${DURATION}s" --timeout 60s --latency \
    -s bench/faults.lua "http://127.0.0.1:$port/batch" > "$RESULTS/$name-batch.txt" &
  local slow=$!
  sleep 1
  KCI_TOKEN="$READER" PATH_FILE="$RESULTS/by-id.txt" wrk -t1 -c2 -d"$(( DURATION - 2 ))s" --timeout 60s --latency \
    -s bench/faults.lua "http://127.0.0.1:$port" > "$RESULTS/$name-by-id.txt"
  wait "$slow"
  local start=$(date +%s.%N)
  for _ in $(seq 1 1200); do [ "$(active)" = "0" ] && break; sleep 0.05; done
  python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)" \
    > "$RESULTS/$name-statements-gone-s.txt"
}
if runs 5; then
  echo "5. Costly reads: 64 clients of the slow batch..."
  python3 - "$RESULTS" <<'PY'
import json, sys
slow = [{"method": "GET", "collection": "boot", "query": "aggregate=board&sort=boot_time&limit=100"}] * 10
json.dump({"batch": slow}, open(sys.argv[1] + "/slow.json", "w"))
PY
  new_token() {
    curl -s -H "Authorization: $TOKEN" -H 'Content-Type: application/json' -d "{\"email\":\"$1@faults.example\",\"get\":true}" \
      "$BASE/token" | python3 -c 'import json, sys; print(json.load(sys.stdin)["result"][0]["token"])'
  }
  READER=$(new_token reader)
  HOGS=
  for i in 1 2 3 4 5 6 7 8; do HOGS="$HOGS${HOGS:+,}$(new_token "hog-$i")"; done
  ONE_HOG=${HOGS%%,*}
  # The batch alone, once, for its time (and so that either service has seen it).
  curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: $ONE_HOG" -H 'Content-Type: application/json' \
    --data-binary @"$RESULTS/slow.json" "$BASE/batch" > "$RESULTS/slow-alone-s.txt"
  sides="after"
  if [ -n "$BEFORE" ]; then
    KCI_DB_URL="$DB_URL" KCI_DB_USER=postgres KCI_PORT="$BEFORE_PORT" KCI_ADMIN_TOKEN="$TOKEN" KCI_MIGRATE=false \
      KCI_DB_POOL_SIZE=8 java -Xmx1g -cp "$BASE_CP" org.kernelci.batch.launch.Launcher > "$RESULTS/base-service.log" 2>&1 &
    base_pid=$!
    until curl -sf "http://127.0.0.1:$BEFORE_PORT/health" >/dev/null; do
      kill -0 "$base_pid" 2>/dev/null || { cat "$RESULTS/base-service.log"; exit 1; }
      sleep 0.5
    done
    costly_load "$BEFORE_PORT" before-one "$ONE_HOG"
    costly_load "$BEFORE_PORT" before-eight "$HOGS"
    kill "$base_pid"; wait "$base_pid" 2>/dev/null || true
    base_pid=
    sides="before after"
  fi
  costly_load "$PORT" after-one "$ONE_HOG"
  costly_load "$PORT" after-eight "$HOGS"
  python3 - "$RESULTS" "$sides" "$BEFORE" <<'PY'
import sys
results, sides, base = sys.argv[1], sys.argv[2].split(), sys.argv[3]
def wrk(name):
    values = {}
    for line in open(results + "/" + name):
        parts = line.split(None, 1)
        if parts and parts[0] in ("statuses", "p50_ms", "p99_ms", "max_ms", "requests", "timeouts"):
            values[parts[0]] = parts[1].strip() if len(parts) > 1 else "none"
    return values
lines = ["| service | 64 clients of the slow batch | batch answers | by-id GETs of another token beside them | statements left after the clients stop |",
         "|---|---|---|---|---|"]
p99 = {}
for side in sides:
    label = "before (%s)" % base if side == "before" else "after"
    for who, title in (("one", "from one token"), ("eight", "from eight tokens, 8 clients each")):
        batch, byid = wrk("%s-%s-batch.txt" % (side, who)), wrk("%s-%s-by-id.txt" % (side, who))
        p99[side, who] = float(byid["p99_ms"])
        lines.append("| %s | %s | %s requests: %s; %s timed out (60 s) | %s requests, p50 %s ms, p99 %s ms, max %s ms; %s | gone in %s s |" % (
            label, title, batch["requests"], batch["statuses"].replace("statuses", "").strip(), batch["timeouts"],
            byid["requests"], byid["p50_ms"], byid["p99_ms"], byid["max_ms"], byid["statuses"].replace("statuses", "").strip(),
            open("%s/%s-%s-statements-gone-s.txt" % (results, side, who)).read().strip()))
table = "\n".join(lines) + "\n"
table += "\nThe slow batch alone: %.1f s." % float(open(results + "/slow-alone-s.txt").read())
def answered(side, who):
    counts = dict(pair.split("=") for pair in wrk("%s-%s-by-id.txt" % (side, who))["statuses"].replace("statuses", "").split())
    return "%s of %d" % (counts.get("200", "0"), sum(int(n) for n in counts.values()))
table += " By-id GETs answered 200: %s." % "; ".join("%s %s and %s" % (side, answered(side, "one"), answered(side, "eight"))
                                                     for side in sides)
if "before" in sides:
    table += " Their p99, before / after: %s." % " and ".join("%.1f x" % (p99["before", who] / max(p99["after", who], 0.1))
                                                               for who in ("one", "eight"))
print(table)
open(results + "/costly.md", "w").write(table + "\n")
PY
fi

if runs 3; then
echo "3. Imports of 2,000 lines..."
import_once() {
  curl -s -o "$1" -w '%{time_total}\n' -H "Authorization: $TOKEN" -H 'Content-Type: application/x-ndjson' \
    --data-binary @"$RESULTS/import.ndjson" "$BASE/import/job"
}
psql_ -c "DELETE FROM job WHERE job = 'faults'"
import_once "$RESULTS/import-alone.json" > "$RESULTS/import-alone-s.txt"
psql_ -c "DELETE FROM job WHERE job = 'faults'"
import_once "$RESULTS/import-a.json" > "$RESULTS/import-a-s.txt" &
first=$!
import_once "$RESULTS/import-b.json" > "$RESULTS/import-b-s.txt"
wait "$first"
psql_ -c "SELECT count(*), count(DISTINCT id) FROM job WHERE job = 'faults'" > "$RESULTS/import-stored.txt"
fi

if runs 4; then
echo "4. PostgreSQL down..."
kill "$database_pid"; wait "$database_pid" 2>/dev/null || true
database_pid=
for i in $(seq 1 20); do
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: $TOKEN" "$BASE/boot?limit=1" >> "$RESULTS/down.txt"
done
curl -s -o /dev/null -w '%{http_code}\n' "$BASE/health" > "$RESULTS/down-health.txt"
start_database bench/data/faults
start=$(date +%s.%N)
for _ in $(seq 1 1200); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $TOKEN" "$BASE/boot?limit=1")" = 200 ] && break
  sleep 0.05
done
python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)" > "$RESULTS/recovery-s.txt"
curl -s -H "Authorization: $TOKEN" "$BASE/metrics" > "$RESULTS/metrics.txt"
fi

runs 5 && update_doc costly "$RESULTS/costly.md" "BOOTS=$BOOTS DURATION=$DURATION BEFORE=$BEFORE SCENARIOS=5"
if ! { runs 1 && runs 2 && runs 3 && runs 4; }; then
  exit 0
fi
python3 - "$RESULTS" "$BOOTS" "$DURATION" <<'PY'
import json, re, sys
results, boots, duration = sys.argv[1:]
def wrk(name):
    values = {}
    for line in open(results + "/" + name):
        parts = line.split(None, 1)
        if parts and parts[0] in ("statuses", "unavailable", "busy", "p50_ms", "p99_ms", "max_ms", "requests"):
            # A run too short for any answer has its line of statuses empty.
            values[parts[0]] = parts[1].strip() if len(parts) > 1 else "none"
    return values
def health(name):
    codes = [l.strip() for l in open(results + "/" + name) if l.strip()]
    return "%d of %d probes 200" % (codes.count("200"), len(codes))
lines = ["| scenario | figure | value |", "|---|---|---|"]
for name, title in (("heavy", "64 clients of a heavy batch (10 x 2,000 boots), pool of 8"),
                    ("limit0", "8 clients of a batch of 100 x `limit=0`")):
    batch, byid = wrk(name + "-batch.txt"), wrk(name + "-by-id.txt")
    lines.append("| %s | batch answers | %s requests: %s |" % (title, batch["requests"], batch["statuses"].replace("statuses", "")))
    lines.append("| | answers claiming the database is down | %s (503 busy: %s) |" % (batch["unavailable"], batch["busy"]))
    lines.append("| | `/health` | %s |" % health(name + "-health.txt"))
    lines.append("| | by-id GETs beside them | %s requests, p50 %s ms, p99 %s ms, max %s ms; %s |" % (
        byid["requests"], byid["p50_ms"], byid["p99_ms"], byid["max_ms"], byid["statuses"]))
    lines.append("| | statements left after the clients stop | gone in %s s |" % open(results + "/" + name + "-statements-gone-s.txt").read().strip())
alone = float(open(results + "/import-alone-s.txt").read())
a, b = float(open(results + "/import-a-s.txt").read()), float(open(results + "/import-b-s.txt").read())
summaries = [json.load(open(results + "/import-%s.json" % x))["result"][0] for x in ("a", "b")]
stored = open(results + "/import-stored.txt").read().strip().replace("|", " rows, ") + " distinct ids"
lines.append("| two overlapping imports of 2,000 lines | one alone | %.2f s |" % alone)
lines.append("| | both at once | %.2f s and %.2f s (%.2f x one alone) |" % (a, b, max(a, b) / alone))
lines.append("| | imported / rejected | %s / %s and %s / %s; stored %s |" % (
    summaries[0]["imported"], summaries[0]["rejected"], summaries[1]["imported"], summaries[1]["rejected"], stored))
down = [l.split() for l in open(results + "/down.txt")]
lines.append("| PostgreSQL stopped | 20 GETs | statuses %s; first %.0f ms, then max %.1f ms |" % (
    " ".join(sorted(set(d[0] for d in down))), float(down[0][1]) * 1000, max(float(d[1]) for d in down[1:]) * 1000))
lines.append("| | `/health` while down | %s |" % open(results + "/down-health.txt").read().strip())
lines.append("| | first 200 after it is back | %s s |" % open(results + "/recovery-s.txt").read().strip())
# The database's meters of /metrics (the whole scrape stays in metrics.txt): its state, its
# refusals, its pool, and its reads' histogram as a count and the buckets of the p50 and p99.
meters = {}
for line in open(results + "/metrics.txt"):
    found = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$", line.strip())
    if found:
        meters[found.group(1) + (found.group(2) or "")] = float(found.group(3))
def value(name, **labels):
    return next((v for k, v in meters.items() if k.split("{")[0] == name
                 and all('%s="%s"' % label in k for label in labels.items())), None)
def figure(name, **labels):
    found = value(name, **labels)
    return "?" if found is None else "%d" % found
def bucket(fraction):
    count = value("kci_database_reads_seconds_count") or 0
    bounds = sorted((float(re.search(r'le="([^"]+)"', k).group(1)), v) for k, v in meters.items()
                    if k.startswith("kci_database_reads_seconds_bucket{"))
    le = next((le for le, v in bounds if v >= fraction * count), None)
    return ("?" if le is None else "+Inf" if le == float("inf") else "%.1f ms" % (le * 1000) if le < 1
            else "%.2f s" % le)
lines.append("| | `/metrics` at the end: the database | up %s; refused busy %s, unavailable %s |" % (
    figure("kci_database_up"), figure("kci_database_refused_total", reason="busy"),
    figure("kci_database_refused_total", reason="unavailable")))
lines.append("| | `/metrics` at the end: reads in the database | %s; p50 in the bucket up to %s, p99 up to %s |" % (
    figure("kci_database_reads_seconds_count"), bucket(0.5), bucket(0.99)))
lines.append("| | `/metrics` at the end: the pool | %s active, %s idle, %s waiting, maximum %s |" % (
    figure("hikaricp_connections_active", pool="kci"), figure("hikaricp_connections_idle", pool="kci"),
    figure("hikaricp_connections_pending", pool="kci"), figure("hikaricp_connections_max", pool="kci")))
table = "\n".join(lines)
print(table)
open(results + "/table.md", "w").write(table + "\n")
PY
update_doc faults "$RESULTS/table.md" "BOOTS=$BOOTS DURATION=$DURATION"
