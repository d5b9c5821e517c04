#!/usr/bin/env bash
# The write benchmark (see docs/PERFORMANCE.md, "Writes"). One command:
#   bash bench/writes.sh [--update-doc]
# generates (or reuses) BOOTS boots in an embedded PostgreSQL kept in bench/data-writes, starts
# the service on it and measures on 127.0.0.1 only, at 1 and 8 concurrent clients:
#   1. 100 boot reports as one Appery batch against 100 separate POST /boot (keep-alive);
#   2. a batch of 50 PUTs against 50 separate PUT /boot/<id>;
#   3. an import (POST /import/boot) of IMPORT new boots, timed three times.
# Prints documents written per second and the ratios; the table and the raw outputs are in
# bench/results/writes-<UTC time>/ (table.md), and with --update-doc in docs/PERFORMANCE.md
# ("Writes"), which a run without it leaves alone. Needs Java 17, Maven, wrk, psql, curl.
# ROLLUPS=off runs it all with the per-day rollup triggers disabled (what they cost writes,
# issue 17); MODES=puts (or reports, import) measures only those.
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTS=${BOOTS:-100000}
SEED=${SEED:-1}
DURATION=${DURATION:-10}
ROLLUPS=${ROLLUPS:-on}
MODES=${MODES:-reports puts import}
IMPORT=${IMPORT:-5000}
PG_PORT=${PG_PORT:-55434}
PORT=${PORT:-8098}
TOKEN=bench-admin-token
source bench/results.sh
bench_results writes "$@"

for tool in wrk psql python3 java mvn curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed"; exit 1; }
done

mkdir -p bench/data-writes
source bench/service.sh
start_database bench/data-writes/postgres
start_service

# The reports of earlier runs go, so every run starts from the same data.
psql_ -c "DELETE FROM boot WHERE lab_name = 'lab-bench'" -c "DELETE FROM job WHERE job = 'bench'"
have=$(psql_ -c "SELECT count(*) FROM boot")
if [ "$have" != "$BOOTS" ]; then
  echo "Generating $BOOTS boots (seed $SEED)..."
  psql_ -c "TRUNCATE job, build, boot, lab, error_logs, test_group, test_case"
  KCI_DB_URL="$DB_URL" KCI_DB_USER=postgres java -cp "$CP" org.kernelci.batch.cli.KciCli generate "$BOOTS" --seed "$SEED"
  echo
fi
# The rollup triggers on or off, whatever an earlier run left.
case "$ROLLUPS" in on) action=ENABLE ;; off) action=DISABLE ;; *) echo "bench: ROLLUPS is on or off"; exit 1 ;; esac
psql_ -c "DO \$\$ DECLARE t record; BEGIN FOR t IN SELECT tgrelid::regclass AS tab, tgname FROM pg_trigger
  WHERE tgname LIKE '%rollup%' AND NOT tgisinternal LOOP
  EXECUTE format('ALTER TABLE %s $action TRIGGER %I', t.tab, t.tgname); END LOOP; END \$\$"
psql_ -c "DELETE FROM boot WHERE lab_name = 'lab-bench-import'"
psql_ -c "VACUUM ANALYZE"
psql_ -c "SELECT id FROM boot ORDER BY id LIMIT 5000" > "$RESULTS/ids.txt"
echo "Data: $(psql_ -c 'SELECT count(*) FROM boot') boots; synchronous_commit=$(psql_ -c 'SHOW synchronous_commit'), fsync=$(psql_ -c 'SHOW fsync'); rollups $ROLLUPS"

export KCI_TOKEN="$TOKEN" IDS_FILE="$RESULTS/ids.txt"
run() { # mode batch-size clients
  local threads=$(( $3 < 2 ? 1 : 2 ))
  MODE=$1 BATCH=$2 wrk -t"$threads" -c"$3" -d"${DURATION}s" --latency -s bench/writes.lua "http://127.0.0.1:$PORT" \
    > "$RESULTS/$1-c$3.txt" 2> "$RESULTS/$1-c$3.err"
}
wants() { [[ " $MODES " == *" $1 "* ]]; }
echo "Warming up..."
if wants reports; then MODE=reports-batch BATCH=100 wrk -t1 -c1 -d3s -s bench/writes.lua "http://127.0.0.1:$PORT" > /dev/null; fi
if wants puts; then MODE=puts-plain BATCH=1 wrk -t1 -c1 -d3s -s bench/writes.lua "http://127.0.0.1:$PORT" > /dev/null; fi
for clients in 1 8; do
  echo "Measuring at $clients client(s), ${DURATION}s each..."
  if wants reports; then run reports-batch 100 "$clients"; run reports-plain 1 "$clients"; fi
  if wants puts; then run puts-batch 50 "$clients"; run puts-plain 1 "$clients"; fi
done
if wants import; then
  # IMPORT boots as an export, new ids (the first digits replaced) so that each import inserts them.
  curl -sf -H "Authorization: $TOKEN" "http://127.0.0.1:$PORT/boot?limit=$IMPORT&sort=_id" | python3 -c '
import json, sys
for doc in json.load(sys.stdin)["result"]:
    doc["_id"]["$oid"] = "ee" + doc["_id"]["$oid"][2:]
    doc["lab_name"] = "lab-bench-import"
    print(json.dumps(doc))' > "$RESULTS/import.ndjson"
  for round in 1 2 3; do
    psql_ -c "DELETE FROM boot WHERE lab_name = 'lab-bench-import'"
    curl -sf -o "$RESULTS/import-$round.json" -w "%{time_total}\n" -H "Authorization: $TOKEN" \
      -H "Content-Type: application/x-ndjson" --data-binary "@$RESULTS/import.ndjson" \
      "http://127.0.0.1:$PORT/import/boot" > "$RESULTS/import-$round.time"
  done
  psql_ -c "DELETE FROM boot WHERE lab_name = 'lab-bench-import'"
fi
cat "$RESULTS"/*.err 2>/dev/null || true
python3 - "$RESULTS" "$MODES" "$IMPORT" <<'PY' | tee "$RESULTS/table.md"
import re, sys, os
results, modes, imported = sys.argv[1], sys.argv[2].split(), int(sys.argv[3])
def rate(name):
    text = open(os.path.join(results, name + ".txt")).read()
    requests = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", text).group(1)
    return requests, p50
print("| what | clients | requests/s | documents/s | median latency | batch / separate |")
print("|---|---|---|---|---|---|")
for clients in (1, 8):
    for batch, plain, size, label in (("reports-batch", "reports-plain", 100, "boot reports"), ("puts-batch", "puts-plain", 50, "PUTs")):
        if label.split()[-1].lower() not in modes:
            continue
        b, bp50 = rate("%s-c%d" % (batch, clients))
        p, pp50 = rate("%s-c%d" % (plain, clients))
        print("| %d %s, one Appery batch | %d | %.1f | %.0f | %s | %.1f × |" % (size, label, clients, b, b * size, bp50, b * size / p))
        print("| %d %s, separate requests | %d | %.1f | %.0f | %s | |" % (size, label, clients, p, p, pp50))
if "import" in modes:
    times = [float(open(os.path.join(results, "import-%d.time" % r)).read()) for r in (1, 2, 3)]
    print("import of %d boots (POST /import/boot): %s s, %s documents/s" % (imported,
          ", ".join("%.2f" % t for t in times), ", ".join("%.0f" % (imported / t) for t in times)))
PY
update_doc writes "$RESULTS/table.md" "BOOTS=$BOOTS DURATION=$DURATION ROLLUPS=$ROLLUPS MODES=\"$MODES\" IMPORT=$IMPORT"
