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
#   4. PostgreSQL stopped: the time of each answer, then the recovery.
# Its table and raw outputs are in bench/results/faults-<UTC time>/ (table.md), and with
# --update-doc in docs/PERFORMANCE.md, which a run without it leaves alone.
# Needs Java 17, Maven, wrk, psql, curl, python3. Everything stops when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTS=${BOOTS:-100000}
DURATION=${DURATION:-20}
PG_PORT=${PG_PORT:-55443}
PORT=${PORT:-8098}
TOKEN=faults-admin-token
source bench/results.sh
bench_results faults "$@"
BASE="http://127.0.0.1:$PORT"
export KCI_TOKEN="$TOKEN"

for tool in wrk psql curl python3 java mvn; do
  command -v "$tool" >/dev/null || { echo "faults: $tool is needed"; exit 1; }
done
mkdir -p bench/data
source bench/service.sh
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
echo "1. 64 clients of a heavy batch..."
load heavy 64 "$RESULTS/heavy.json"
echo "2. 8 clients of 100 x limit=0..."
load limit0 8 "$RESULTS/limit0.json"

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
