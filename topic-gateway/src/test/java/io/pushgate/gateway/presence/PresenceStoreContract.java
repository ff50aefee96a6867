package io.pushgate.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.gateway.store.StoreContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PresenceStore} guarantees, run on each implementation: entries per replica,
 * dirty marks taken once, heartbeats that say when a replica must publish again, the writer lease,
 * the reaping of a replica whose heartbeat expired, and a replica leaving.
 */
public abstract class PresenceStoreContract extends StoreContract {

    private static final Duration TTL = Duration.ofSeconds(30);

    private PresenceStore presence() {
        return stores.presence();
    }

    private static PresenceCounts counts(int n, String principal) {
        return PresenceCounts.of(n, Map.of(principal, n));
    }

    @Test
    void eachReplicasEntryIsReadBackAndMarksItsTopicDirtyOnce() {
        join(presence().publish("r1", "room", counts(2, "alice")));
        join(presence().publish("r2", "room", counts(1, "bob")));
        assertThat(join(presence().read("room"))).extracting(PresenceCounts::count).containsExactlyInAnyOrder(2, 1);
        assertThat(join(presence().takeDirty())).containsExactly("room");
        assertThat(join(presence().takeDirty())).isEmpty();
        join(presence().publish("r1", "room", PresenceCounts.EMPTY));
        assertThat(join(presence().read("room"))).extracting(PresenceCounts::count).containsExactly(1);
        assertThat(join(presence().takeDirty())).containsExactly("room");
    }

    @Test
    void aHeartbeatSaysWhenTheReplicaWasNotRegistered() {
        assertThat(join(presence().heartbeat("r1", TTL))).isTrue();
        assertThat(join(presence().heartbeat("r1", TTL))).isFalse();
    }

    @Test
    void theWriterLeaseIsHeldByOneReplicaUntilItLeaves() {
        assertThat(join(presence().claimWriter("r1", TTL))).isTrue();
        assertThat(join(presence().claimWriter("r2", TTL))).isFalse();
        assertThat(join(presence().claimWriter("r1", TTL))).isTrue();
        join(presence().leave("r1", List.of()));
        assertThat(join(presence().claimWriter("r2", TTL))).isTrue();
    }

    @Test
    void theEntriesOfAReplicaWhoseHeartbeatExpiredAreReapedByAnother() {
        join(presence().heartbeat("self", TTL));
        join(presence().heartbeat("dead", Duration.ofMillis(200)));
        join(presence().publish("dead", "a", counts(1, "x")));
        join(presence().publish("dead", "b", counts(1, "y")));
        join(presence().publish("self", "a", counts(3, "z")));
        assertThat(join(presence().reapDead("self"))).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> !join(presence().reapDead("self")).isEmpty());
        assertThat(join(presence().read("a"))).extracting(PresenceCounts::count).containsExactly(3);
        assertThat(join(presence().read("b"))).isEmpty();
        // reaped, it is no longer registered: its next heartbeat says it must publish again
        assertThat(join(presence().heartbeat("dead", TTL))).isTrue();
    }

    @Test
    void aReplicaThatLeavesTakesItsEntriesAndMarksTheirTopicsDirty() {
        join(presence().heartbeat("r1", TTL));
        join(presence().publish("r1", "a", counts(1, "x")));
        join(presence().publish("r2", "a", counts(1, "y")));
        join(presence().takeDirty());
        join(presence().leave("r1", List.of("a")));
        assertThat(join(presence().read("a"))).extracting(PresenceCounts::count).containsExactly(1);
        assertThat(join(presence().takeDirty())).containsExactly("a");
        assertThat(join(presence().heartbeat("r1", TTL))).isTrue();
    }
}
