#!/usr/bin/env bash
# The scale-out topology on one machine, everything on 127.0.0.1 (README.md, "Scaling out"):
# a PostgreSQL primary (15 on Debian 12) and a streaming replica (Debian's packages,
# pg_basebackup -R), two Tomcat 10.1 nodes with the WAR configured only by KCI_* variables (reads
# on the replica), and HAProxy in front, health-checking /health.
#
#   scale/topology.sh up [DIR]          start it all (DIR: target/scale); writes DIR/env
#   scale/topology.sh up-ha [DIR]       the same with pg_auto_failover instead of a fixed primary
#   scale/topology.sh down [DIR]        stop it all (either), remove the databases
#   scale/topology.sh stop-replica|start-replica [DIR]
#   scale/topology.sh kill-node a|b [DIR]    (SIGKILL)    start-node a|b [DIR]
#   HA only:
#   scale/topology.sh kill-pg pg1|pg2 [DIR]   the database node lost: its keeper, postmaster and
#                                             backends SIGKILLed at once
#   scale/topology.sh start-pg pg1|pg2 [DIR]  it comes back (as a standby if the other was promoted)
#   scale/topology.sh switchover [DIR]        a planned switch-over (pg_autoctl perform switchover)
#
# DIR/env holds the addresses (BALANCER_URL, NODE_A_URL, NODE_B_URL, PRIMARY_JDBC, REPLICA_JDBC,
# ADMIN_TOKEN; with up-ha also MONITOR_JDBC, PG1_JDBC, PG2_JDBC) for the topology's tests
# (scale/test.sh) or for a look by hand.
#
# Ports: seven from KCI_TOPOLOGY_PORT_BASE (23450): the balancer on it, node a and b on the next
# two, the primary and the replica on the two after, the nodes' shutdown ports last. With up-ha,
# eight: the balancer, node a and b, pg_auto_failover's monitor, database nodes pg1 and pg2, the
# nodes' shutdown ports. The default lies below Linux's ephemeral range (ip_local_port_range,
# 32768-60999 by default), from which outgoing connections take their ports at any time. `up`
# checks each free before it starts anything, and a failed `up` stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
command=${1:-}
case "$command" in
  kill-node|start-node) node=${2:?node a or b}; dir=${3:-target/scale} ;;
  kill-pg|start-pg) node=${2:?database node pg1 or pg2}; dir=${3:-target/scale} ;;
  *) dir=${2:-target/scale} ;;
esac
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# Debian's newest PostgreSQL (15 on bookworm), unless PG_BIN names another.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
PG_BIN=${PG_BIN:-$(pg_bin)}
TOMCAT_VERSION=$(sed -n 's:.*<tomcat.it.version>\(.*\)</tomcat.it.version>.*:\1:p' pom.xml)

log() { echo "[scale] $*" >&2; }

# The server's processes run as this user: PostgreSQL refuses root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PORT_BASE=${KCI_TOPOLOGY_PORT_BASE:-23450}
PORT_COUNT=7
if [ "$command" = up-ha ]; then PORT_COUNT=8; fi

# Whether a socket, listening or connected, holds local port $1 (one in TIME-WAIT does not
# stop a bind).
port_taken() {
  if command -v ss >/dev/null; then
    [ -n "$(ss -Htan exclude time-wait "( sport = :$1 )")" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# Refuses ports that cannot be the topology's before anything starts; warns of ports in the
# ephemeral range, where an outgoing connection may take one between this check and its bind.
check_ports() {
  local last=$((PORT_BASE + PORT_COUNT - 1)) low=32768 high=60999 port busy=()
  if ! [[ $PORT_BASE =~ ^[0-9]+$ ]] || [ "$PORT_BASE" -lt 1024 ] || [ "$last" -gt 65535 ]; then
    log "KCI_TOPOLOGY_PORT_BASE=$PORT_BASE: a port from 1024 to $((65536 - PORT_COUNT)) (the topology takes $PORT_COUNT from it)"
    exit 1
  fi
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    read -r low high < /proc/sys/net/ipv4/ip_local_port_range
  fi
  if [ "$PORT_BASE" -le "$high" ] && [ "$last" -ge "$low" ]; then
    log "warning: ports $PORT_BASE-$last lie in the ephemeral range $low-$high (ip_local_port_range):" \
      "an outgoing connection may take one; KCI_TOPOLOGY_PORT_BASE below $((low - PORT_COUNT + 1)) avoids it"
  fi
  for port in $(seq "$PORT_BASE" "$last"); do
    if port_taken "$port"; then busy+=("$port"); fi
  done
  if [ ${#busy[@]} -gt 0 ]; then
    log "in use: port ${busy[*]} (of $PORT_BASE-$last; ss -tanp names the holder); nothing started." \
      "Set KCI_TOPOLOGY_PORT_BASE to the first of $PORT_COUNT free ports below $low"
    exit 1
  fi
}

wait_for() { # WHAT SECONDS PID LOG COMMAND...: until COMMAND succeeds or process PID ends
  local what=$1 seconds=$2 pid=$3 output=$4
  shift 4
  local deadline=$((SECONDS + seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      log "$what exited; the end of $output:"
      tail -n 5 "$output" >&2
      return 1
    fi
    sleep 0.2
  done
  log "$what did not come up in ${seconds}s"
  return 1
}

packages() {
  local missing=()
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v unzip >/dev/null || missing+=(unzip)
  if [ "$command" = up-ha ]; then
    command -v pg_autoctl >/dev/null || missing+=(pg-auto-failover-cli)
    [ -n "$PG_BIN" ] && [ -f "$(dirname "$PG_BIN")/lib/pgautofailover.so" ] \
      || missing+=("postgresql-$(basename "$(dirname "${PG_BIN:-/usr/lib/postgresql/15/bin}")")-auto-failover")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
    log "installing ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}"
    PG_BIN=${PG_BIN:-$(pg_bin)}
  fi
  # Debian's package starts a cluster of its own on 5432: not ours, left alone.
}

war() {
  if [ ! -f target/kci-batch.war ]; then
    log "building the WAR"
    mvn -q -B -ntp package -DskipTests -DskipTomcat
  fi
}

tomcat_home() {
  local zip="$HOME/.m2/repository/org/apache/tomcat/tomcat/$TOMCAT_VERSION/tomcat-$TOMCAT_VERSION.zip"
  if [ ! -f "$zip" ]; then
    mvn -q -B -ntp dependency:get -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:zip"
  fi
  if [ ! -d "$dir/tomcat/apache-tomcat-$TOMCAT_VERSION" ]; then
    mkdir -p "$dir/tomcat"
    unzip -q "$zip" -d "$dir/tomcat"
    chmod +x "$dir/tomcat/apache-tomcat-$TOMCAT_VERSION"/bin/*.sh
  fi
  echo "$dir/tomcat/apache-tomcat-$TOMCAT_VERSION"
}

# pg_auto_failover's command as the postgres user, its configuration and state files with the
# databases' (not in the user's home).
autoctl() {
  as_pg env PATH="$PG_BIN:$PATH" XDG_CONFIG_HOME="$DATA/config" XDG_DATA_HOME="$DATA/share" pg_autoctl "$@"
}

# A query's one value, as the postgres user.
sql() { # PORT DATABASE SQL
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d "$2" -X -q -A -t -c "$3"
}

# pg_ctl as the postgres user on a data directory of ours.
pg() { as_pg "$PG_BIN/pg_ctl" -D "$1" -l "$1/server.log" -w -t 60 "${@:2}"; }

# What `up` and `up-ha` do first: refuse a DIR already up and busy ports, install what is
# missing, build the WAR; then set home (Tomcat's), token (the nodes' admin token) and DATA (the
# databases' files, where the postgres user may go whatever the checkout's permissions). From
# here on a failure or an interruption stops what was started and removes its state (down, from
# DIR/env).
begin_up() {
  if [ -f "$dir/env" ]; then
    log "already up ($dir/env); scale/topology.sh down $dir first"
    exit 1
  fi
  check_ports
  packages
  war
  home=$(tomcat_home)
  token="scale-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  trap 'status=$?; if [ $status -ne 0 ]; then log "$command failed: stopping what it started"; down; fi' EXIT
  trap 'exit 130' INT TERM
  DATA=$(mktemp -d /tmp/kci-scale-pg.XXXXXX)
  chmod 755 "$DATA"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$DATA"; fi
}

up() {
  begin_up
  local balancer_port=$PORT_BASE node_a_port=$((PORT_BASE + 1)) node_b_port=$((PORT_BASE + 2))
  local pg_port=$((PORT_BASE + 3)) replica_port=$((PORT_BASE + 4))
  cat > "$dir/env" <<EOF
DATA=$DATA
PG_PORT=$pg_port
REPLICA_PORT=$replica_port
PRIMARY_JDBC=jdbc:postgresql://127.0.0.1:$pg_port/postgres
REPLICA_JDBC=jdbc:postgresql://127.0.0.1:$replica_port/postgres
BALANCER_URL=http://127.0.0.1:$balancer_port
NODE_A_URL=http://127.0.0.1:$node_a_port
NODE_B_URL=http://127.0.0.1:$node_b_port
NODE_A_SHUTDOWN_PORT=$((PORT_BASE + 5))
NODE_B_SHUTDOWN_PORT=$((PORT_BASE + 6))
ADMIN_TOKEN=$token
TOMCAT_HOME=$home
EOF

  log "primary on $pg_port"
  as_pg "$PG_BIN/initdb" -D "$DATA/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$DATA/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$DATA'
wal_level = replica
max_wal_senders = 4
max_connections = 100
shared_buffers = 64MB
EOF
  pg "$DATA/primary" start >/dev/null

  log "replica on $replica_port (pg_basebackup -R)"
  as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$pg_port" -U postgres -D "$DATA/replica" -R -X stream \
    --checkpoint=fast
  # A later line wins: its own port; hot_standby_feedback keeps the primary from removing rows
  # that the replica's snapshots still see, so that replay seldom cancels a read.
  cat >> "$DATA/replica/postgresql.conf" <<EOF
port = $replica_port
hot_standby = on
hot_standby_feedback = on
EOF
  pg "$DATA/replica" start >/dev/null
  wait_for "streaming replication" 30 "" "$DATA/replica/server.log" streaming "$pg_port"

  start_node a
  start_node b
  balancer
}

# HAProxy in front of the two nodes, on BALANCER_URL's port.
balancer() {
  # shellcheck disable=SC1091
  . "$dir/env"
  local balancer_port=${BALANCER_URL##*:} expect='status 200'
  # HA: a node that answers /health at all serves. Its 503 there says the primary is away, which
  # is every node's state alike: it still reads from the standby, and answers writes 503 with
  # Retry-After itself, better than HAProxy's own 503 for everything.
  if [ "${MODE:-}" = ha ]; then expect='rstatus ^(200|503)$'; fi
  log "HAProxy on $balancer_port"
  cat > "$dir/haproxy.cfg" <<EOF
global
  maxconn 512
defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  # A request whose connection to a node fails goes to the other (nothing was sent yet).
  retries 2
  option redispatch
frontend kci
  bind 127.0.0.1:$balancer_port
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /health
  http-check expect $expect
  default-server inter 500ms fall 2 rise 2
  server a ${NODE_A_URL#http://} check
  server b ${NODE_B_URL#http://} check
EOF
  haproxy -f "$dir/haproxy.cfg" -db > "$dir/haproxy.log" 2>&1 &
  echo $! > "$dir/haproxy.pid"
  wait_for "HAProxy" 60 "$(cat "$dir/haproxy.pid")" "$dir/haproxy.log" curl -sf --max-time 5 "$BALANCER_URL/health"
  log "up: $BALANCER_URL (nodes $NODE_A_URL $NODE_B_URL); addresses in $dir/env"
}

# The HA topology: pg_auto_failover's monitor and two database nodes, pg1 (first primary) and pg2
# (its synchronous standby), each run by its keeper (`pg_autoctl run`, in a session of its own so
# that kill-pg takes the whole node), the same two Tomcat nodes and HAProxy. The nodes follow the
# primary by multi-host JDBC URLs (README "Scaling out", "Losing the primary").
up_ha() {
  begin_up
  local balancer_port=$PORT_BASE monitor_port=$((PORT_BASE + 3)) pg1_port=$((PORT_BASE + 4)) pg2_port=$((PORT_BASE + 5))
  # The URLs' '&' escaped: this file is read by the shell and as Java properties alike.
  # hostRecheckSeconds: how long pgjdbc trusts what it learnt of a host (primary, standby, down).
  # READ_MAX_LAG_MS, the nodes' KCI_READ_MAX_LAG_MS: longer than a failover (5 to 6 s here), so
  # that the standby serves reads until it is the primary.
  cat > "$dir/env" <<EOF
MODE=ha
DATA=$DATA
MONITOR_PORT=$monitor_port
PG1_PORT=$pg1_port
PG2_PORT=$pg2_port
MONITOR_JDBC=jdbc:postgresql://127.0.0.1:$monitor_port/pg_auto_failover
PG1_JDBC=jdbc:postgresql://127.0.0.1:$pg1_port/postgres
PG2_JDBC=jdbc:postgresql://127.0.0.1:$pg2_port/postgres
PRIMARY_JDBC=jdbc:postgresql://127.0.0.1:$pg1_port,127.0.0.1:$pg2_port/postgres?targetServerType=primary\\&hostRecheckSeconds=2
REPLICA_JDBC=jdbc:postgresql://127.0.0.1:$pg1_port,127.0.0.1:$pg2_port/postgres?targetServerType=preferSecondary\\&hostRecheckSeconds=2
READ_MAX_LAG_MS=15000
BALANCER_URL=http://127.0.0.1:$balancer_port
NODE_A_URL=http://127.0.0.1:$((PORT_BASE + 1))
NODE_B_URL=http://127.0.0.1:$((PORT_BASE + 2))
NODE_A_SHUTDOWN_PORT=$((PORT_BASE + 6))
NODE_B_SHUTDOWN_PORT=$((PORT_BASE + 7))
ADMIN_TOKEN=$token
TOMCAT_HOME=$home
EOF

  log "pg_auto_failover monitor on $monitor_port"
  autoctl create monitor --pgdata "$DATA/monitor" --pgport "$monitor_port" --hostname 127.0.0.1 \
    --auth trust --no-ssl > "$dir/monitor.log" 2>&1
  autoctl config set --pgdata "$DATA/monitor" postgresql.listen_addresses 127.0.0.1 >/dev/null
  run_keeper monitor
  wait_for "the monitor" 60 "$(cat "$dir/monitor.pid")" "$dir/monitor.log" \
    sql "$monitor_port" pg_auto_failover "SELECT 1 FROM pgautofailover.formation"
  # Failure found in about 3 s rather than 20-30 (health checks every second, a node unhealthy
  # after 3 s without a report), and the demoted primary waited for 3 s rather than 30: longer
  # than the keepers' network_partition_timeout (2 s, below), after which a primary cut off from
  # the monitor and its standby stops taking writes by itself: no two primaries.
  local setting
  for setting in health_check_period=1000 health_check_timeout=1000 health_check_max_retries=1 \
      health_check_retry_delay=500 node_considered_unhealthy_timeout=3000 primary_demote_timeout=3000; do
    sql "$monitor_port" pg_auto_failover "ALTER SYSTEM SET pgautofailover.${setting%=*} = ${setting#*=}" >/dev/null
  done
  sql "$monitor_port" pg_auto_failover "SELECT pg_reload_conf()" >/dev/null

  create_pg pg1 "$pg1_port" single
  create_pg pg2 "$pg2_port" secondary
  wait_for "pg1 primary, pg2 its synchronous standby" 120 "" "$dir/pg2.log" ha_settled
  log "pg1's synchronous_standby_names: $(sql "$pg1_port" postgres "SHOW synchronous_standby_names")"

  start_node a
  start_node b
  balancer
}

# A database node of the formation: created by its keeper, which then runs it.
create_pg() { # NAME PORT STATE
  local name=$1 port=$2
  log "database node $name on $port"
  # shellcheck disable=SC1091
  . "$dir/env"
  autoctl create postgres --pgdata "$DATA/$name" --pgport "$port" --hostname 127.0.0.1 --listen 127.0.0.1 \
    --name "$name" --auth trust --no-ssl \
    --monitor "postgres://autoctl_node@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable" > "$dir/$name.log" 2>&1
  autoctl config set --pgdata "$DATA/$name" timeout.network_partition_timeout 2 >/dev/null
  run_keeper "$name"
  wait_for "$name $3" 120 "$(cat "$dir/$name.pid")" "$dir/$name.log" node_state "$name" "$3"
}

# `pg_autoctl run` for a data directory of DATA, in a session of its own: its pid is the
# session's, whose processes (the keeper's, PostgreSQL's) kill-pg signals at once.
run_keeper() {
  # shellcheck disable=SC1091
  . "$dir/env"
  if [ "$(id -u)" -eq 0 ]; then
    setsid runuser -u postgres -- env PATH="$PG_BIN:$PATH" XDG_CONFIG_HOME="$DATA/config" \
      XDG_DATA_HOME="$DATA/share" pg_autoctl run --pgdata "$DATA/$1" >> "$dir/$1.log" 2>&1 < /dev/null &
  else
    setsid env PATH="$PG_BIN:$PATH" XDG_CONFIG_HOME="$DATA/config" \
      XDG_DATA_HOME="$DATA/share" pg_autoctl run --pgdata "$DATA/$1" >> "$dir/$1.log" 2>&1 < /dev/null &
  fi
  echo $! > "$dir/$1.pid"
}

# Whether the monitor says node NAME is in STATE, reported and assigned.
node_state() {
  # shellcheck disable=SC1091
  . "$dir/env"
  [ "$(sql "$MONITOR_PORT" pg_auto_failover "SELECT reportedstate || '/' || goalstate FROM pgautofailover.node WHERE nodename = '$1'")" = "$2/$2" ]
}

# Whether one node is primary and the other its standby, both settled.
ha_settled() {
  # shellcheck disable=SC1091
  . "$dir/env"
  [ "$(sql "$MONITOR_PORT" pg_auto_failover "SELECT string_agg(reportedstate::text || '/' || goalstate::text, ' ' ORDER BY reportedstate::text) FROM pgautofailover.node")" = "primary/primary secondary/secondary" ]
}

# Ends a process group of ours (a keeper's session) with SIGNAL; after 30 s, SIGKILL.
stop_group() { # PIDFILE SIGNAL
  local pid
  pid=$(cat "$1" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill "-$2" -- "-$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 -- "-$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
    sleep 0.1
  done
  rm -f "$1"
}

start_node() {
  # shellcheck disable=SC1091
  . "$dir/env"
  local name=$1 url port shutdown_port base
  url=$(sed -n "s/^NODE_$(echo "$name" | tr a-z A-Z)_URL=//p" "$dir/env")
  shutdown_port=$(sed -n "s/^NODE_$(echo "$name" | tr a-z A-Z)_SHUTDOWN_PORT=//p" "$dir/env")
  port=${url##*:}
  base="$dir/node-$name"
  if [ ! -d "$base" ]; then
    mkdir -p "$base"/{conf,logs,temp,webapps,work}
    cp -r "$TOMCAT_HOME/conf/." "$base/conf/"
    # Its own ports; no AJP connector.
    sed -i -e "s/port=\"8005\"/port=\"$shutdown_port\"/" \
      -e "s/port=\"8080\"/port=\"$port\" address=\"127.0.0.1\"/" "$base/conf/server.xml"
    cp target/kci-batch.war "$base/webapps/ROOT.war"
  fi
  log "node $name on $port"
  # Only KCI_* variables: no context file, no JNDI; the service's own pools.
  env CATALINA_HOME="$TOMCAT_HOME" CATALINA_BASE="$base" CATALINA_OPTS="-Xmx512m -Duser.timezone=UTC" \
    KCI_DB_URL="$PRIMARY_JDBC" KCI_DB_USER=postgres KCI_DB_READ_URL="$REPLICA_JDBC" \
    KCI_ADMIN_TOKEN="$ADMIN_TOKEN" KCI_TRUSTED_PROXIES=127.0.0.1 KCI_DB_POOL_SIZE=8 \
    ${READ_MAX_LAG_MS:+KCI_READ_MAX_LAG_MS=$READ_MAX_LAG_MS} \
    "$TOMCAT_HOME/bin/catalina.sh" run > "$base/logs/console.log" 2>&1 &
  echo $! > "$dir/node-$name.pid"
  wait_for "node $name" 120 "$(cat "$dir/node-$name.pid")" "$base/logs/console.log" curl -sf --max-time 5 "$url/health"
}

kill_node() {
  local pid
  pid=$(cat "$dir/node-$1.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$dir/node-$1.pid"
}

down() {
  [ -f "$dir/env" ] || { log "nothing up in $dir"; return 0; }
  # shellcheck disable=SC1091
  . "$dir/env"
  local pid
  pid=$(cat "$dir/haproxy.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  for name in a b; do kill_node "$name"; done
  for server in replica primary; do
    [ -d "$DATA/$server" ] && pg "$DATA/$server" stop -m fast >/dev/null 2>&1 || true
  done
  for server in pg1 pg2 monitor; do stop_group "$dir/$server.pid" TERM; done
  # The servers' logs stay, next to the nodes' (DIR/logs).
  rm -rf "$dir/logs"
  mkdir -p "$dir/logs"
  for server in primary replica; do
    if [ -f "$DATA/$server/server.log" ]; then cp "$DATA/$server/server.log" "$dir/logs/$server.log"; fi
  done
  for server in monitor pg1 pg2 switchover; do
    if [ -f "$dir/$server.log" ]; then mv "$dir/$server.log" "$dir/logs/$server.log"; fi
    if [ -d "$DATA/$server/log" ]; then cp -r "$DATA/$server/log" "$dir/logs/$server-postgres"; fi
  done
  for name in a b; do
    if [ -d "$dir/node-$name/logs" ]; then cp -r "$dir/node-$name/logs" "$dir/logs/node-$name"; fi
  done
  case "$DATA" in /tmp/kci-scale-pg.*) rm -rf "$DATA" ;; esac
  rm -rf "$dir/env" "$dir"/node-a "$dir"/node-b "$dir"/*.pid
  log "down"
}

# Whether the primary on port $1 streams to one replica.
streaming() {
  [ "$(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -X -q -A -t \
    -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ]
}

case "$command" in
  up) up ;;
  up-ha) up_ha ;;
  kill-pg) stop_group "$dir/$node.pid" KILL ;;
  start-pg) run_keeper "$node" ;;
  switchover)
    # pg_autoctl's progress (and the errors it logs and gets over) in a file; its end on a failure.
    . "$dir/env"
    autoctl perform switchover --pgdata "$DATA/monitor" >> "$dir/switchover.log" 2>&1 \
      || { tail -n 20 "$dir/switchover.log" >&2; exit 1; } ;;
  down) down ;;
  stop-replica) . "$dir/env"; pg "$DATA/replica" stop -m immediate >/dev/null ;;
  start-replica) . "$dir/env"; pg "$DATA/replica" start >/dev/null ;;
  kill-node) kill_node "$node" ;;
  start-node) start_node "$node" ;;
  *) sed -n '2,30p' "$0"; exit 2 ;;
esac
