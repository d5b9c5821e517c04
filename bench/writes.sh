#!/usr/bin/env bash
# The write benchmark (see docs/PERFORMANCE.md, "Writes"). One command:
#   bash bench/writes.sh
# generates (or reuses) BOOTS boots in an embedded PostgreSQL kept in bench/data-writes, starts
# the service on it and measures on 127.0.0.1 only, at 1 and 8 concurrent clients:
#   1. 100 boot reports as one Appery batch against 100 separate POST /boot (keep-alive);
#   2. a batch of 50 PUTs against 50 separate PUT /boot/<id>.
# Prints documents written per second and the ratios. Needs Java 17, Maven, wrk, psql.
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTS=${BOOTS:-100000}
SEED=${SEED:-1}
DURATION=${DURATION:-10}
PG_PORT=${PG_PORT:-55434}
PORT=${PORT:-8098}
TOKEN=bench-admin-token
RESULTS=bench/results-writes

for tool in wrk psql python3 java mvn; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed"; exit 1; }
done

rm -rf "$RESULTS" && mkdir -p "$RESULTS" bench/data-writes
source bench/service.sh
start_database bench/data-writes/postgres
start_service

# The reports of earlier runs go, so every run starts from the same data.
psql_ -c "DELETE FROM boot WHERE lab_name = 'lab-bench'" -c "DELETE FROM job WHERE job = 'bench'"
have=$(psql_ -c "SELECT count(*) FROM boot")
if [ "$have" != "$BOOTS" ]; then
  echo "Generating $BOOTS boots (seed $SEED)..."
  psql_ -c "TRUNCATE job, build, boot, lab"
  KCI_DB_URL="$DB_URL" KCI_DB_USER=postgres java -cp "$CP" org.kernelci.batch.cli.KciCli generate "$BOOTS" --seed "$SEED"
  echo
fi
psql_ -c "VACUUM ANALYZE"
psql_ -c "SELECT id FROM boot ORDER BY id LIMIT 5000" > "$RESULTS/ids.txt"
echo "Data: $(psql_ -c 'SELECT count(*) FROM boot') boots; synchronous_commit=$(psql_ -c 'SHOW synchronous_commit'), fsync=$(psql_ -c 'SHOW fsync')"

export KCI_TOKEN="$TOKEN" IDS_FILE="$RESULTS/ids.txt"
run() { # mode batch-size clients
  local threads=$(( $3 < 2 ? 1 : 2 ))
  MODE=$1 BATCH=$2 wrk -t"$threads" -c"$3" -d"${DURATION}s" --latency -s bench/writes.lua "http://127.0.0.1:$PORT" \
    > "$RESULTS/$1-c$3.txt" 2> "$RESULTS/$1-c$3.err"
}
echo "Warming up..."
MODE=reports-batch BATCH=100 wrk -t1 -c1 -d3s -s bench/writes.lua "http://127.0.0.1:$PORT" > /dev/null
MODE=puts-plain BATCH=1 wrk -t1 -c1 -d3s -s bench/writes.lua "http://127.0.0.1:$PORT" > /dev/null
for clients in 1 8; do
  echo "Measuring at $clients client(s), ${DURATION}s each..."
  run reports-batch 100 "$clients"
  run reports-plain 1 "$clients"
  run puts-batch 50 "$clients"
  run puts-plain 1 "$clients"
done
cat "$RESULTS"/*.err
python3 - "$RESULTS" <<'PY'
import re, sys, os
results = sys.argv[1]
def rate(name):
    text = open(os.path.join(results, name + ".txt")).read()
    requests = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", text).group(1)
    return requests, p50
print("| what | clients | requests/s | documents/s | median latency | batch / separate |")
print("|---|---|---|---|---|---|")
for clients in (1, 8):
    for batch, plain, size, label in (("reports-batch", "reports-plain", 100, "boot reports"), ("puts-batch", "puts-plain", 50, "PUTs")):
        b, bp50 = rate("%s-c%d" % (batch, clients))
        p, pp50 = rate("%s-c%d" % (plain, clients))
        print("| %d %s, one Appery batch | %d | %.1f | %.0f | %s | %.1f × |" % (size, label, clients, b, b * size, bp50, b * size / p))
        print("| %d %s, separate requests | %d | %.1f | %.0f | %s | |" % (size, label, clients, p, p, pp50))
PY
