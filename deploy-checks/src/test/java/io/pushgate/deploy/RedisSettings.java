package io.pushgate.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where a service finds Redis, with Quarkus's standard settings: {@code quarkus.redis.client-type}
 * ({@code standalone} unless set; {@code cluster} for a Redis Cluster) and {@code quarkus.redis.hosts}
 * (comma-separated {@code redis://} or {@code rediss://} URLs: one Redis, or a cluster's nodes). The
 * services work together through Redis (the data-feeder's stream is the redis-bridge's input, whose
 * output is the backend-app's; the gateway's replicas share their topics there; the auth-service's
 * keys are the gateway's issuers'), so every service that uses Redis must use the same one, the same
 * way. On a cluster the gateway spreads its change messages over {@code gateway.redis.shards} shard
 * channels (sharded pub/sub), a number that must be the same on every replica and must not change
 * while data exists: each deployment pins it rather than leave it to the default (0, automatic).
 */
record RedisSettings(String clientType, List<String> hosts) {

    static final String CLIENT_TYPE = "QUARKUS_REDIS_CLIENT_TYPE";
    static final String HOSTS = "QUARKUS_REDIS_HOSTS";
    static final String SHARDS = "GATEWAY_REDIS_SHARDS";
    static final String WAIT_REPLICAS = "GATEWAY_REDIS_WAIT_REPLICAS";
    static final String WAIT_TIMEOUT = "GATEWAY_REDIS_WAIT_TIMEOUT";

    /**
     * A service's settings in this environment: each variable when set and not empty, else the
     * service's application.properties, else Quarkus's default (standalone).
     */
    static RedisSettings of(ServiceModule module, Map<String, String> environment) {
        String type = value(environment, CLIENT_TYPE, module, "quarkus.redis.client-type", "standalone").toLowerCase(java.util.Locale.ROOT);
        String hosts = value(environment, HOSTS, module, "quarkus.redis.hosts", "");
        return new RedisSettings(type, Stream.of(hosts.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList());
    }

    /** The gateway's shard count in this environment (unset: its default, 0, automatic). */
    static String shards(ServiceModule gateway, Map<String, String> environment) {
        return value(environment, SHARDS, gateway, "gateway.redis.shards", "0");
    }

    private static String value(Map<String, String> environment, String variable, ServiceModule module, String property, String otherwise) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            value = module == null ? otherwise : module.valueWhenUnset(property).orElse(otherwise);
        }
        return value.trim();
    }

    boolean cluster() {
        return "cluster".equals(clientType);
    }

    /** The hosts as a set: order does not matter to the client (any node leads it to the others). */
    Set<String> hostSet() {
        return new java.util.TreeSet<>(hosts);
    }

    @Override
    public String toString() {
        return CLIENT_TYPE + "=" + clientType + " " + HOSTS + "=" + String.join(",", hosts);
    }

    /**
     * What is wrong with the Redis settings of the services of one setup, by a description of where
     * each runs: a service on another Redis (or the same one another way) than the others; a client
     * type Quarkus does not have; a standalone client given several hosts (it would use one: the
     * others are nodes of a cluster it does not know of); hosts that are not Redis URLs, or listed twice.
     */
    static List<String> problems(Map<String, RedisSettings> settings) {
        List<String> problems = new ArrayList<>();
        settings.forEach((where, s) -> {
            if (!Set.of("standalone", "cluster", "sentinel", "replication").contains(s.clientType())) {
                problems.add(where + ": " + CLIENT_TYPE + " is " + s.clientType() + ", which Quarkus does not know (standalone or cluster)");
            }
            if (s.hosts().isEmpty()) {
                problems.add(where + ": no " + HOSTS + ", so it finds no Redis");
            }
            for (String host : s.hosts()) {
                // taken from a Secret (a URL with a password in it): not to be read here
                if (host.equals("(from elsewhere)")) {
                    continue;
                }
                if (!host.matches("^rediss?://[^\\s/,]+(?::\\d+)?(?:/\\d*)?$")) {
                    problems.add(where + ": " + HOSTS + " holds " + host + ", which is not a redis:// or rediss:// URL");
                }
            }
            if (new LinkedHashSet<>(s.hosts()).size() != s.hosts().size()) {
                problems.add(where + ": " + HOSTS + " lists a host twice: " + String.join(",", s.hosts()));
            }
            if ("standalone".equals(s.clientType()) && s.hosts().size() > 1) {
                problems.add(where + ": " + HOSTS + " lists " + s.hosts().size() + " hosts, but its client is standalone, which talks to"
                        + " one: on a Redis Cluster set " + CLIENT_TYPE + "=cluster");
            }
        });
        if (!settings.isEmpty()) {
            var first = settings.entrySet().iterator().next();
            settings.forEach((where, s) -> {
                if (!s.clientType().equals(first.getValue().clientType()) || !s.hostSet().equals(first.getValue().hostSet())) {
                    problems.add(where + " uses Redis as " + s + ", but " + first.getKey() + " as " + first.getValue()
                            + ": the services work together through one Redis (the feeder's stream is the bridge's input, the"
                            + " gateway's replicas share their topics there); give every service the same settings");
                }
            });
        }
        return problems;
    }

    /**
     * What is wrong with the gateways' shard counts, by a description of where each runs: a count
     * that is no number; gateways that disagree (their change messages would go to channels the
     * others do not listen on); and, on a cluster, a count left to the default rather than pinned.
     */
    static List<String> shardProblems(Map<String, String> shards, Map<String, String> explicitly, boolean cluster) {
        List<String> problems = new ArrayList<>();
        shards.forEach((where, value) -> {
            if (!value.matches("\\d+")) {
                problems.add(where + ": " + SHARDS + " is " + value + ", not a number of shard channels (0: automatic)");
            }
            if (cluster && (!explicitly.containsKey(where) || !value.matches("[1-9]\\d*"))) {
                problems.add(where + ": on a Redis Cluster, " + SHARDS + " is " + (explicitly.containsKey(where) ? value : "not set")
                        + "; pin it to a positive number (16 is what 0, automatic, picks on a cluster), the same on every gateway:"
                        + " it must not change while the cluster holds the gateway's data");
            }
        });
        Set<String> distinct = shards.values().stream().collect(Collectors.toCollection(java.util.TreeSet::new));
        if (distinct.size() > 1) {
            problems.add("the gateways disagree on " + SHARDS + " (" + shards + "): each publishes its changes on channels the others"
                    + " do not subscribe to; give them all the same");
        }
        return problems;
    }

    /** What is wrong with the gateway's wait-replicas settings in one environment. */
    static List<String> waitProblems(String where, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        String replicas = environment.get(WAIT_REPLICAS);
        if (replicas != null && !replicas.isBlank() && !replicas.trim().matches("\\d+")) {
            problems.add(where + ": " + WAIT_REPLICAS + " is " + replicas + ", not a number of replicas (0: off)");
        }
        String timeout = environment.get(WAIT_TIMEOUT);
        if (timeout != null && !timeout.isBlank() && Durations.parse(timeout).isEmpty()) {
            problems.add(where + ": " + WAIT_TIMEOUT + " is " + timeout + ", not a duration (100ms)");
        }
        return problems;
    }
}
