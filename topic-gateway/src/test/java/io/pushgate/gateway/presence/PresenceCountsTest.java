package io.pushgate.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.gateway.topics.PresencePaths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceCountsTest {

    @Test
    void theSumOfReplicasAddsSessionsAndPrincipals() {
        PresenceCounts a = PresenceCounts.of(3, Map.of("alice", 1, "bob", 1));
        PresenceCounts b = PresenceCounts.of(2, Map.of("alice", 1));
        PresenceCounts total = PresenceCounts.sum(List.of(a, b, PresenceCounts.EMPTY));
        assertThat(total.count()).isEqualTo(5);
        assertThat(total.principals()).containsExactly(Map.entry("alice", 2), Map.entry("bob", 1));
        assertThat(total.anonymous()).isEqualTo(2);
        assertThat(PresenceCounts.sum(List.of())).isEqualTo(PresenceCounts.EMPTY);
    }

    @Test
    void itsJsonIsCanonicalAndReadsBack() {
        PresenceCounts counts = PresenceCounts.of(3, Map.of("zoe", 1, "alice", 2));
        assertThat(counts.toJson()).isEqualTo("{\"count\":3,\"principals\":{\"alice\":2,\"zoe\":1}}");
        assertThat(PresenceCounts.parse(counts.toJson())).isEqualTo(counts);
        assertThat(PresenceCounts.EMPTY.toJson()).isEqualTo("{\"count\":0,\"principals\":{}}");
        assertThat(PresenceCounts.of(1, Map.of("gone", 0)).principals()).isEmpty();
    }

    @Test
    void countsThatDoNotAddUpAreRefused() {
        assertThatThrownBy(() -> PresenceCounts.of(1, Map.of("alice", 2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PresenceCounts.of(1, Map.of("alice", -1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PresenceCounts.parse("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PresenceCounts.parse("not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void presencePathsMapToTheirSources() {
        assertThat(PresencePaths.presenceOf("chat/lobby")).isEqualTo("$presence/chat/lobby");
        assertThat(PresencePaths.sourceOf("$presence/chat/lobby")).isEqualTo("chat/lobby");
        assertThat(PresencePaths.sourceOf("$presence/")).isNull();
        assertThat(PresencePaths.sourceOf("chat/lobby")).isNull();
        assertThat(PresencePaths.isPresence("$presencex/a")).isFalse();
    }
}
