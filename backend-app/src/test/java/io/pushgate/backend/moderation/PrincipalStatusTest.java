package io.pushgate.backend.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrincipalStatusTest {

    private static final Instant NOW = Instant.parse("2026-11-22T20:00:00Z");

    @Test
    void theTopicOfAPrincipalIsAValidPathWhateverItsName() {
        assertThat(PrincipalStatus.topic("moderation/status", "bob")).isEqualTo("moderation/status/bob");
        assertThat(PrincipalStatus.topic("moderation/status", "bob@example.com")).isEqualTo("moderation/status/bob_40example.com");
        assertThat(PrincipalStatus.topic("moderation/status", "a_b")).isEqualTo("moderation/status/a_5fb");
        assertThat(PrincipalStatus.topic("moderation/status", "zoë")).isEqualTo("moderation/status/zo_c3_ab");
        for (String name : List.of("bob", "bob@example.com", "a_b", "zoë", "x y/z")) {
            String topic = PrincipalStatus.topic("moderation/status", name);
            assertThat(TopicPath.validate(topic)).isEqualTo(topic);
        }
    }

    @Test
    void aRevocationIsAddedToAndRemovedFromTheStatus() {
        var revocation = new PrincipalStatus.Revocation("r1", NOW, 3, Duration.ofMinutes(10), List.of("SELECT_TOPIC", "READ_TOPIC"), null,
                null, null);
        JsonNode status = PrincipalStatus.with(null, "bob", "chat/lobby", revocation, NOW);
        status = PrincipalStatus.with(status, "bob", "chat/random", revocation, NOW);
        assertThat(Json.write(status.path("revoked").path("chat/lobby"))).isEqualTo("{\"id\":\"r1\",\"since\":\"2026-11-22T20:00:00Z\","
                + "\"strikes\":3,\"window\":\"PT10M\",\"permissions\":[\"SELECT_TOPIC\",\"READ_TOPIC\"],\"previous\":null,\"inbox\":null,"
                + "\"previousInbox\":null}");
        assertThat(PrincipalStatus.revocation(status, "chat/lobby")).hasValue(revocation);

        JsonNode after = PrincipalStatus.without(status, "bob", "chat/lobby", NOW);
        assertThat(PrincipalStatus.revocation(after, "chat/lobby")).isEmpty();
        assertThat(PrincipalStatus.revocation(after, "chat/random")).isPresent();
        assertThat(after.path("principal").asText()).isEqualTo("bob");
    }
}
