package io.pushgate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisClusterTest {

    @Test
    void sixNodesMakeThreeMastersWithAReplicaEachAndAKilledMastersReplicaIsPromoted() {
        try (RedisCluster cluster = new RedisCluster().start()) {
            List<RedisCluster.Node> masters = cluster.masters();
            assertThat(masters).hasSize(3);
            for (RedisCluster.Node master : masters) {
                assertThat(cluster.replicaOf(master).master()).isFalse();
            }
            assertThat(cluster.hosts().split(",")).hasSize(6).allMatch(h -> h.startsWith("redis://127.0.0.1:"));
            // keys in three slots owned by three masters: each master refuses the others' with MOVED
            RedisCluster.Node first = masters.get(0);
            long moved = List.of("a", "b", "c", "d", "e", "f").stream()
                    .filter(k -> first.server().command("SET " + k + " 1").startsWith("-MOVED")).count();
            assertThat(moved).isGreaterThan(0);

            RedisCluster.Node replica = cluster.replicaOf(first);
            cluster.kill(first);
            Duration took = cluster.awaitPromoted(replica, Duration.ofSeconds(30));
            assertThat(cluster.masters()).hasSize(3).anyMatch(n -> n.id().equals(replica.id()));
            assertThat(took).isLessThan(Duration.ofSeconds(30));
        }
    }
}
