package io.pushgate.backend.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.backend.gateway.MemoryGateway;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.support.MutableClock;
import io.pushgate.backend.write.WriteOp;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The moderator's writes against a gateway in memory: the edit every reader sees, the log, the revocation and its status, the restore. */
class ModerationOpsTest {

    private static final String LOG_TOPIC = "moderation/log";
    private final MemoryGateway gateway = new MemoryGateway();
    private static final ModerationSettings SETTINGS = new ModerationSettings(LOG_TOPIC, "moderation/status", "moderation/requests", "inbox",
            100, 1000, List.of("SELECT_TOPIC", "READ_TOPIC"), Duration.ofMinutes(10));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T20:00:00Z"));
    private final ModerationLog log = new ModerationLog(clock);
    private final List<WriteOp> submitted = new ArrayList<>();
    private final List<String> done = new ArrayList<>();
    private long seq;

    @BeforeEach
    void rooms() {
        gateway.add("chat/lobby", Json.parse("{\"type\":\"TIME_SERIES\",\"eventType\":\"JSON\"}"));
        gateway.add(LOG_TOPIC, ModerationLog.spec("limit 10000"));
        seq = gateway.post("chat/lobby", "alice", Json.parse("{\"text\":\"darn it\",\"user\":\"alice\"}"));
    }

    private Verdict verdict(int strikes, boolean revoke) {
        ChatEvent event = new ChatEvent("chat/lobby", seq, "alice", Json.parse("{\"text\":\"darn it\",\"user\":\"alice\"}"), null);
        return new Verdict(event, Json.parse("{\"text\":\"**** it\",\"user\":\"alice\"}"), List.of("darn"), strikes, revoke);
    }

    private void runToEnd(WriteOp op) {
        while (true) {
            try {
                op.run(gateway);
                op.done();
                return;
            } catch (GatewayException e) {
                if (op.givesUpOn(e)) {
                    op.failed(e);
                    return;
                }
            }
        }
    }

    @Test
    void aBleepEditsTheEventAndLogsTheBleepAndTheStrike() {
        runToEnd(ModerationOps.bleep(verdict(2, false), LOG_TOPIC, log, v -> done.add("bleep")));

        assertThat(gateway.lastEvents("chat/lobby", 10)).singleElement()
                .satisfies(e -> assertThat(e.value().path("text").asText()).isEqualTo("**** it"));
        List<JsonNode> entries = gateway.eventValues(LOG_TOPIC);
        assertThat(entries).extracting(e -> e.path("action").asText()).containsExactly("bleep", "strike");
        assertThat(Json.write(entries.get(1))).isEqualTo("{\"action\":\"strike\",\"room\":\"chat/lobby\",\"principal\":\"alice\",\"seq\":" + seq
                + ",\"words\":[\"darn\"],\"time\":\"2026-11-22T20:00:00Z\",\"strikes\":2}");
        assertThat(done).containsExactly("bleep");
    }

    @Test
    void aRetryDoesNotEditAgainOnceTheEditWasAccepted() {
        gateway.failNext("append", MemoryGateway.away(), false);
        runToEnd(ModerationOps.bleep(verdict(1, false), LOG_TOPIC, log, v -> { }));
        assertThat(gateway.calls.stream().filter(c -> c.startsWith("edit"))).hasSize(1);
        assertThat(gateway.eventValues(LOG_TOPIC)).hasSize(2);
    }

    @Test
    void anExemptAuthorsBleepLogsNoStrike() {
        runToEnd(ModerationOps.bleep(verdict(0, false), LOG_TOPIC, log, v -> { }));
        assertThat(gateway.eventValues(LOG_TOPIC)).extracting(e -> e.path("action").asText()).containsExactly("bleep");
    }

    @Test
    void aRevocationMergesTheAuthorsOverridesLetsThemReadTheirStatusPublishesItAndIsLogged() {
        gateway.overrides.put("alice", Json.parse("{\"principal\":\"alice\",\"pathPermissions\":{\"chat/games\":[\"SELECT_TOPIC\"]}}"));
        runToEnd(ModerationOps.revoke(verdict(3, true), SETTINGS, null, log, clock, submitted::add, v -> done.add("revoke")));

        assertThat(Json.write(gateway.overrides.get("alice"))).isEqualTo("{\"pathPermissions\":{\"chat/games\":[\"SELECT_TOPIC\"],"
                + "\"chat/lobby\":[\"SELECT_TOPIC\",\"READ_TOPIC\"],\"moderation/status/alice\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}}");
        JsonNode status = gateway.value("moderation/status/alice").orElseThrow();
        assertThat(status.path("principal").asText()).isEqualTo("alice");
        JsonNode lobby = status.path("revoked").path("chat/lobby");
        assertThat(lobby.path("strikes").asInt()).isEqualTo(3);
        assertThat(lobby.path("window").asText()).isEqualTo("PT10M");
        assertThat(lobby.path("since").asText()).isEqualTo("2026-11-22T20:00:00Z");
        assertThat(lobby.path("previous").isNull()).isTrue();
        assertThat(gateway.eventValues(LOG_TOPIC)).singleElement().satisfies(e -> {
            assertThat(e.path("action").asText()).isEqualTo("revoke");
            assertThat(e.path("permissions").toString()).isEqualTo("[\"SELECT_TOPIC\",\"READ_TOPIC\"]");
            assertThat(e.path("id").asText()).isEqualTo(lobby.path("id").asText()).isNotBlank();
        });
        assertThat(done).containsExactly("revoke");
        assertThat(submitted).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(ModerationSettings.SessionAction.class)
    void aRevocationActsOnTheAuthorsLiveSessionsAsConfigured(ModerationSettings.SessionAction action) {
        ModerationSettings settings = new ModerationSettings(LOG_TOPIC, "moderation/status", "moderation/requests", "inbox",
                100, 1000, List.of("SELECT_TOPIC", "READ_TOPIC"), Duration.ofMinutes(10), action);
        runToEnd(ModerationOps.revoke(verdict(3, true), settings, null, log, clock, submitted::add, v -> done.add("revoke")));
        switch (action) {
            case NONE -> assertThat(gateway.sessionCalls).isEmpty();
            case UNSUBSCRIBE -> assertThat(gateway.sessionCalls).containsExactly("unsubscribe $Principal is 'alice' >chat/lobby");
            case CLOSE -> assertThat(gateway.sessionCalls).containsExactly(
                    "close $Principal is 'alice' your right to post in chat/lobby was revoked by the moderator");
        }
        assertThat(done).containsExactly("revoke");
        assertThat(gateway.eventValues(LOG_TOPIC)).extracting(e -> e.path("action").asText()).containsExactly("revoke");
    }

    @Test
    void aPrincipalIsQuotedInTheSessionFilter() {
        assertThat(ModerationOps.quoted("o'brien\\x")).isEqualTo("'o\\'brien\\\\x'");
    }

    @Test
    void aRevocationInAPreModeratedRoomAlsoTakesItsInboxAway() {
        runToEnd(ModerationOps.revoke(verdict(3, true), SETTINGS, "inbox/chat/lobby", log, clock, submitted::add, v -> { }));
        assertThat(gateway.overrides.get("alice").path("pathPermissions").path("inbox/chat/lobby").toString()).isEqualTo("[\"SELECT_TOPIC\"]");
        assertThat(gateway.value("moderation/status/alice").orElseThrow().path("revoked").path("chat/lobby").path("inbox").asText())
                .isEqualTo("inbox/chat/lobby");
    }

    @Test
    void aRetriedRevocationRemembersWhatTheRoomHadBeforeIt() {
        gateway.overrides.put("alice", Json.parse("{\"pathPermissions\":{\"chat/lobby\":[\"SELECT_TOPIC\",\"READ_TOPIC\",\"UPDATE_TOPIC\"]}}"));
        gateway.failNext("putOverrides", MemoryGateway.lost(), true);   // applied, answer lost: the retry reads the revocation
        runToEnd(ModerationOps.revoke(verdict(3, true), SETTINGS, null, log, clock, submitted::add, v -> { }));
        assertThat(gateway.value("moderation/status/alice").orElseThrow().path("revoked").path("chat/lobby").path("previous").toString())
                .isEqualTo("[\"SELECT_TOPIC\",\"READ_TOPIC\",\"UPDATE_TOPIC\"]");
    }

    @Test
    void aRestoreRequestNamingTheCurrentRevocationPutsTheRoomBackAsItWasAndKeepsTheStatusReadable() {
        gateway.overrides.put("alice", Json.parse("{\"pathPermissions\":{\"chat/lobby\":[\"SELECT_TOPIC\",\"READ_TOPIC\",\"UPDATE_TOPIC\"],"
                + "\"chat/games\":[\"SELECT_TOPIC\"]}}"));
        runToEnd(ModerationOps.revoke(verdict(3, true), SETTINGS, null, log, clock, submitted::add, v -> { }));
        String id = gateway.value("moderation/status/alice").orElseThrow().path("revoked").path("chat/lobby").path("id").asText();

        runToEnd(ModerationOps.restore(new RestoreRequest(9, "admin", "alice", "chat/lobby", id), SETTINGS, log, clock, true,
                r -> done.add("restore")));

        assertThat(Json.write(gateway.overrides.get("alice"))).isEqualTo("{\"pathPermissions\":{\"chat/games\":[\"SELECT_TOPIC\"],"
                + "\"moderation/status/alice\":[\"SELECT_TOPIC\",\"READ_TOPIC\"],\"chat/lobby\":[\"SELECT_TOPIC\",\"READ_TOPIC\",\"UPDATE_TOPIC\"]}}");
        assertThat(gateway.value("moderation/status/alice").orElseThrow().path("revoked").size()).isZero();
        assertThat(gateway.eventValues(LOG_TOPIC)).extracting(e -> e.path("action").asText()).containsExactly("revoke", "restore");
        assertThat(gateway.eventValues(LOG_TOPIC).get(1).path("by").asText()).isEqualTo("admin");
        assertThat(done).containsExactly("restore");
    }

    @Test
    void aRestoreWithoutOverridesBeforeRemovesTheRoomsOverride() {
        runToEnd(ModerationOps.revoke(verdict(3, true), SETTINGS, "inbox/chat/lobby", log, clock, submitted::add, v -> { }));
        String id = gateway.value("moderation/status/alice").orElseThrow().path("revoked").path("chat/lobby").path("id").asText();
        runToEnd(ModerationOps.restore(new RestoreRequest(9, "admin", "alice", "chat/lobby", id), SETTINGS, log, clock, true, r -> { }));
        assertThat(Json.write(gateway.overrides.get("alice")))
                .isEqualTo("{\"pathPermissions\":{\"moderation/status/alice\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}}");
    }

    @Test
    void aRestoreRequestForAnotherRevocationChangesNothingAndIsLoggedOnlyWhenLive() {
        runToEnd(ModerationOps.revoke(verdict(3, true), SETTINGS, null, log, clock, submitted::add, v -> { }));
        JsonNode overrides = gateway.overrides.get("alice").deepCopy();

        runToEnd(ModerationOps.restore(new RestoreRequest(9, "admin", "alice", "chat/lobby", "an-older-one"), SETTINGS, log, clock, false,
                r -> done.add("restore")));
        assertThat(gateway.eventValues(LOG_TOPIC)).extracting(e -> e.path("action").asText()).containsExactly("revoke");

        runToEnd(ModerationOps.restore(new RestoreRequest(10, "admin", "alice", "chat/lobby", "an-older-one"), SETTINGS, log, clock, true,
                r -> done.add("restore")));
        assertThat(gateway.eventValues(LOG_TOPIC)).extracting(e -> e.path("action").asText()).containsExactly("revoke", "restore-refused");
        assertThat(gateway.overrides.get("alice")).isEqualTo(overrides);
        assertThat(gateway.value("moderation/status/alice").orElseThrow().path("revoked").has("chat/lobby")).isTrue();
        assertThat(done).isEmpty();
    }

    @Test
    void aRevocationTheGatewayRefusesIsLoggedAsFailed() {
        gateway.failNext("overrides", GatewayException.refused(ErrorCode.PERMISSION_DENIED, "needs MODIFY_SECURITY"), false);
        runToEnd(ModerationOps.revoke(verdict(3, true), SETTINGS, null, log, clock, submitted::add, v -> { }));

        assertThat(gateway.overrides).isEmpty();
        assertThat(submitted).hasSize(1);
        runToEnd(submitted.get(0));
        assertThat(gateway.eventValues(LOG_TOPIC)).singleElement().satisfies(e -> {
            assertThat(e.path("action").asText()).isEqualTo("revoke-failed");
            assertThat(e.path("error").asText()).contains("PERMISSION_DENIED");
        });
    }

    @Test
    void editsOfARemovedRoomAreGivenUp() {
        gateway.topics.remove("chat/lobby");
        WriteOp op = ModerationOps.bleep(verdict(1, false), LOG_TOPIC, log, v -> done.add("bleep"));
        runToEnd(op);
        assertThat(done).isEmpty();
        assertThat(op.droppable()).isFalse();
    }
}
