#!/usr/bin/env bash
# What the computed routes of CONTRACT.md section 12 cost (issue 35), on the 1 M and 10 M sets:
#   bash bench/views.sh [--update-doc]     (SIZES="1000000 10000000" by default)
# For each set (generated as bench/run.sh does, or reused from bench/data/postgres-<boots>), it
# starts the service and measures, at 1 client for DURATION seconds after WARMUP (wrk, gzip
# accepted as kernelci-frontend's proxy asks), each computed route beside a baseline measured in
# the same run, and prints answers a second and the ratio:
#   - GET /statistics (what the stats page asks) against the same numbers counted plainly from the
#     documents (the SQL of LogsAndStatisticsIT's recomputation, through pgbench);
#   - GET /boot/regressions?job=&kernel= (the regressions tab) of the newest kernel of the busiest
#     tree and of a typical tree, against GET /boot?job=&kernel=&field=_id (the kernel's boots
#     listed: the rows the view starts from);
#   - GET /boot/<id>/regressions of a regressing boot, and GET /bisect/?collection=build&build_id=
#     of a failed build that bisects, against GET /boot/<id> (a document by id);
#   - a batch count of test_regression for one kernel (the Tests pages' badge), against the
#     count of its test cases.
# Results in bench/results/views-<UTC time>/ (<boots>.md each, table.md all), and with
# --update-doc in docs/PERFORMANCE.md, which a run without it leaves alone.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000000 10000000"}
SEED=${SEED:-1}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
PG_PORT=${PG_PORT:-55433}
PORT=${PORT:-8099}
TOKEN=bench-admin-token
source bench/results.sh
bench_results views "$@"
mkdir -p bench/data

for tool in wrk pgbench psql curl java mvn; do
  command -v "$tool" >/dev/null || { echo "views: $tool is needed (apt-get install wrk postgresql-client)"; exit 1; }
done
source bench/service.sh
export KCI_TOKEN="$TOKEN"

# rate PATH: answers a second of GET PATH at 1 client.
rate() {
  wrk -t1 -c1 -d"${WARMUP}s" -H "Authorization: $TOKEN" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$1" > /dev/null
  wrk -t1 -c1 -d"${DURATION}s" -H "Authorization: $TOKEN" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$1" \
    | awk '/Requests\/sec/ {print $2}'
}

# rate_post PATH BODY_FILE: answers a second of POST PATH with the body at 1 client.
rate_post() {
  cat > "$RESULTS/views-post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = io.open("$2")
wrk.body = file:read("*a")
file:close()
EOF
  wrk -t1 -c1 -d"${WARMUP}s" -s "$RESULTS/views-post.lua" -H "Authorization: $TOKEN" -H 'Accept-Encoding: gzip' \
    "http://127.0.0.1:$PORT$1" > /dev/null
  wrk -t1 -c1 -d"${DURATION}s" -s "$RESULTS/views-post.lua" -H "Authorization: $TOKEN" -H 'Accept-Encoding: gzip' \
    "http://127.0.0.1:$PORT$1" | awk '/Requests\/sec/ {print $2}'
}

# sql_rate FILE: transactions a second of the SQL in FILE at 1 client (pgbench).
sql_rate() {
  pgbench -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 1 -T "$WARMUP" -f "$1" postgres > /dev/null 2>&1
  pgbench -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 1 -T "$DURATION" -f "$1" postgres 2>/dev/null \
    | awk '/^tps/ {print $3}'
}

# row NAME RATE BASELINE_NAME BASELINE_RATE
row() {
  echo "$1 | $2 | $3 | $4 | $(awk "BEGIN {printf \"%.3f\", $2 / $4}")"
}

for boots in $SIZES; do
  start_database "bench/data/postgres-$boots"
  start_service
  generate_if_needed "$boots"
  out="$RESULTS/$boots.md"

  # The plain recomputation of the statistics: every total and distinct count from the documents.
  cat > "$RESULTS/statistics-plain.sql" <<'EOF'
SELECT count(*), count(*) FILTER (WHERE created_on < now() - interval '1 day'),
       count(*) FILTER (WHERE created_on < now() - interval '7 days'), count(*) FILTER (WHERE created_on < now() - interval '14 days'),
       count(DISTINCT job), count(DISTINCT kernel), min(created_on) FROM job;
SELECT count(*), count(*) FILTER (WHERE created_on < now() - interval '1 day'),
       count(*) FILTER (WHERE created_on < now() - interval '7 days'), count(*) FILTER (WHERE created_on < now() - interval '14 days'),
       count(DISTINCT defconfig), count(DISTINCT defconfig) FILTER (WHERE created_on < now() - interval '1 day'),
       count(DISTINCT defconfig) FILTER (WHERE created_on < now() - interval '7 days'),
       count(DISTINCT defconfig) FILTER (WHERE created_on < now() - interval '14 days') FROM build;
SELECT count(*), count(*) FILTER (WHERE created_on < now() - interval '1 day'),
       count(*) FILTER (WHERE created_on < now() - interval '7 days'), count(*) FILTER (WHERE created_on < now() - interval '14 days'),
       count(DISTINCT arch), count(DISTINCT board), count(DISTINCT mach),
       count(DISTINCT board) FILTER (WHERE created_on < now() - interval '1 day'),
       count(DISTINCT mach) FILTER (WHERE created_on < now() - interval '7 days'),
       count(DISTINCT arch) FILTER (WHERE created_on < now() - interval '14 days') FROM boot;
EOF
  busiest=$(psql_ -c "SELECT job FROM boot GROUP BY job ORDER BY count(*) DESC LIMIT 1")
  typical=$(psql_ -c "SELECT job FROM boot GROUP BY job ORDER BY count(*) LIMIT 1 OFFSET 5")
  newest() { psql_ -c "SELECT kernel FROM job WHERE job = '$1' AND EXISTS (SELECT 1 FROM boot b WHERE b.job = job.job
    AND b.kernel = job.kernel AND b.status = 'FAIL') ORDER BY created_on DESC LIMIT 1"; }
  busiest_kernel=$(newest "$busiest")
  typical_kernel=$(newest "$typical")
  regressing=$(curl -s --compressed -H "Authorization: $TOKEN" \
    "http://127.0.0.1:$PORT/boot/regressions?job=$busiest&kernel=$busiest_kernel&field=regressions" \
    | python3 -c 'import json,sys
def leaves(x):
    if isinstance(x, list): yield x
    elif isinstance(x, dict):
        for v in x.values(): yield from leaves(v)
r = json.load(sys.stdin)["result"]
print(next(l[-1]["_id"]["$oid"] for d in r for l in leaves(d["regressions"])))')
  failed_build=$(psql_ -c "SELECT id FROM build WHERE status = 'FAIL' AND job = '$busiest' ORDER BY created_on DESC LIMIT 1")
  echo "{\"batch\":[{\"method\":\"GET\",\"operation_id\":\"r\",\"resource\":\"count\",\"document\":\"test_regression\",\"query\":\"job=$busiest&kernel=$busiest_kernel\"}]}" \
    > "$RESULTS/views-test-regressions.json"
  echo "{\"batch\":[{\"method\":\"GET\",\"operation_id\":\"c\",\"resource\":\"count\",\"document\":\"test_case\",\"query\":\"job=$busiest&kernel=$busiest_kernel\"}]}" \
    > "$RESULTS/views-test-cases.json"

  {
    echo "Data: $boots boots, $(psql_ -c 'SELECT count(*) FROM build') builds, $(psql_ -c 'SELECT count(*) FROM test_case') test cases;" \
      "busiest tree $busiest ($busiest_kernel), typical tree $typical ($typical_kernel)"
    echo
    echo "route | answers/s | baseline | baseline answers/s | route / baseline"
    echo "---|---|---|---|---"
    row "GET /statistics" "$(rate "/statistics?sort=created_on&sort_order=-1&limit=1")" \
      "the same numbers counted plainly (pgbench)" "$(sql_rate "$RESULTS/statistics-plain.sql")"
    for tree in "$busiest|$busiest_kernel" "$typical|$typical_kernel"; do
      IFS='|' read -r job kernel <<< "$tree"
      row "GET /boot/regressions?job=$job&kernel=$kernel" "$(rate "/boot/regressions?job=$job&kernel=$kernel")" \
        "GET /boot?job=$job&kernel=$kernel&field=_id" "$(rate "/boot?job=$job&kernel=$kernel&field=_id")"
    done
    by_id=$(rate "/boot/$regressing")
    row "GET /boot/<id>/regressions" "$(rate "/boot/$regressing/regressions")" "GET /boot/<id>" "$by_id"
    row "GET /bisect/?collection=build&build_id=<id>" "$(rate "/bisect/?collection=build&build_id=$failed_build")" \
      "GET /boot/<id>" "$by_id"
    row "batch count of test_regression ($busiest, $busiest_kernel)" \
      "$(rate_post /batch "$RESULTS/views-test-regressions.json")" "batch count of its test cases" \
      "$(rate_post /batch "$RESULTS/views-test-cases.json")"
  } | tee "$out"
  cleanup
  service_pid= database_pid=
  { cat "$out"; echo; } >> "$RESULTS/table.md"
done
update_doc views "$RESULTS/table.md" "SIZES=\"$SIZES\" DURATION=$DURATION WARMUP=$WARMUP"
