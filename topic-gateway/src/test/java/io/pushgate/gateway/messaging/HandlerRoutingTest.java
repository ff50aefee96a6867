package io.pushgate.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Which registration and which replica answer a request. */
class HandlerRoutingTest {

    private final RandomGenerator random = RandomGenerator.of("L64X128MixRandom");

    @Test
    void thePathAndItsAncestorsMostSpecificFirst() {
        assertThat(HandlerRouting.pathAndAncestors("a/b/c")).containsExactly("a/b/c", "a/b", "a");
        assertThat(HandlerRouting.pathAndAncestors("a")).containsExactly("a");
    }

    @Test
    void theMostSpecificRegistrationWinsWhereverItIs() {
        Map<String, Set<String>> registry = Map.of("a", Set.of("self"), "a/b", Set.of("other"));
        assertThat(HandlerRouting.choose("a/b/c", registry, "self", random)).contains(new HandlerRouting.Choice("a/b", "other"));
        assertThat(HandlerRouting.choose("a/x", registry, "self", random)).contains(new HandlerRouting.Choice("a", "self"));
        assertThat(HandlerRouting.choose("b", registry, "self", random)).isEmpty();
        assertThat(HandlerRouting.choose("a/b", Map.of("a/b", Set.of()), "self", random)).as("an empty set is no handler").isEmpty();
    }

    @Test
    void thisReplicaIsPreferredAmongThoseOfTheRegistration() {
        Map<String, Set<String>> registry = Map.of("p", Set.of("r1", "self", "r2"));
        for (int i = 0; i < 50; i++) {
            assertThat(HandlerRouting.choose("p", registry, "self", random)).contains(new HandlerRouting.Choice("p", "self"));
        }
    }

    @Test
    void otherwiseEveryReplicaOfTheRegistrationGetsAShare() {
        Map<String, Set<String>> registry = new HashMap<>(Map.of("p", Set.of("r1", "r2", "r3")));
        Map<String, Integer> chosen = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            String replica = HandlerRouting.choose("p/q", registry, "self", random).orElseThrow().replica();
            chosen.merge(replica, 1, Integer::sum);
        }
        assertThat(chosen.keySet()).containsExactlyInAnyOrder("r1", "r2", "r3");
        assertThat(chosen.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    }
}
