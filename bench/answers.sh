#!/usr/bin/env bash
# What writing every member of a document costs (issue 35): bytes and time of the dashboard batch
# and of a 10,000-document listing, before and after, gzipped and not. One command:
#   BASE=<commit before> bash bench/answers.sh [--update-doc]
# It builds BASE in a git worktree beside the checkout, starts one embedded PostgreSQL with the
# 1 M "bench" set (bench/data/postgres-1000000, generated when missing), this checkout's
# service on it (which applies its migrations) and BASE's service on the same database (without
# migrating: the new columns and tables do not change what it reads), then, for each of the four
# requests, the bytes of one answer (curl) and the answers a second at 1 client for DURATION
# seconds (wrk), BASE and this checkout in turn. Results in bench/results/answers-<UTC time>/
# (table.md), and with --update-doc in docs/PERFORMANCE.md, which a run without it leaves alone.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=${BASE:?"BASE: the commit to compare with (before the change)"}
BOOTS=${BOOTS:-1000000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-20}
PG_PORT=${PG_PORT:-55433}
PORT=${PORT:-8099}
BASE_PORT=${BASE_PORT:-8098}
TOKEN=bench-admin-token
source bench/results.sh
bench_results answers "$@"
mkdir -p bench/data

for tool in wrk curl psql git java mvn python3; do
  command -v "$tool" >/dev/null || { echo "answers: $tool is needed"; exit 1; }
done

# BASE's build, in a worktree of its own.
base_dir=$(mktemp -d /tmp/kci-base.XXXXXX)
git worktree add -q --detach "$base_dir" "$BASE"
(cd "$base_dir" && mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test)
BASE_CP="$base_dir/target/test-classes:$base_dir/target/classes:$(cat "$base_dir/target/bench-classpath.txt")"

source bench/service.sh
base_pid=
trap 'kill $base_pid 2>/dev/null || true; cleanup; git worktree remove --force "$base_dir"' EXIT
start_database "bench/data/postgres-$BOOTS"
start_service
generate_if_needed "$BOOTS"
KCI_DB_URL="$DB_URL" KCI_DB_USER=postgres KCI_PORT="$BASE_PORT" KCI_ADMIN_TOKEN="$TOKEN" KCI_MIGRATE=false \
  java -Xmx1g -cp "$BASE_CP" org.kernelci.batch.launch.Launcher > "$RESULTS/base-service.log" 2>&1 &
base_pid=$!
until curl -sf "http://127.0.0.1:$BASE_PORT/health" >/dev/null; do
  kill -0 "$base_pid" 2>/dev/null || { cat "$RESULTS/base-service.log"; exit 1; }
  sleep 0.5
done

boot_id=$(psql_ -c "SELECT id FROM boot ORDER BY created_on DESC LIMIT 1")
sed "s/BOOT_ID/$boot_id/" src/test/resources/bench/dashboard-batch.json > "$RESULTS/answers-batch.json"
cat > "$RESULTS/answers.lua" <<'EOF'
-- wrk: one request again and again; METHOD, TARGET and BODY_FILE from the environment.
wrk.method = os.getenv("METHOD")
wrk.headers["Authorization"] = os.getenv("KCI_TOKEN")
if os.getenv("GZIP") == "yes" then wrk.headers["Accept-Encoding"] = "gzip" end
if os.getenv("BODY_FILE") ~= "" then
  local file = io.open(os.getenv("BODY_FILE"))
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
end
EOF
export KCI_TOKEN="$TOKEN"
listing="/boot?limit=10000&sort=created_on"

# bytes PORT METHOD TARGET BODY GZIP: the bytes of one answer, as sent.
bytes() {
  local args=(-s -o /dev/null -w '%{size_download}' -H "Authorization: $TOKEN" -X "$2")
  [ "$5" = yes ] && args+=(-H 'Accept-Encoding: gzip')
  [ -n "$4" ] && args+=(-H 'Content-Type: application/json' --data-binary "@$4")
  curl "${args[@]}" "http://127.0.0.1:$1$3"
}

# rate PORT METHOD TARGET BODY GZIP SECONDS: answers a second at 1 client.
rate() {
  METHOD=$2 BODY_FILE=$4 GZIP=$5 wrk -t1 -c1 -d"$6s" -s "$RESULTS/answers.lua" "http://127.0.0.1:$1$3" \
    | awk '/Requests\/sec/ {print $2}'
}

{
  echo "request | gzip | bytes before | bytes after | after / before | answers/s before | answers/s after | after / before"
  echo "---|---|---|---|---|---|---|---"
  for request in "dashboard batch|POST|/batch|$RESULTS/answers-batch.json" "10,000 boots|GET|$listing|"; do
    IFS='|' read -r name method target body <<< "$request"
    for gzip in no yes; do
      before=$(bytes "$BASE_PORT" "$method" "$target" "$body" "$gzip")
      after=$(bytes "$PORT" "$method" "$target" "$body" "$gzip")
      rate "$BASE_PORT" "$method" "$target" "$body" "$gzip" "$WARMUP" > /dev/null
      rate "$PORT" "$method" "$target" "$body" "$gzip" "$WARMUP" > /dev/null
      rate_before=$(rate "$BASE_PORT" "$method" "$target" "$body" "$gzip" "$DURATION")
      rate_after=$(rate "$PORT" "$method" "$target" "$body" "$gzip" "$DURATION")
      echo "$name | $gzip | $before | $after | $(awk "BEGIN {printf \"%.2f\", $after / $before}") | $rate_before | $rate_after | $(awk "BEGIN {printf \"%.2f\", $rate_after / $rate_before}")"
    done
  done
} | tee "$RESULTS/table.md"
update_doc answers "$RESULTS/table.md" "BASE=$BASE BOOTS=$BOOTS DURATION=$DURATION WARMUP=$WARMUP"
