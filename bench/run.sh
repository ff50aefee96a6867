#!/usr/bin/env bash
# The Pushgate benchmark (issue 9): builds what it needs, starts a fresh Redis, the gateway and
# the baselines (a minimal Vert.x broadcaster, Socket.IO with its Redis adapter, nats-server's
# WebSocket listener, Redis pub/sub), runs the load generator against them, stops everything it
# started (also on Ctrl-C) and writes bench/results/. See bench/README.md.
#
#   ./bench/run.sh [--quick] [--scenario fanout,breadth,ingest,bandwidth,idle] [--systems gateway,broadcaster,socketio,nats,redis]
#                  [--no-build] [--no-pin]   (--no-pin: neither taskset nor nice)
#                  [--results DIR]   (default bench/results)
#                  [--baseline DIR]  (DIR: the quarkus-app/ of another gateway build, run beside this one as gateway-before)
#                  [--cluster]       (also the gateway on a local six-node Redis Cluster, without and with WAIT 1; by
#                                     default then: --scenario breadth,ingest, results in bench/results/cluster)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK="$ROOT/bench/target/run"
RESULTS="$ROOT/bench/results"
REPLAY="$ROOT/data-feeder/src/main/resources/replay/btc-bpi.jsonl"

die() { echo "bench/run.sh: $*" >&2; exit 1; }
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

quick=0; build=1; pin=1; args=(); baseline=""; cluster=0; scenario_given=0; systems_given=0; results_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; args+=(--quick) ;;
    --scenario|--scenarios) [ $# -ge 2 ] || die "$1 needs a value"; args+=(--scenario "$2"); scenario_given=1; shift ;;
    --systems) [ $# -ge 2 ] || die "$1 needs a value"; args+=(--systems "$2"); systems_given=1; shift ;;
    --cluster) cluster=1 ;;
    --batch-delay) [ $# -ge 2 ] || die "$1 needs a value"; args+=(--batch-delay "$2"); shift ;;
    --results) [ $# -ge 2 ] || die "$1 needs a value"; mkdir -p "$2"; RESULTS=$(cd "$2" && pwd); results_given=1; shift ;;
    --baseline) [ $# -ge 2 ] || die "$1 needs a value"; baseline="$2"; shift ;;
    --no-build) build=0 ;;
    --no-pin) pin=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
  shift
done

if [ $cluster -eq 1 ]; then
  [ $scenario_given -eq 1 ] || args+=(--scenario breadth,ingest)
  [ $systems_given -eq 1 ] || args+=(--systems gateway,gateway-cluster,gateway-cluster-wait,nats)
  [ $results_given -eq 1 ] || RESULTS="$ROOT/bench/results/cluster"
  command -v redis-cli >/dev/null 2>&1 || die "redis-cli is not on the PATH (Debian: apt-get install -y redis-tools)"
fi
for tool in java jcmd jstat redis-server nats-server node npm curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not on the PATH (Debian: apt-get install -y openjdk-17-jdk redis-server nats-server nodejs npm curl)"
done
[ -f "$REPLAY" ] || die "no replay file at $REPLAY"
if [ -n "$baseline" ]; then
  baseline=$(cd "$baseline" 2>/dev/null && pwd) || die "--baseline: no directory $baseline"
  [ -f "$baseline/quarkus-run.jar" ] || die "--baseline: $baseline has no quarkus-run.jar (give the quarkus-app/ directory of a gateway build)"
fi
mkdir -p "$WORK" "$RESULTS"

# Open files: each connection is one descriptor in the server and one in the load generator.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files:   $(ulimit -n) per process (hard limit $(ulimit -Hn))"

pids=()
cleanup() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo "stopping ${#pids[@]} processes..."
    kill "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 75); do
      alive=0
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
      [ $alive -eq 0 ] && break
      sleep 0.2
    done
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null; done
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'echo; echo "interrupted"; exit 130' INT TERM

used_ports=" "
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))
    case "$used_ports" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      used_ports="$used_ports$p "
      echo "$p"
      return
    fi
  done
  die "no free port found"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
await_port() { # name port seconds log
  for _ in $(seq 1 $(($3 * 5))); do port_open "$2" && return 0; sleep 0.2; done
  die "$1 did not listen on $2 within $3 s; see $4"
}

# Build (the gateway and the harness) and the Socket.IO server's packages.
if [ $build -eq 1 ]; then
  echo "building:     topic-gateway and bench (log: $WORK/build.log)"
  ./mvnw -q -B -pl topic-gateway,bench -am package -DskipTests >"$WORK/build.log" 2>&1 || die "the build failed; see $WORK/build.log"
fi
[ -f topic-gateway/target/quarkus-app/quarkus-run.jar ] || die "no topic-gateway/target/quarkus-app/quarkus-run.jar: run without --no-build"
[ -f bench/target/bench.jar ] || die "no bench/target/bench.jar: run without --no-build"
if [ ! -f bench/node/node_modules/.package-lock.json ] || [ bench/node/package-lock.json -nt bench/node/node_modules/.package-lock.json ]; then
  echo "npm ci:       bench/node"
  (cd bench/node && npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) || die "npm ci failed; see $WORK/npm.log"
fi

# Pinning: servers on CPU 0, the load generator on the last CPU, when there are two or more.
# Priority: on a machine shared with other sessions' builds, the measured processes run at nice
# -10 where that is allowed, so that a build does not take the pinned CPUs from them mid-step.
cpus=$(nproc --all)
server_pin=(); loadgen_pin=(); how="not pinned (--no-pin, or taskset missing, or one CPU)"
if [ $pin -eq 1 ] && command -v taskset >/dev/null 2>&1 && [ "$cpus" -ge 2 ]; then
  server_pin=(taskset -c 0); loadgen_pin=(taskset -c $((cpus - 1)))
  how="servers pinned to CPU 0 (taskset -c 0; each server alone under load, its Redis beside it), load generator to CPU $((cpus - 1))"
fi
if [ $pin -eq 1 ] && nice -n -10 true 2>/dev/null; then
  server_pin=(nice -n -10 "${server_pin[@]}"); loadgen_pin=(nice -n -10 "${loadgen_pin[@]}")
  how="$how; all of them at nice -10, above other sessions' work"
fi
echo "pinning:      $how"

REDIS_GW=$(free_port); REDIS_BASE=$(free_port); GATEWAY=$(free_port); BROADCASTER=$(free_port)
SOCKETIO=$(free_port); NATS=$(free_port); NATS_WS=$(free_port)

start_redis() { # port log
  "${server_pin[@]}" redis-server --port "$1" --bind 127.0.0.1 --protected-mode no --save '' --appendonly no --maxclients 100000 >"$2" 2>&1 &
  pids+=($!)
}
start_redis "$REDIS_GW" "$WORK/redis-gateway.log"; redis_gw_pid=$!
if [ -n "$baseline" ]; then
  REDIS_BEFORE=$(free_port); BEFORE=$(free_port)
  start_redis "$REDIS_BEFORE" "$WORK/redis-gateway-before.log"; redis_before_pid=$!
  await_port "redis (baseline gateway)" "$REDIS_BEFORE" 10 "$WORK/redis-gateway-before.log"
fi
start_redis "$REDIS_BASE" "$WORK/redis-baseline.log"; redis_base_pid=$!
await_port "redis (gateway)" "$REDIS_GW" 10 "$WORK/redis-gateway.log"
await_port "redis (baselines)" "$REDIS_BASE" 10 "$WORK/redis-baseline.log"

JVM_OPTS=(-Xmx1g -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)
# anonymous-roles: the load generator sets topics without a token. vertx.disableWebsockets=false:
# kept for runs of older builds; the gateway now depends on quarkus-websockets-next, so Quarkus no
# longer turns off Vert.x's WebSocket extensions (permessage-deflate) by itself.
# limits.*: the per-client protections would refuse the benchmark itself (one publisher drives
# every update; thousands of connections come from a few loopback addresses; subscribers send
# nothing for minutes). shutdown.*: stop in a second rather than draining for 10 s.
GATEWAY_OPTS=(-Dgateway.security.anonymous-roles=ADMINISTRATOR -Dvertx.disableWebsockets=false
  -Dgateway.limits.max-requests-per-second=10000000 -Dgateway.limits.request-burst=10000000
  -Dgateway.limits.max-connections-per-address=1000000 -Dgateway.limits.max-topics-per-session=1000000
  -Dgateway.limits.idle-timeout=0
  -Dquarkus.shutdown.delay-enabled=false -Dquarkus.shutdown.timeout=2s)
# more gateway options for an experiment, e.g. BENCH_GATEWAY_OPTS='-Dquarkus.log.level=DEBUG'
read -r -a extra_gateway_opts <<<"${BENCH_GATEWAY_OPTS:-}"
GATEWAY_OPTS+=("${extra_gateway_opts[@]}")
"${server_pin[@]}" java "${JVM_OPTS[@]}" -Dquarkus.http.port="$GATEWAY" -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_GW" "${GATEWAY_OPTS[@]}" \
  -jar topic-gateway/target/quarkus-app/quarkus-run.jar >"$WORK/gateway.log" 2>&1 &
gateway_pid=$!; pids+=($gateway_pid)
cluster_args=()
if [ $cluster -eq 1 ]; then
  # Six nodes, three masters with a replica each, pinned with the other servers: on this machine
  # the figures show the cluster's cost beside one Redis, not its scaling (bench/README.md).
  cluster_hosts=(); cluster_pids=()
  for i in 1 2 3 4 5 6; do
    p=$(free_port); d="$WORK/cluster/$p"; rm -rf "$d"; mkdir -p "$d"
    "${server_pin[@]}" redis-server --port "$p" --bind 127.0.0.1 --protected-mode no --save '' --appendonly no --maxclients 100000 \
      --cluster-enabled yes --cluster-config-file "$d/nodes.conf" --cluster-node-timeout 5000 --dir "$d" >"$d/redis.log" 2>&1 &
    pids+=($!); cluster_pids+=($!); cluster_hosts+=("127.0.0.1:$p")
  done
  for h in "${cluster_hosts[@]}"; do await_port "redis cluster node" "${h#*:}" 10 "$WORK/cluster"; done
  redis-cli --cluster create "${cluster_hosts[@]}" --cluster-replicas 1 --cluster-yes >"$WORK/cluster/create.log" 2>&1 \
    || die "redis-cli --cluster create failed; see $WORK/cluster/create.log"
  for _ in $(seq 1 300); do
    ok=1
    for h in "${cluster_hosts[@]}"; do
      redis-cli -p "${h#*:}" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || ok=0
    done
    [ $ok -eq 1 ] && break
    sleep 0.2
  done
  [ $ok -eq 1 ] || die "the Redis Cluster did not reach cluster_state:ok"
  hosts=$(printf 'redis://%s,' "${cluster_hosts[@]}"); hosts=${hosts%,}
  cluster_pid_list=$(IFS=,; echo "${cluster_pids[*]}")
  CLUSTER_GW=$(free_port); CLUSTER_WAIT=$(free_port)
  # each with its own key prefix on the one cluster; one of them works at a time
  "${server_pin[@]}" java "${JVM_OPTS[@]}" -Dquarkus.http.port="$CLUSTER_GW" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.redis.client-type=cluster -Dquarkus.redis.hosts="$hosts" -Dgateway.redis.key-prefix=pgc "${GATEWAY_OPTS[@]}" \
    -jar topic-gateway/target/quarkus-app/quarkus-run.jar >"$WORK/gateway-cluster.log" 2>&1 &
  cluster_gw_pid=$!; pids+=($cluster_gw_pid)
  "${server_pin[@]}" java "${JVM_OPTS[@]}" -Dquarkus.http.port="$CLUSTER_WAIT" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.redis.client-type=cluster -Dquarkus.redis.hosts="$hosts" -Dgateway.redis.key-prefix=pgw \
    -Dgateway.redis.wait-replicas=1 "${GATEWAY_OPTS[@]}" \
    -jar topic-gateway/target/quarkus-app/quarkus-run.jar >"$WORK/gateway-cluster-wait.log" 2>&1 &
  cluster_wait_pid=$!; pids+=($cluster_wait_pid)
  cluster_args=(--port gateway-cluster="$CLUSTER_GW" --pids gateway-cluster="$cluster_gw_pid,$cluster_pid_list"
    --port gateway-cluster-wait="$CLUSTER_WAIT" --pids gateway-cluster-wait="$cluster_wait_pid,$cluster_pid_list")
fi
before_args=()
if [ -n "$baseline" ]; then
  # the same options as the gateway, each on its own Redis; one of them works at a time
  "${server_pin[@]}" java "${JVM_OPTS[@]}" -Dquarkus.http.port="$BEFORE" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_BEFORE" "${GATEWAY_OPTS[@]}" \
    -jar "$baseline/quarkus-run.jar" >"$WORK/gateway-before.log" 2>&1 &
  before_pid=$!; pids+=($before_pid)
  before_args=(--port gateway-before="$BEFORE" --pids gateway-before="$before_pid,$redis_before_pid")
fi

"${server_pin[@]}" java "${JVM_OPTS[@]}" -cp bench/target/bench.jar io.pushgate.bench.server.Broadcaster "$BROADCASTER" \
  >"$WORK/broadcaster.log" 2>&1 &
broadcaster_pid=$!; pids+=($broadcaster_pid)

cat >"$WORK/nats.conf" <<CONF
listen: 127.0.0.1:$NATS
websocket {
  listen: "127.0.0.1:$NATS_WS"
  no_tls: true
}
CONF
"${server_pin[@]}" nats-server -c "$WORK/nats.conf" >"$WORK/nats.log" 2>&1 &
nats_pid=$!; pids+=($nats_pid)

PORT="$SOCKETIO" REDIS_URL="redis://127.0.0.1:$REDIS_BASE" "${server_pin[@]}" node bench/node/server.js >"$WORK/socketio.log" 2>&1 &
socketio_pid=$!; pids+=($socketio_pid)

for _ in $(seq 1 450); do
  curl -fs "http://127.0.0.1:$GATEWAY/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$gateway_pid" 2>/dev/null || die "the gateway exited at start; see $WORK/gateway.log"
  sleep 0.2
done
curl -fs "http://127.0.0.1:$GATEWAY/q/health/ready" >/dev/null 2>&1 || die "the gateway was not ready within 90 s; see $WORK/gateway.log"
if [ -n "$baseline" ]; then
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$BEFORE/q/health/ready" >/dev/null 2>&1 && break
    kill -0 "$before_pid" 2>/dev/null || die "the baseline gateway exited at start; see $WORK/gateway-before.log"
    sleep 0.2
  done
  curl -fs "http://127.0.0.1:$BEFORE/q/health/ready" >/dev/null 2>&1 || die "the baseline gateway was not ready within 60 s; see $WORK/gateway-before.log"
  echo "baseline:     gateway-before :$BEFORE (redis :$REDIS_BEFORE) from $baseline"
fi
if [ $cluster -eq 1 ]; then
  for port in "$CLUSTER_GW" "$CLUSTER_WAIT"; do
    for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 || die "the gateway on the cluster (:$port) was not ready within 60 s; see $WORK/gateway-cluster*.log"
  done
  echo "cluster:      gateway-cluster :$CLUSTER_GW, gateway-cluster-wait :$CLUSTER_WAIT on $hosts"
fi
await_port broadcaster "$BROADCASTER" 60 "$WORK/broadcaster.log"
await_port "nats-server websocket" "$NATS_WS" 20 "$WORK/nats.log"
await_port socket.io "$SOCKETIO" 30 "$WORK/socketio.log"
echo "servers:      gateway :$GATEWAY (redis :$REDIS_GW), broadcaster :$BROADCASTER, socket.io :$SOCKETIO, nats ws :$NATS_WS, redis :$REDIS_BASE"

versions="redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'), nats-server $(nats-server --version | sed 's/^nats-server: v\{0,1\}//'), node $(node --version), socket.io $(node -p "require('./bench/node/node_modules/socket.io/package.json').version"), @socket.io/redis-adapter $(node -p "require('./bench/node/node_modules/@socket.io/redis-adapter/package.json').version"), $(java -version 2>&1 | head -1)"
if [ $quick -eq 1 ]; then limit=600; else limit=1800; fi
[ -n "$baseline" ] && limit=$((limit + 900))

# The load generator reads every message of every system through Vert.x buffers, byte by byte,
# to find the send time in it: Netty's per-read reference-count and bounds checks were a large
# part of its CPU, and it is the limit of the fastest systems. Turned off for all of them alike.
LOADGEN_OPTS=(-Xmx2g -XX:+UseParallelGC -Dio.netty.buffer.checkAccessible=false -Dio.netty.buffer.checkBounds=false)
echo "load:         bench/target/bench.jar ${args[*]:-} (stops by itself within $limit s)"
timeout -k 15 "$limit" "${loadgen_pin[@]}" java "${LOADGEN_OPTS[@]}" -jar bench/target/bench.jar "${args[@]}" \
  --port gateway="$GATEWAY" --pids gateway="$gateway_pid,$redis_gw_pid" \
  --port broadcaster="$BROADCASTER" --pids broadcaster="$broadcaster_pid" \
  --port socketio="$SOCKETIO" --pids socketio="$socketio_pid,$redis_base_pid" \
  --port nats="$NATS_WS" --pids nats="$nats_pid" \
  --port redis="$REDIS_BASE" --pids redis="$redis_base_pid" "${before_args[@]}" "${cluster_args[@]}" \
  --gateway-log "$WORK/gateway.log" --results "$RESULTS" --work "$WORK" --replay "$REPLAY" \
  --budget-seconds $((limit - 60)) \
  --info "how they ran=$how" --info "versions=$versions" \
  --info "server JVMs=java ${JVM_OPTS[*]}; gateway also ${GATEWAY_OPTS[*]} (see bench/README.md)" \
  --info "load generator JVM=java ${LOADGEN_OPTS[*]}" &
loadgen_pid=$!; pids+=($loadgen_pid)
set +e
wait "$loadgen_pid"; rc=$?
set -e
[ $rc -eq 124 ] && die "the load generator did not finish within $limit s and was stopped"
[ $rc -eq 0 ] || die "the load generator failed ($rc)"
for p in "$gateway_pid" "$broadcaster_pid" "$nats_pid" "$socketio_pid"; do
  kill -0 "$p" 2>/dev/null || echo "note: server process $p ended during the run; see the logs in $WORK"
done
echo "results:      $RESULTS/summary.md, $RESULTS/latest.json, $RESULTS/chart.png"
