package io.pushgate.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalPresenceTest {

    /** A session: its principal may change (it authenticates after subscribing). */
    static final class FakeSession {
        String principal;

        FakeSession(String principal) {
            this.principal = principal;
        }
    }

    private final LocalPresence<FakeSession> presence = new LocalPresence<>(s -> s.principal);

    @Test
    void countsSessionsNamesPrincipalsAndCountsAnonymousOnes() {
        FakeSession alice1 = new FakeSession("alice");
        FakeSession alice2 = new FakeSession("alice");
        FakeSession anonymous = new FakeSession(null);
        presence.subscribed("chat/lobby", alice1);
        presence.subscribed("chat/lobby", alice2);
        presence.subscribed("chat/lobby", anonymous);
        presence.subscribed("chat/random", alice1);
        assertThat(presence.counts("chat/lobby")).isEqualTo(PresenceCounts.of(3, Map.of("alice", 2)));
        assertThat(presence.counts("chat/random")).isEqualTo(PresenceCounts.of(1, Map.of("alice", 1)));
        assertThat(presence.counts("chat/none")).isEqualTo(PresenceCounts.EMPTY);

        presence.unsubscribed("chat/lobby", alice1);
        presence.unsubscribed("chat/lobby", anonymous);
        assertThat(presence.counts("chat/lobby")).isEqualTo(PresenceCounts.of(1, Map.of("alice", 1)));
        presence.unsubscribed("chat/lobby", alice2);
        assertThat(presence.paths()).containsExactly("chat/random");
    }

    @Test
    void aSessionCountsOnceWhileAReplacedTopicHoldsTwoOfItsSubscriptions() {
        FakeSession bob = new FakeSession("bob");
        presence.subscribed("t", bob);
        presence.subscribed("t", bob); // the topic added again before the old subscription's end arrived
        assertThat(presence.counts("t").count()).isEqualTo(1);
        presence.unsubscribed("t", bob);
        assertThat(presence.counts("t").count()).isEqualTo(1);
        presence.unsubscribed("t", bob);
        assertThat(presence.counts("t")).isEqualTo(PresenceCounts.EMPTY);
        presence.unsubscribed("t", bob); // an end without a beginning changes nothing
        assertThat(presence.paths()).isEmpty();
    }

    @Test
    void aPrincipalLearnedAfterSubscribingCountsFromTheNextComputation() {
        FakeSession later = new FakeSession(null);
        presence.subscribed("t", later);
        assertThat(presence.counts("t")).isEqualTo(PresenceCounts.of(1, new HashMap<>()));
        later.principal = "carol";
        assertThat(presence.counts("t")).isEqualTo(PresenceCounts.of(1, Map.of("carol", 1)));
    }
}
