package io.pushgate.backend.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionOverridesTest {

    private static final List<String> KEEP = List.of("SELECT_TOPIC", "READ_TOPIC");

    @Test
    void addsTheRoomToNoOverrides() {
        assertThat(Json.write(PermissionOverrides.revoke(Json.parse("{}"), "chat/lobby", KEEP)))
                .isEqualTo("{\"pathPermissions\":{\"chat/lobby\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}}");
        assertThat(Json.write(PermissionOverrides.revoke(null, "chat/lobby", KEEP)))
                .isEqualTo("{\"pathPermissions\":{\"chat/lobby\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}}");
    }

    @Test
    void keepsTheOtherOverridesAndDropsOtherFields() {
        String current = "{\"principal\":\"alice\",\"pathPermissions\":{\"chat/games\":[\"SELECT_TOPIC\"],\"secret\":[]}}";
        assertThat(Json.write(PermissionOverrides.revoke(Json.parse(current), "chat/lobby", KEEP))).isEqualTo(
                "{\"pathPermissions\":{\"chat/games\":[\"SELECT_TOPIC\"],\"secret\":[],\"chat/lobby\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}}");
    }

    @Test
    void neverGrantsWhatTheRoomsOverrideDidNotAllow() {
        String current = "{\"pathPermissions\":{\"chat/lobby\":[\"SELECT_TOPIC\",\"UPDATE_TOPIC\"]}}";
        assertThat(Json.write(PermissionOverrides.revoke(Json.parse(current), "chat/lobby", KEEP)))
                .isEqualTo("{\"pathPermissions\":{\"chat/lobby\":[\"SELECT_TOPIC\"]}}");
    }

    @Test
    void aGrantAddsToWhatAnOverrideThereAllowed() {
        String current = "{\"pathPermissions\":{\"moderation/status/bob\":[\"SELECT_TOPIC\"]}}";
        assertThat(Json.write(PermissionOverrides.grant(Json.parse(current), "moderation/status/bob", KEEP)))
                .isEqualTo("{\"pathPermissions\":{\"moderation/status/bob\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}}");
        assertThat(Json.write(PermissionOverrides.grant(null, "moderation/status/bob", KEEP)))
                .isEqualTo("{\"pathPermissions\":{\"moderation/status/bob\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}}");
    }

    @Test
    void aRestorePutsBackWhatThePathHadOrNothing() {
        String current = "{\"pathPermissions\":{\"chat/lobby\":[\"SELECT_TOPIC\"],\"chat/games\":[]}}";
        assertThat(Json.write(PermissionOverrides.restore(Json.parse(current), "chat/lobby", null)))
                .isEqualTo("{\"pathPermissions\":{\"chat/games\":[]}}");
        assertThat(Json.write(PermissionOverrides.restore(Json.parse(current), "chat/lobby", Json.parse("[\"SELECT_TOPIC\",\"UPDATE_TOPIC\"]"))))
                .isEqualTo("{\"pathPermissions\":{\"chat/games\":[],\"chat/lobby\":[\"SELECT_TOPIC\",\"UPDATE_TOPIC\"]}}");
        assertThat(PermissionOverrides.at(Json.parse(current), "chat/games").toString()).isEqualTo("[]");
        assertThat(PermissionOverrides.at(Json.parse(current), "chat/random")).isNull();
    }
}
