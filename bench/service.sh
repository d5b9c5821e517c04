# Sourced by the benchmark scripts (run.sh, writes.sh, faults.sh): the classpath, an embedded
# PostgreSQL and the service on 127.0.0.1, both stopped when the script ends. The script sets
# RESULTS, PG_PORT, PORT and TOKEN first.
DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"

database_pid=
service_pid=
cleanup() {
  for pid in $service_pid $database_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $service_pid $database_pid; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# start_database DIRECTORY: an embedded PostgreSQL on PG_PORT, its data kept in DIRECTORY.
start_database() {
  java -cp "$CP" org.kernelci.batch.launch.BenchDatabase "$PWD/$1" "$PG_PORT" > "$RESULTS/database.log" 2>&1 &
  database_pid=$!
  until grep -q '^ready' "$RESULTS/database.log"; do
    kill -0 "$database_pid" 2>/dev/null || { cat "$RESULTS/database.log"; exit 1; }
    sleep 0.2
  done
}

# start_service: the run command on that database, with a pool of 8 and TOKEN as its admin token.
start_service() {
  KCI_DB_URL="$DB_URL" KCI_DB_USER=postgres KCI_PORT="$PORT" KCI_ADMIN_TOKEN="$TOKEN" KCI_DB_POOL_SIZE=8 \
    java -Xmx1g -cp "$CP" org.kernelci.batch.launch.Launcher > "$RESULTS/service.log" 2>&1 &
  service_pid=$!
  until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do
    kill -0 "$service_pid" 2>/dev/null || { cat "$RESULTS/service.log"; exit 1; }
    sleep 0.5
  done
}

psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -X -q -A -t "$@"; }

# generate_if_needed BOOTS: the generator's data set of BOOTS boots (seed SEED, default 1) in the
# running database, unless it holds it already (a set of an older generator, without error logs
# or test results, is made again).
generate_if_needed() {
  if [ "$(psql_ -c "SELECT count(*) FROM boot")" != "$1" ] || [ "$(psql_ -c "SELECT count(*) > 0 FROM test_case")" != t ]; then
    echo "Generating $1 boots (seed ${SEED:-1})..."
    psql_ -c "TRUNCATE job, build, boot, lab, error_logs, test_group, test_case"
    KCI_DB_URL="$DB_URL" KCI_DB_USER=postgres java -cp "$CP" org.kernelci.batch.cli.KciCli generate "$1" --seed "${SEED:-1}" \
      | tr '\r' '\n' | tail -1
    psql_ -c "CHECKPOINT" -c "VACUUM (FREEZE, ANALYZE)"
  fi
}
