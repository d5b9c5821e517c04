#!/usr/bin/env bash
# The benchmark of POST /batch (see docs/PERFORMANCE.md). One command:
#   bash bench/run.sh [--update-doc]
# For each data set of SIZES (the 1 M "bench" set and the 10 M "large" set of shared/bench), it
# generates (or reuses) the boots in an embedded PostgreSQL kept in bench/data/postgres-<boots>,
# starts the service on it, and measures on 127.0.0.1 only, at 1 and at 8 concurrent clients, a
# mix of MIX dashboards (shared/bench's dashboard batch, its trees, lab and window varied) while
# boots arrive through POST /boot at INGEST_RATE a second:
#   1. the dashboards through POST /batch (wrk);
#   2. the same operations as separate plain GETs over keep-alive connections (wrk);
#   3. the same SQL through pgbench, every count a plain count(*): the floor;
#   4. the SQL the service runs (rollups included) through pgbench: how much of a batch is its SQL;
# and then, with the arrivals stopped (nothing changes), 5. the dashboards again with their
# current ETags in If-None-Match: every answer a 304, and 6. a static page of the dashboard:
# what the HTTP server itself costs, for comparison with a 304.
# Then it prints the tables and the ratios; they and the raw outputs are in
# bench/results/run-<UTC time>/ (table.md; one folder per size), and with --update-doc in
# docs/PERFORMANCE.md ("Results"), which a run without it leaves alone.
# Needs Java 17, Maven, wrk and pgbench (apt-get install wrk postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000000 10000000"}
SEED=${SEED:-1}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-60}
MIX=${MIX:-100}
INGEST_RATE=${INGEST_RATE:-20}
PG_PORT=${PG_PORT:-55433}
PORT=${PORT:-8099}
TOKEN=bench-admin-token
source bench/results.sh
bench_results run "$@"

for tool in wrk pgbench psql python3 java mvn; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (wrk: apt-get install wrk; pgbench, psql: apt-get install postgresql-client)"; exit 1; }
done

mkdir -p bench/data
source bench/service.sh
ingest_pid=
trap 'kill $ingest_pid 2>/dev/null || true; cleanup' EXIT
export KCI_TOKEN="$TOKEN"

measure() { # BOOTS: one data set, results in $RUN_RESULTS/BOOTS
  local boots=$1 clients threads
  RESULTS=$RUN_RESULTS/$boots
  mkdir -p "$RESULTS"
  start_database "bench/data/postgres-$boots"
  start_service
  psql_ -c "DELETE FROM boot WHERE lab_name = 'lab-ingest'"
  generate_if_needed "$boots"
  echo "Data: $boots boots, $(psql_ -c 'SELECT count(*) FROM build') builds, $(psql_ -c 'SELECT count(*) FROM job') jobs;" \
    "newest $(psql_ -c "SELECT (max(created_on) AT TIME ZONE 'UTC')::date FROM boot")"

  psql_ -c "SELECT id FROM boot ORDER BY created_on DESC LIMIT $MIX" > "$RESULTS/boot-ids.txt"
  # The repository's copy of shared/bench/dashboard-batch.json (also the tests'): a clone runs alone.
  python3 bench/report.py mix src/test/resources/bench/dashboard-batch.json "$RESULTS/boot-ids.txt" "$RESULTS/mix" "$MIX" \
    > "$RESULTS/bodies.txt"
  # shellcheck disable=SC2046
  python3 bench/report.py paths $(cat "$RESULTS/bodies.txt") > "$RESULTS/paths.txt"
  echo $(( $(wc -l < "$RESULTS/paths.txt") / MIX )) > "$RESULTS/operations"
  # The floor: the plain SQL the service would run for each dashboard, values written in.
  # shellcheck disable=SC2046
  java -cp "$CP" org.kernelci.batch.launch.FloorSql $(cat "$RESULTS/bodies.txt")
  # shellcheck disable=SC2046
  java -cp "$CP" org.kernelci.batch.launch.FloorSql --service $(cat "$RESULTS/bodies.txt")
  local scripts=() service_scripts=()
  for body in $(cat "$RESULTS/bodies.txt"); do
    scripts+=(-f "$PWD/${body%.json}.sql")
    service_scripts+=(-f "$PWD/${body%.json}.service.sql")
  done

  export BODIES_FILE="$RESULTS/bodies.txt" PATHS_FILE="$RESULTS/paths.txt"
  python3 bench/ingest.py "$PORT" "$TOKEN" "$INGEST_RATE" > "$RESULTS/ingest.txt" &
  ingest_pid=$!
  # On two cores the JIT compilers spend about 80 s of CPU in the first two minutes of load
  # (jstat -compiler): two warm-ups of a minute leave little of it to the measurements.
  echo "Warming up (${WARMUP}s each)..."
  wrk -t2 -c8 -d"${WARMUP}s" -s bench/batch.lua "http://127.0.0.1:$PORT/batch" > /dev/null
  wrk -t2 -c8 -d"${WARMUP}s" -s bench/gets.lua "http://127.0.0.1:$PORT" > /dev/null
  for clients in 1 8; do
    threads=$(( clients < 2 ? 1 : 2 ))
    echo "Measuring at $clients client(s), ${DURATION}s each..."
    wrk -t"$threads" -c"$clients" -d"${DURATION}s" --latency -s bench/batch.lua "http://127.0.0.1:$PORT/batch" > "$RESULTS/batch-c$clients.txt"
    wrk -t"$threads" -c"$clients" -d"${DURATION}s" --latency -s bench/gets.lua "http://127.0.0.1:$PORT" > "$RESULTS/gets-c$clients.txt"
    (cd "$RESULTS" && pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c "$clients" -j "$threads" -T "$DURATION" \
       -l --log-prefix="floor-c${clients}_log" "${scripts[@]}" postgres > "floor-c$clients.txt" 2>&1)
    (cd "$RESULTS" && pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c "$clients" -j "$threads" -T "$DURATION" \
       -l --log-prefix="service-sql-c${clients}_log" "${service_scripts[@]}" postgres > "service-sql-c$clients.txt" 2>&1)
  done
  kill "$ingest_pid"; wait "$ingest_pid" || true; ingest_pid=

  # Nothing changes now: each dashboard's current ETag, then every answer a 304.
  for body in $(cat "$RESULTS/bodies.txt"); do
    curl -sf -o /dev/null -D - -H "Authorization: $TOKEN" -H 'Content-Type: application/json' \
      --data-binary @"$body" "http://127.0.0.1:$PORT/batch" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' | tr -d '\r'
  done > "$RESULTS/etags.txt"
  ETAGS_FILE="$RESULTS/etags.txt" wrk -t2 -c8 -d"${WARMUP}s" -s bench/batch.lua "http://127.0.0.1:$PORT/batch" > /dev/null
  for clients in 1 8; do
    threads=$(( clients < 2 ? 1 : 2 ))
    ETAGS_FILE="$RESULTS/etags.txt" wrk -t"$threads" -c"$clients" -d"${DURATION}s" --latency -s bench/batch.lua \
      "http://127.0.0.1:$PORT/batch" > "$RESULTS/batch304-c$clients.txt"
    # What the HTTP server itself serves: a static page, no database, for comparison with a 304.
    wrk -t"$threads" -c"$clients" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/dashboard/index.html" \
      > "$RESULTS/static-c$clients.txt"
  done
  cleanup
}

for boots in $SIZES; do
  measure "$boots"
done

# shellcheck disable=SC2086
python3 bench/report.py table "$RUN_RESULTS" $SIZES > "$RUN_RESULTS/table.md"
echo
cat "$RUN_RESULTS/table.md"
echo
update_doc results "$RUN_RESULTS/table.md" "SIZES=\"$SIZES\" MIX=$MIX INGEST_RATE=$INGEST_RATE DURATION=$DURATION WARMUP=$WARMUP"
