#!/bin/sh
# Makes a Redis Cluster of the redis-server nodes given as host:port (each started with
# --cluster-enabled yes), with one replica per master by default: six nodes make three masters
# with a replica each. The one definition of how Pushgate's cluster is created: compose.cluster.yaml
# runs it in its one-shot container, `run.sh --cluster` on this machine (deploy/README.md).
#
#   deploy/create-redis-cluster.sh 127.0.0.1:7000 127.0.0.1:7001 ... 127.0.0.1:7005
#
# It waits until every node answers, creates the cluster with
# `redis-cli --cluster create ... --cluster-replicas 1 --cluster-yes` when the nodes are new (each
# knows only itself and serves no slot), and leaves it alone when they already form one (nodes that
# restarted with their nodes.conf), so that running it again changes nothing. Then it waits until
# every node reports cluster_state:ok and knows all the others, and prints one line. Nodes in any
# other state (some in a cluster, some not; another cluster) end it with a message: it never
# reshapes a cluster that holds data.
#
# A node's host must be an IP address: CLUSTER MEET, which `--cluster create` sends, takes no names.
# Environment: REDIS_CLUSTER_REPLICAS (1), REDIS_CLUSTER_TIMEOUT (seconds per wait, 60), and
# REDISCLI_AUTH, which redis-cli reads itself, where the nodes have a password.
# POSIX sh (the redis image's busybox sh, dash, bash).
set -eu

replicas="${REDIS_CLUSTER_REPLICAS:-1}"
timeout="${REDIS_CLUSTER_TIMEOUT:-60}"

fail() { echo "create-redis-cluster: $*" >&2; exit 1; }
[ $# -ge 3 ] || fail "usage: $0 host:port host:port host:port ... (at least three nodes: a cluster needs three masters)"
count=$#
[ $((count % (replicas + 1))) -eq 0 ] && [ $((count / (replicas + 1))) -ge 3 ] \
  || fail "$count nodes cannot make at least three masters with $replicas replica(s) each"

# redis-cli against one node, its reply without the \r of RESP
cli() { node=$1; shift; redis-cli -h "${node%:*}" -p "${node##*:}" "$@" 2>&1 | tr -d '\r'; }
# one field of a node's CLUSTER INFO, empty when it does not answer
field() { cli "$1" cluster info | sed -n "s/^$2://p"; }

deadline=$(( $(date +%s) + timeout ))
for node in "$@"; do
  until [ "$(cli "$node" ping)" = PONG ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$node does not answer PING within ${timeout} s: $(cli "$node" ping)"
    sleep 1
  done
  case "$(cli "$node" cluster info)" in
    *cluster_state:*) ;;
    *) fail "$node is not a cluster node (start redis-server with --cluster-enabled yes): $(cli "$node" cluster info)" ;;
  esac
done

new=0
joined=0
for node in "$@"; do
  known=$(field "$node" cluster_known_nodes)
  assigned=$(field "$node" cluster_slots_assigned)
  if [ "$known" = 1 ] && [ "$assigned" = 0 ]; then
    new=$((new + 1))
  elif [ "$known" = "$count" ]; then
    joined=$((joined + 1))
  fi
done

if [ "$new" -eq "$count" ]; then
  echo "create-redis-cluster: creating a cluster of $count nodes ($((count / (replicas + 1))) masters, $replicas replica(s) each)"
  redis-cli --cluster create "$@" --cluster-replicas "$replicas" --cluster-yes \
    || fail "redis-cli --cluster create failed (its output is above)"
elif [ "$joined" -eq "$count" ]; then
  echo "create-redis-cluster: the $count nodes already form a cluster; nothing to create"
else
  for node in "$@"; do
    echo "$node: cluster_known_nodes:$(field "$node" cluster_known_nodes) cluster_slots_assigned:$(field "$node" cluster_slots_assigned)" >&2
  done
  fail "the nodes are neither new nor one cluster of these $count (above); to start over, stop them and delete their data (nodes.conf and the append-only files)"
fi

deadline=$(( $(date +%s) + timeout ))
for node in "$@"; do
  until [ "$(field "$node" cluster_state)" = ok ] && [ "$(field "$node" cluster_known_nodes)" = "$count" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$node did not report cluster_state:ok with $count known nodes within ${timeout} s: $(cli "$node" cluster info | tr '\n' ' ')"
    sleep 1
  done
done
echo "create-redis-cluster: cluster_state:ok on all $count nodes ($*)"
