#!/usr/bin/env bash
# Starts Pushgate on this machine without Docker: Redis (if none answers), then every service,
# each awaited on its readiness; seeds the demo roles, chat rooms and the USD price view; prints
# the web app's URL and the demo credentials. Ctrl-C stops everything it started.
#   ./run.sh            one Redis on 127.0.0.1:6379 (REDIS_PORT), started unless one answers there
#   ./run.sh --cluster  a Redis Cluster instead: six redis-server nodes on 127.0.0.1:7000-7005
#                       (REDIS_CLUSTER_PORT is the first), three masters with a replica each, their
#                       data in .run/redis-cluster (REDIS_CLUSTER_DIR), made by
#                       deploy/create-redis-cluster.sh; every service is pointed at it
set -euo pipefail
cd "$(dirname "$0")"

CLUSTER=false
for arg in "$@"; do
  case "$arg" in
    --cluster) CLUSTER=true ;;
    *) echo "run.sh: unknown argument $arg (usage: ./run.sh [--cluster])" >&2; exit 2 ;;
  esac
done

REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_CLUSTER_PORT="${REDIS_CLUSTER_PORT:-7000}"
REDIS_CLUSTER_DIR="${REDIS_CLUSTER_DIR:-.run/redis-cluster}"
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
AUTH_PORT="${AUTH_PORT:-8081}"
BRIDGE_PORT="${BRIDGE_PORT:-8082}"
FEEDER_PORT="${FEEDER_PORT:-8083}"
BACKEND_PORT="${BACKEND_PORT:-8084}"
WEB_PORT="${WEB_PORT:-8085}"
ADMIN_PASSWORD="${AUTH_ADMIN_PASSWORD:-admin-demo-password}"
BACKEND_SECRET="${BACKEND_APP_SECRET:-backend-app-demo-secret}"
LOGS="${LOGS:-.run/logs}"
mkdir -p "$LOGS"

die() { echo "run.sh: $*" >&2; exit 1; }
command -v java >/dev/null 2>&1 || die "no java on the PATH: install a JDK 17 or newer (apt-get install -y openjdk-17-jdk)"
command -v curl >/dev/null 2>&1 || die "no curl on the PATH (apt-get install -y curl)"

pids=()
# --cluster's nodes: stopped after the services, and one of them ending stops nothing (a cluster
# outlives a node: its replica takes over)
cluster_pids=()
cleanup() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "stopping ${#pids[@]} processes..."
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  if [ ${#cluster_pids[@]} -gt 0 ]; then
    echo "stopping the ${#cluster_pids[@]} Redis Cluster nodes..."
    kill "${cluster_pids[@]}" 2>/dev/null || true
    wait "${cluster_pids[@]}" 2>/dev/null || true
  fi
}
trap cleanup INT TERM EXIT

redis_answers() { (exec 3<>"/dev/tcp/127.0.0.1/${1:-$REDIS_PORT}" && printf 'PING\r\n' >&3 && read -r -t 2 reply <&3 && [[ "$reply" == *PONG* ]]) 2>/dev/null; }

cluster_nodes=()
cluster_uris=()
for i in 0 1 2 3 4 5; do
  cluster_nodes+=("127.0.0.1:$((REDIS_CLUSTER_PORT + i))")
  cluster_uris+=("redis://127.0.0.1:$((REDIS_CLUSTER_PORT + i))")
done
cluster_range="127.0.0.1:$REDIS_CLUSTER_PORT-$((REDIS_CLUSTER_PORT + 5))"

if [ "$CLUSTER" = true ]; then
  command -v redis-cli >/dev/null 2>&1 || die "--cluster needs redis-cli (apt-get install -y redis-server)"
  answering=0
  for node in "${cluster_nodes[@]}"; do redis_answers "${node##*:}" && answering=$((answering + 1)); done
  if [ "$answering" -eq 6 ]; then
    echo "redis:        using the Redis nodes on $cluster_range"
  elif [ "$answering" -gt 0 ]; then
    die "$answering of the six ports $cluster_range answer already: stop what listens there, or set REDIS_CLUSTER_PORT to the first of six free ports"
  else
    command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed (apt-get install -y redis-server)"
    for node in "${cluster_nodes[@]}"; do
      port="${node##*:}"
      mkdir -p "$REDIS_CLUSTER_DIR/$port"
      # its cluster configuration (nodes.conf) and append-only file in its own directory, kept
      # across runs: started again, the nodes are the same cluster with the same data
      redis-server --port "$port" --bind 127.0.0.1 --dir "$REDIS_CLUSTER_DIR/$port" --cluster-enabled yes \
        --cluster-config-file nodes.conf --cluster-node-timeout 5000 --appendonly yes --save '' >"$LOGS/redis-$port.log" 2>&1 &
      cluster_pids+=($!)
    done
  fi
  # creates the cluster if the nodes are new, then waits for cluster_state:ok on every node
  REDIS_CLUSTER_REPLICAS=1 sh deploy/create-redis-cluster.sh "${cluster_nodes[@]}" >"$LOGS/redis-cluster.log" 2>&1 \
    || die "the Redis Cluster did not come up; see $LOGS/redis-cluster.log and $LOGS/redis-<port>.log (to start it over: stop run.sh and delete $REDIS_CLUSTER_DIR)"
  echo "redis:        a Redis Cluster on $cluster_range, three masters with a replica each (data in $REDIS_CLUSTER_DIR)"
elif redis_answers; then
  echo "redis:        using the Redis on 127.0.0.1:$REDIS_PORT"
else
  command -v redis-server >/dev/null 2>&1 || die "no Redis answers on $REDIS_PORT and redis-server is not installed (apt-get install -y redis-server)"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$LOGS/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do redis_answers && break; sleep 0.1; done
  redis_answers || die "redis-server did not start; see $LOGS/redis.log"
  echo "redis:        started on 127.0.0.1:$REDIS_PORT"
fi

modules=()
for m in topic-gateway auth-service redis-bridge data-feeder backend-app client-web; do
  [ -f "$m/pom.xml" ] && modules+=("$m")
done
missing=()
for m in "${modules[@]}"; do [ -f "$m/target/quarkus-app/quarkus-run.jar" ] || missing+=("$m"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "building:     ${missing[*]} (first run only; a few minutes)"
  ./mvnw -B -q package -DskipTests -pl "$(IFS=,; echo "${missing[*]}")" -am >"$LOGS/build.log" 2>&1 || die "the build failed; see $LOGS/build.log"
fi

REDIS_URI="redis://127.0.0.1:$REDIS_PORT"
# what every service is given to find Redis: Quarkus's standard settings
redis_options=(-Dquarkus.redis.hosts="$REDIS_URI")
gateway_options=()
if [ "$CLUSTER" = true ]; then
  redis_options=(-Dquarkus.redis.client-type=cluster -Dquarkus.redis.hosts="$(IFS=,; echo "${cluster_uris[*]}")")
  # sharded pub/sub over 16 channels (what 0, the default, picks on a cluster), pinned: it must not
  # change while the cluster holds the gateway's data. GATEWAY_REDIS_WAIT_REPLICAS=1 in the
  # environment makes the gateway acknowledge a write only once a replica has it.
  gateway_options=(-Dgateway.redis.shards=16)
fi
AUTH_URL="http://localhost:$AUTH_PORT"
GATEWAY_URL="http://localhost:$GATEWAY_PORT"
has() { [ -f "$1/pom.xml" ]; }
start() { # module port java-options...
  local name=$1 port=$2; shift 2
  java -Xmx384m -Dquarkus.http.port="$port" "${redis_options[@]}" "$@" \
    -jar "$name/target/quarkus-app/quarkus-run.jar" >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
}
await_ready() { # module port
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$2/q/health/ready" >/dev/null 2>&1 && { printf '%-13s ready on http://localhost:%s\n' "$1:" "$2"; return; }
    sleep 0.5
  done
  die "$1 was not ready within 60 s; see $LOGS/$1.log"
}

# The auth-service's issuer is the URL the gateway trusts: both say http://localhost:$AUTH_PORT.
start auth-service "$AUTH_PORT" -Dauth.issuer="$AUTH_URL" -Dauth.admin-password="$ADMIN_PASSWORD" \
  -Dauth.demo-principals=true -Dauth.clients.backend-app.secret="$BACKEND_SECRET" \
  -Dauth.clients.backend-app.roles=TOPIC_CONTROL,MODERATOR -Dquarkus.http.cors.enabled=true -Dquarkus.http.cors.origins='/.*/'
start topic-gateway "$GATEWAY_PORT" -Dgateway.security.issuers="$AUTH_URL" -Dgateway.security.anonymous-roles=ANONYMOUS \
  -Dquarkus.http.cors.enabled=true -Dquarkus.http.cors.origins='/.*/' ${gateway_options[@]+"${gateway_options[@]}"}
# The bridge and the feeder trust the auth-service's tokens too: publishing through the bridge's
# passthrough, and starting or stopping the feed, need TOPIC_CONTROL or ADMINISTRATOR (carol, admin).
# The feeder publishes to Redis itself, so it needs no token of its own.
has redis-bridge && start redis-bridge "$BRIDGE_PORT" -Dbridge.forward.streams=prices.btc.stream -Dbridge.forward.group-start-id=0 \
  -Dbridge.security.issuers="$AUTH_URL" -Dquarkus.http.cors.enabled=true -Dquarkus.http.cors.origins='/.*/'
has data-feeder && start data-feeder "$FEEDER_PORT" -Dfeeder.source="${FEEDER_SOURCE:-auto}" -Dfeeder.security.issuers="$AUTH_URL" \
  -Dquarkus.http.cors.enabled=true -Dquarkus.http.cors.origins='/.*/'
await_ready auth-service "$AUTH_PORT"
await_ready gateway "$GATEWAY_PORT"
has redis-bridge && await_ready redis-bridge "$BRIDGE_PORT"
has data-feeder && await_ready data-feeder "$FEEDER_PORT"

# Demo security and topics, as the built-in admin: deploy/seed-demo.sh, the one definition of the demo,
# which Compose and Kubernetes users run themselves (deploy/README.md).
demo=$(GATEWAY_URL="$GATEWAY_URL" AUTH_URL="$AUTH_URL" AUTH_ADMIN_PASSWORD="$ADMIN_PASSWORD" bash deploy/seed-demo.sh --summary-only) \
  || die "the demo setup (deploy/seed-demo.sh) failed; see $LOGS/auth-service.log and $LOGS/topic-gateway.log"
echo "demo:         $demo"

if has backend-app; then
  start backend-app "$BACKEND_PORT" -Dbackend.gateway-url="$GATEWAY_URL" -Dbackend.auth-url="$AUTH_URL" \
    -Dbackend.client-id=backend-app -Dbackend.client-secret="$BACKEND_SECRET"
  await_ready backend-app "$BACKEND_PORT"
fi
if has client-web; then
  start client-web "$WEB_PORT" -Dweb.gateway-url="$GATEWAY_URL" -Dweb.auth-url="$AUTH_URL" \
    -Dweb.bridge-url="http://localhost:$BRIDGE_PORT" -Dweb.feeder-url="http://localhost:$FEEDER_PORT"
  await_ready client-web "$WEB_PORT"
fi

echo
if has client-web; then
  echo "Pushgate is running. Open the web app: http://localhost:$WEB_PORT"
else
  echo "Pushgate is running."
fi
echo "  gateway      $GATEWAY_URL  (ws://localhost:$GATEWAY_PORT/v1/ws, /v1/sse, /v1/topics)"
echo "  auth-service $AUTH_URL"
echo "  demo users   alice / alice-password, bob / bob-password (CLIENT), carol / carol-password (TOPIC_CONTROL: may start and stop the feed)"
echo "  admin        admin / $ADMIN_PASSWORD (ADMINISTRATOR)"
if [ "$CLUSTER" = true ]; then echo "  redis        a Redis Cluster on $cluster_range (redis-cli -c -p $REDIS_CLUSTER_PORT)"; fi
echo "Logs in $LOGS. Ctrl-C stops everything."
wait -n "${pids[@]}" || true
echo "a process ended; stopping the rest"
