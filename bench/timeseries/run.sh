#!/usr/bin/env bash
# Time series figures through one gateway: appends per second, and the latency of
# `range fromLast 100` on a stream of 1,000,000 events. Writes bench/results/timeseries.json.
# Usage: bench/timeseries/run.sh [seconds of appending, default 15]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_APPEND="${1:-15}"
JAR=topic-gateway/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q -pl topic-gateway -am package -DskipTests
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(port); GW_PORT=$(port); WORK=$(mktemp -d)
cleanup() { kill "${GW:-}" "${REDIS:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 & REDIS=$!
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.1; done
java -Xmx1g -Dquarkus.http.port="$GW_PORT" -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" \
  -Dgateway.security.anonymous-roles=ADMINISTRATOR -Dgateway.limits.max-requests-per-second=1000000 \
  -Dgateway.limits.request-burst=1000000 -jar "$JAR" >"$WORK/gateway.log" 2>&1 & GW=$!
until curl -fs "http://127.0.0.1:$GW_PORT/q/health/ready" >/dev/null 2>&1; do sleep 0.2; done
SPEC='{"type":"TIME_SERIES","eventType":"JSON"}'
curl -fs -X PUT -H 'Content-Type: application/json' --data "$SPEC" "http://127.0.0.1:$GW_PORT/v1/topics/bench/chat?add=true" >/dev/null
curl -fs -X PUT -H 'Content-Type: application/json' --data "$SPEC" "http://127.0.0.1:$GW_PORT/v1/topics/bench/big?add=true" >/dev/null
echo "filling bench/big with 1,000,000 events..."
python3 - "$WORK/fill.resp" <<'PY'
import sys, time
now = int(time.time() * 1000)
def cmd(*args):
    out = ["*%d\r\n" % len(args)]
    for a in args:
        b = a.encode()
        out.append("$%d\r\n" % len(b)); out.append(a + "\r\n")
    return "".join(out)
key = "pushgate:ts:{bench/big}"
with open(sys.argv[1], "w") as f:
    for i in range(1, 1000001):
        f.write(cmd("XADD", key, "%d-0" % i, "t", str(now - (1000000 - i) * 10), "a", "bench", "v", '{"n":%d,"text":"a chat message of a realistic size"}' % i))
    f.write(cmd("HSET", "pushgate:topic:{bench/big}", "seq", "1000000", "value", '{"n":1000000}'))
PY
redis-cli -p "$REDIS_PORT" --pipe < "$WORK/fill.resp" | tail -1
echo "stream length: $(redis-cli -p "$REDIS_PORT" XLEN 'pushgate:ts:{bench/big}')"
RESULT=$(java bench/timeseries/TimeSeriesBench.java "ws://127.0.0.1:$GW_PORT/v1/ws" "$SECONDS_APPEND" bench/big)
mkdir -p bench/results
printf '{"when": "%s", "cpus": %s, "result": %s}\n' "$(date -u +%FT%TZ)" "$(nproc)" "$RESULT" | tee bench/results/timeseries.json
