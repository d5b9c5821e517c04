#!/usr/bin/env bash
# The benchmark of POST /batch (see docs/PERFORMANCE.md). One command:
#   bash bench/run.sh
# generates (or reuses) a data set of BOOTS boots in an embedded PostgreSQL kept in bench/data,
# starts the service on it, and measures on 127.0.0.1 only, at 1 and at 8 concurrent clients:
#   1. the dashboard batch of shared/bench through POST /batch (wrk);
#   2. the same operations as separate plain GETs over keep-alive connections (wrk);
#   3. the same SQL through pgbench: the floor;
#   4. the batch again with its current ETag in If-None-Match: every answer a 304.
# Then it prints the table and the ratios and writes them into docs/PERFORMANCE.md.
# Needs Java 17, Maven, wrk and pgbench (apt-get install wrk postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTS=${BOOTS:-1000000}
SEED=${SEED:-1}
DURATION=${DURATION:-20}
PG_PORT=${PG_PORT:-55433}
PORT=${PORT:-8099}
TOKEN=bench-admin-token
RESULTS=bench/results

for tool in wrk pgbench psql python3 java mvn; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (wrk: apt-get install wrk; pgbench, psql: apt-get install postgresql-client)"; exit 1; }
done

rm -rf "$RESULTS" && mkdir -p "$RESULTS" bench/data
source bench/service.sh
start_database bench/data/postgres
start_service

have=$(psql_ -c "SELECT count(*) FROM boot")
if [ "$have" != "$BOOTS" ]; then
  echo "Generating $BOOTS boots (seed $SEED)..."
  psql_ -c "TRUNCATE job, build, boot, lab"
  KCI_DB_URL="$DB_URL" KCI_DB_USER=postgres java -cp "$CP" org.kernelci.batch.cli.KciCli generate "$BOOTS" --seed "$SEED"
  echo
  psql_ -c "CHECKPOINT" -c "VACUUM (FREEZE, ANALYZE)"
fi
TODAY=$(psql_ -c "SELECT (max(created_on) AT TIME ZONE 'UTC')::date FROM boot")
echo "Data: $BOOTS boots, $(psql_ -c 'SELECT count(*) FROM build') builds, $(psql_ -c 'SELECT count(*) FROM job') jobs; newest $TODAY"

BOOT_ID=$(psql_ -c "SELECT id FROM boot ORDER BY created_on DESC LIMIT 1")
sed "s/BOOT_ID/$BOOT_ID/" ../shared/bench/dashboard-batch.json > "$RESULTS/batch.json"
python3 bench/report.py paths "$RESULTS/batch.json" > "$RESULTS/paths.txt"
wc -l < "$RESULTS/paths.txt" | tr -d ' ' > "$RESULTS/operations"
# The floor: the SQL the service runs for the batch (values written in), one transaction per
# dashboard; and, for reference, shared/bench/dashboard.sql as given (no totals, no by-id).
java -cp "$CP" org.kernelci.batch.launch.FloorSql "$RESULTS/batch.json" > "$RESULTS/floor.sql"
{ echo "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;"; grep -v '^--' ../shared/bench/dashboard.sql; echo "COMMIT;"; } > "$RESULTS/given.sql"

export KCI_TOKEN="$TOKEN" BATCH_FILE="$RESULTS/batch.json" PATHS_FILE="$RESULTS/paths.txt"
curl -sf -D "$RESULTS/batch-headers.txt" -H "Authorization: $TOKEN" -H 'Content-Type: application/json' \
  --data-binary @"$BATCH_FILE" "http://127.0.0.1:$PORT/batch" > "$RESULTS/batch-response.json"
ETAG=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' "$RESULTS/batch-headers.txt" | tr -d '\r')
echo "Warming up..."
wrk -t1 -c1 -d5s -s bench/batch.lua "http://127.0.0.1:$PORT/batch" > /dev/null
wrk -t1 -c1 -d5s -s bench/gets.lua "http://127.0.0.1:$PORT" > /dev/null
for clients in 1 8; do
  threads=$(( clients < 2 ? 1 : 2 ))
  echo "Measuring at $clients client(s), ${DURATION}s each..."
  wrk -t"$threads" -c"$clients" -d"${DURATION}s" --latency -s bench/batch.lua "http://127.0.0.1:$PORT/batch" > "$RESULTS/batch-c$clients.txt"
  wrk -t"$threads" -c"$clients" -d"${DURATION}s" --latency -s bench/gets.lua "http://127.0.0.1:$PORT" > "$RESULTS/gets-c$clients.txt"
  IF_NONE_MATCH="$ETAG" wrk -t"$threads" -c"$clients" -d"${DURATION}s" --latency -s bench/batch.lua \
    "http://127.0.0.1:$PORT/batch" > "$RESULTS/batch304-c$clients.txt"
  for floor in floor given; do
    (cd "$RESULTS" && pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c "$clients" -j "$threads" -T "$DURATION" \
       -l --log-prefix="$floor-c${clients}_log" -f "$floor.sql" postgres > "$floor-c$clients.txt" 2>&1)
  done
done

TABLE=$(python3 bench/report.py table "$RESULTS")
echo
echo "$TABLE"
python3 - "$TABLE" "$BOOTS" "$DURATION" <<'PY'
import platform, subprocess, sys, datetime
table, boots, duration = sys.argv[1], sys.argv[2], sys.argv[3]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
memory = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
text = open("docs/PERFORMANCE.md").read()
start = text.index("<!-- results -->")
end = text.index("<!-- /results -->")
block = """<!-- results -->
Measured %s UTC with `bash bench/run.sh` (BOOTS=%s, %s s per measurement) on %s cores of %s,
%.0f GiB of memory, %s, %s.

%s
""" % (datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), boots, duration, subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
       cpu, int(memory) / 1048576, platform.platform(), java, table)
open("docs/PERFORMANCE.md", "w").write(text[:start] + block + text[end:])
PY
echo
echo "Written to docs/PERFORMANCE.md"
