package io.pushgate.gateway.wiring;

/**
 * The Redis the stores use, as Quarkus's Redis client is configured ({@code quarkus.redis.hosts},
 * {@code quarkus.redis.client-type}): read here once for every Redis adapter.
 *
 * @param hosts      the comma-separated {@code redis://} URLs
 * @param clientType {@code standalone} or {@code cluster}
 */
record RedisConnection(String hosts, String clientType) {

    /** True on a Redis Cluster. */
    boolean cluster() {
        return "cluster".equalsIgnoreCase(clientType.trim());
    }

    /** The first of the hosts: where the adapters open their own (pub/sub) connections. */
    String firstUri() {
        return hosts.split(",")[0].trim();
    }
}
