#!/usr/bin/env bash
# The Pushgate soak run (issue 10): starts the pipeline (Redis, auth-service, gateway, redis-bridge,
# backend-app, data-feeder on a local price API) as real processes, puts a mixed load on it
# (subscribers, writers, chat appends, views, SSE, session churn) for N minutes, and writes a report of
# each service's heap, file descriptors and threads at the start and the end to soak/results/
# (soak-<UTC time>.md and .json). Not run in CI. See docs/reliability.md.
#
#   ./soak/run.sh [--minutes N] [--no-build]
#
#   --minutes N   how long the load runs (default 10; fractions allowed, at least 1)
#   --no-build    use the service jars and libraries already built (./mvnw -DskipTests install)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

die() { echo "soak/run.sh: $*" >&2; exit 1; }
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }

minutes=10; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) [ $# -ge 2 ] || die "--minutes needs a value"; minutes="$2"; shift ;;
    --minutes=*) minutes="${1#--minutes=}" ;;
    --no-build) build=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
  shift
done
[[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--minutes takes a number, not '$minutes'"
awk "BEGIN { exit !($minutes >= 1 && $minutes <= 24 * 60) }" || die "--minutes must be between 1 and 1440"

for tool in java jcmd redis-server; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not on the PATH (Debian: apt-get install -y openjdk-17-jdk redis-server)"
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p "$ROOT/soak/results"

# Bounded: the run itself, plus start-up, plus the build when there is one.
limit=$(awk "BEGIN { print int($minutes * 60 + 600) }")
common=(-B -Dit.test=SoakRun -Dfailsafe.failIfNoSpecifiedTests=false -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false
        "-Dsoak.minutes=$minutes" "-Dsoak.results=$ROOT/soak/results")
if [ "$build" -eq 1 ]; then
  cmd=(./mvnw "${common[@]}" -pl reliability-tests -am verify)
else
  cmd=(./mvnw "${common[@]}" -o -pl reliability-tests verify)
fi
echo "soak: $minutes minutes; results in soak/results/"
status=0
timeout --signal=TERM --kill-after=60 "$limit" "${cmd[@]}" || status=$?
report=$(ls -t "$ROOT"/soak/results/soak-*.md 2>/dev/null | head -1 || true)
if [ -n "$report" ]; then
  echo; cat "$report"
fi
[ "$status" -eq 0 ] || die "the soak run failed (exit $status); the test's output is in reliability-tests/target/failsafe-reports/, the services' logs in reliability-tests/target/reliability-logs/SoakRun/"
