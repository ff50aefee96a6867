package io.pushgate.backend.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.backend.gateway.MemoryGateway;
import io.pushgate.backend.gateway.GatewayEvent;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort.View;
import io.pushgate.backend.support.MutableClock;
import io.pushgate.backend.write.WriteOp;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The moderator's decisions over a gateway in memory, as they happen: people post and edit, the
 * moderator is told (a scan), its writes run. Edits are judged like new messages; pre-moderated
 * rooms get only judged messages; restore requests.
 */
class ChatModerationTest {

    private static final String ROOM = "chat/lobby";
    private static final String LOG = "moderation/log";
    private static final JsonNode ROOM_SPEC = Json.parse("{\"type\":\"TIME_SERIES\",\"eventType\":\"JSON\"}");

    private final MemoryGateway gateway = new MemoryGateway();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T20:00:00Z"));
    private final List<WriteOp> held = new ArrayList<>();
    private final List<String> accepted = new ArrayList<>();
    private boolean holdWrites;
    private ChatModeration moderation;

    @BeforeEach
    void start() {
        gateway.add(ROOM, ROOM_SPEC);
        gateway.add(LOG, ModerationLog.spec("limit 10000"));
        gateway.add("moderation/requests", ModerationLog.spec("limit 10000"));
        moderation = moderator(100, 1000);
    }

    private ChatModeration moderator(int catchUp, int tracked) {
        ModerationRules rules = new ModerationRules(new WordFilter(List.of("darn", "heck")), new StrikeWindow(Duration.ofMinutes(10), clock), 3,
                "backend-app", Set.of("anonymous"));
        ModerationSettings settings = new ModerationSettings(LOG, "moderation/status", "moderation/requests", "inbox", catchUp, tracked,
                List.of("SELECT_TOPIC", "READ_TOPIC"), Duration.ofMinutes(10));
        return new ChatModeration(settings, gateway, this::write, rules, clock, accepted::add);
    }

    /** The gateway writer, run at once (or held back, to let people write in between). */
    private void write(WriteOp op) {
        if (holdWrites) {
            held.add(op);
            return;
        }
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

    private void releaseWrites() {
        holdWrites = false;
        List<WriteOp> ops = new ArrayList<>(held);
        held.clear();
        ops.forEach(this::write);
    }

    private static JsonNode message(String text, String user) {
        return Json.parse("{\"text\":" + Json.write(TextNode.valueOf(text)) + ",\"user\":\"" + user + "\"}");
    }

    private long post(String topic, String author, String text) {
        long seq = gateway.post(topic, author, message(text, author));
        moderation.scan(topic, seq);
        return seq;
    }

    private long edit(String topic, String author, long seq, String text) {
        long editSeq = gateway.postEdit(topic, author, seq, message(text, author));
        moderation.scan(topic, editSeq);
        return editSeq;
    }

    /** What a reader of the room sees now: the value view's texts. */
    private List<String> texts(String topic) {
        return gateway.lastEvents(topic, 1000).stream().map(e -> e.value().path("text").asText()).toList();
    }

    private List<JsonNode> logEntries() {
        return gateway.eventValues(LOG);
    }

    private List<String> actions() {
        return logEntries().stream().map(e -> e.path("action").asText()).toList();
    }

    /** The moderator's own scan after its writes: it sees its own edits too, as the real one does. */
    private void settle(String topic) {
        moderation.scan(topic, gateway.topics.get(topic).seq());
    }

    // ---------------------------------------------------------------- edits are judged

    @Test
    void aCleanMessageEditedIntoAFlaggedOneIsBleepedStruckAndLogged() {
        long seq = post(ROOM, "bob", "hello everyone");
        assertThat(logEntries()).isEmpty();

        long editSeq = edit(ROOM, "bob", seq, "hello darn everyone");
        settle(ROOM);

        assertThat(texts(ROOM)).containsExactly("hello **** everyone");
        assertThat(actions()).containsExactly("bleep", "strike");
        JsonNode strike = logEntries().get(1);
        assertThat(strike.path("principal").asText()).isEqualTo("bob");
        assertThat(strike.path("seq").asLong()).as("the message").isEqualTo(seq);
        assertThat(strike.path("edit").asLong()).as("the version judged").isEqualTo(editSeq);
        assertThat(strike.path("words").toString()).isEqualTo("[\"darn\"]");
        assertThat(strike.path("strikes").asInt()).isEqualTo(1);
        assertThat(gateway.calls).contains("edit " + ROOM + " " + seq);
        assertThat(accepted).containsExactly("bleep", "strike");
    }

    @Test
    void anEditOfAnEditIsJudgedToo() {
        long seq = post(ROOM, "bob", "hi");
        long first = edit(ROOM, "bob", seq, "hi there");
        edit(ROOM, "bob", first, "heck, hi there");    // the gateway makes it an edit of the original
        settle(ROOM);

        assertThat(texts(ROOM)).containsExactly("****, hi there");
        assertThat(actions()).containsExactly("bleep", "strike");
        assertThat(logEntries().get(0).path("seq").asLong()).isEqualTo(seq);
    }

    @Test
    void aBleepedMessageEditedBackToItsOriginalIsBleepedAgainAndStruckAgain() {
        long seq = post(ROOM, "bob", "darn it");
        settle(ROOM);
        assertThat(texts(ROOM)).containsExactly("**** it");

        edit(ROOM, "bob", seq, "darn it");
        settle(ROOM);

        assertThat(texts(ROOM)).containsExactly("**** it");
        assertThat(actions()).containsExactly("bleep", "strike", "bleep", "strike");
        assertThat(logEntries().get(3).path("strikes").asInt()).isEqualTo(2);
    }

    @Test
    void everyFlaggedVersionIsAStrikeAndTheThirdRevokes() {
        long seq = post(ROOM, "bob", "fine");
        edit(ROOM, "bob", seq, "darn");
        settle(ROOM);
        edit(ROOM, "bob", seq, "heck");
        settle(ROOM);
        edit(ROOM, "bob", seq, "darn heck");
        settle(ROOM);

        assertThat(actions()).containsExactly("bleep", "strike", "bleep", "strike", "bleep", "strike", "revoke");
        assertThat(gateway.overrides.get("bob").path("pathPermissions").path(ROOM).toString()).isEqualTo("[\"SELECT_TOPIC\",\"READ_TOPIC\"]");
        assertThat(gateway.value("moderation/status/bob").orElseThrow().path("revoked").has(ROOM)).isTrue();
        assertThat(texts(ROOM)).containsExactly("**** ****");
    }

    @Test
    void theModeratorsOwnBleepsAreNotJudgedAgainAndCleanEditsChangeNothing() {
        long seq = post(ROOM, "bob", "heck");
        settle(ROOM);
        settle(ROOM);
        edit(ROOM, "bob", seq, "sorry, I meant hello");
        settle(ROOM);

        assertThat(texts(ROOM)).containsExactly("sorry, I meant hello");
        assertThat(actions()).containsExactly("bleep", "strike");
        assertThat(gateway.calls.stream().filter(c -> c.startsWith("edit"))).hasSize(2);   // bob's and the one bleep
    }

    @Test
    void anAuthorsCorrectionThatLandsBeforeTheModeratorsBleepIsPutBack() {
        holdWrites = true;                                   // the moderator's bleep is on its way...
        long seq = post(ROOM, "bob", "darn");
        edit(ROOM, "bob", seq, "sorry, all clean now"); // ...while bob corrects himself
        releaseWrites();                                     // the bleep of "darn" lands last: it would hide the correction
        settle(ROOM);

        assertThat(texts(ROOM)).containsExactly("sorry, all clean now");
        assertThat(actions()).containsExactly("bleep", "strike");
        settle(ROOM);
        assertThat(gateway.calls.stream().filter(c -> c.startsWith("edit"))).as("bob's, the bleep, the reinstatement").hasSize(3);
    }

    @Test
    void aFlaggedCorrectionThatLandsBeforeTheModeratorsFirstBleepStaysBleeped() {
        holdWrites = true;
        long seq = post(ROOM, "bob", "darn");
        edit(ROOM, "bob", seq, "heck then");
        releaseWrites();
        settle(ROOM);
        settle(ROOM);

        assertThat(texts(ROOM)).containsExactly("**** then");
        assertThat(actions()).containsExactly("bleep", "strike", "bleep", "strike");
        assertThat(gateway.calls.stream().filter(c -> c.startsWith("edit"))).as("bob's and the two bleeps, no reinstatement").hasSize(3);
    }

    @Test
    void atStartWhatWasHandledBeforeIsNotJudgedAgainButWhatCameSinceIs() {
        long handled = post(ROOM, "bob", "darn");
        settle(ROOM);
        post(ROOM, "bob", "clean");
        // the moderator stops; meanwhile bob edits the handled message, alice posts
        gateway.postEdit(ROOM, "bob", handled, message("heck", "bob"));
        long missed = gateway.post(ROOM, "alice", message("darn you", "alice"));

        ChatModeration restarted = moderator(100, 1000);
        restarted.scan(ROOM, missed);
        restarted.scan(ROOM, gateway.topics.get(ROOM).seq());

        assertThat(texts(ROOM)).containsExactly("****", "clean", "**** you");
        assertThat(logEntries()).extracting(e -> e.path("action").asText() + ":" + e.path("principal").asText())
                .containsExactly("bleep:bob", "strike:bob", "bleep:bob", "strike:bob", "bleep:alice", "strike:alice");
    }

    @Test
    void withoutTheEditsViewOnlyNewMessagesAreJudged() {
        gateway.failNext("range", GatewayException.refused(ErrorCode.PERMISSION_DENIED, "needs QUERY_OBSOLETE_TIME_SERIES_EVENTS"), false);
        long seq = post(ROOM, "bob", "darn");
        settle(ROOM);
        assertThat(texts(ROOM)).containsExactly("****");
        assertThat(gateway.calls).contains("range " + ROOM);   // the values view after the refusal

        edit(ROOM, "bob", seq, "heck");
        settle(ROOM);
        assertThat(texts(ROOM)).as("an edit is not seen in the values view").containsExactly("heck");
        assertThat(actions()).containsExactly("bleep", "strike");
    }

    @Test
    void theVersionsRememberedAreBounded() {
        ChatModeration small = moderator(100, 3);
        for (int i = 0; i < 10; i++) {
            small.scan(ROOM, gateway.post(ROOM, "bob", message("message " + i, "bob")));
        }
        assertThat(small.trackedMessages()).isEqualTo(3);
    }

    // ---------------------------------------------------------------- pre-moderation

    private static final String HELD = "chat/held";
    private static final String INBOX = "inbox/chat/held";

    private void preModeratedRoom() {
        gateway.add(HELD, ROOM_SPEC);
        gateway.add(INBOX, ROOM_SPEC);
    }

    private List<GatewayEvent> roomEvents(String topic) {
        return gateway.lastEvents(topic, 1000, View.VALUES);
    }

    @Test
    void aPreModeratedRoomGetsEachMessageOnlyOnceJudgedAndAlreadyBleeped() {
        preModeratedRoom();
        long clean = post(INBOX, "bob", "hello");
        long flagged = post(INBOX, "bob", "darn it");

        List<GatewayEvent> events = roomEvents(HELD);
        assertThat(events).extracting(e -> e.value().path("text").asText()).containsExactly("hello", "**** it");
        assertThat(events).allSatisfy(e -> assertThat(e.author()).isEqualTo("backend-app"));
        assertThat(gateway.eventValues(HELD)).extracting(v -> v.path("text").asText()).doesNotContain("darn it");
        JsonNode first = events.get(0).value();
        assertThat(first.path("from").asText()).isEqualTo("bob");
        assertThat(first.path("user").asText()).isEqualTo("bob");
        assertThat(first.path("inbox").path("seq").asLong()).isEqualTo(clean);
        assertThat(first.has("bleeped")).isFalse();
        assertThat(events.get(1).value().path("bleeped").asBoolean()).isTrue();
        assertThat(logEntries()).extracting(e -> e.path("action").asText()).containsExactly("bleep", "strike");
        assertThat(logEntries().get(1).path("room").asText()).isEqualTo(HELD);
        assertThat(logEntries().get(1).path("seq").asLong()).as("the seq in the room").isEqualTo(events.get(1).seq());
        assertThat(logEntries().get(1).path("inbox").asLong()).isEqualTo(flagged);
        assertThat(accepted).containsExactly("relay", "relay", "bleep", "strike");
    }

    @Test
    void anEditInTheInboxEditsTheRelayedMessageAndIsJudgedToo() {
        preModeratedRoom();
        long seq = post(INBOX, "bob", "hello");
        long roomSeq = roomEvents(HELD).get(0).seq();
        long editSeq = edit(INBOX, "bob", seq, "hello, heck");
        settle(HELD);

        List<GatewayEvent> events = roomEvents(HELD);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.seq()).isEqualTo(roomSeq);
            assertThat(e.value().path("text").asText()).isEqualTo("hello, ****");
            assertThat(e.value().path("inbox").path("version").asLong()).isEqualTo(editSeq);
        });
        assertThat(gateway.eventValues(HELD)).extracting(v -> v.path("text").asText()).doesNotContain("hello, heck");
        assertThat(actions()).containsExactly("bleep", "strike");
    }

    @Test
    void whatAPosterWritesInFromOrInboxIsReplacedByTheModerator() {
        preModeratedRoom();
        moderation.scan(INBOX, gateway.post(INBOX, "bob", Json.parse("{\"text\":\"hi\",\"user\":\"alice\",\"from\":\"alice\",\"inbox\":1}")));
        JsonNode value = roomEvents(HELD).get(0).value();
        assertThat(value.path("from").asText()).isEqualTo("bob");
        assertThat(value.path("user").asText()).as("the display name is the poster's to choose").isEqualTo("alice");
        assertThat(value.path("inbox").isObject()).isTrue();
    }

    @Test
    void afterARestartAnInboxIsRelayedWhereTheRoomIsBehindAndNothingTwice() {
        preModeratedRoom();
        long first = post(INBOX, "bob", "one");
        post(INBOX, "bob", "two");
        // the moderator stops; meanwhile bob edits the first and posts a third
        gateway.postEdit(INBOX, "bob", first, message("one, corrected", "bob"));
        long third = gateway.post(INBOX, "bob", message("three", "bob"));

        ChatModeration restarted = moderator(100, 1000);
        restarted.scan(INBOX, third);
        restarted.scan(INBOX, gateway.topics.get(INBOX).seq());

        assertThat(roomEvents(HELD)).extracting(e -> e.value().path("text").asText()).containsExactly("one, corrected", "two", "three");
    }

    @Test
    void aRevocationInAPreModeratedRoomCoversItsInbox() {
        preModeratedRoom();
        post(INBOX, "bob", "darn");
        post(INBOX, "bob", "heck");
        post(INBOX, "bob", "darn heck");
        JsonNode paths = gateway.overrides.get("bob").path("pathPermissions");
        assertThat(paths.path(HELD).toString()).isEqualTo("[\"SELECT_TOPIC\",\"READ_TOPIC\"]");
        assertThat(paths.path(INBOX).toString()).isEqualTo("[\"SELECT_TOPIC\"]");
        assertThat(paths.path("moderation/status/bob").toString()).isEqualTo("[\"SELECT_TOPIC\",\"READ_TOPIC\"]");
    }

    // ---------------------------------------------------------------- restore requests

    @Test
    void aRestoreRequestGivesTheRightBackOnceAndARequestReadAgainAtStartChangesNothing() {
        post(ROOM, "bob", "darn");
        post(ROOM, "bob", "darn");
        post(ROOM, "bob", "darn");
        String id = gateway.value("moderation/status/bob").orElseThrow().path("revoked").path(ROOM).path("id").asText();
        long request = gateway.post("moderation/requests", "admin",
                Json.parse("{\"action\":\"restore\",\"principal\":\"bob\",\"room\":\"" + ROOM + "\",\"id\":\"" + id + "\"}"));
        moderation.scan("moderation/requests", request);

        assertThat(gateway.overrides.get("bob").path("pathPermissions").has(ROOM)).isFalse();
        assertThat(gateway.value("moderation/status/bob").orElseThrow().path("revoked").size()).isZero();
        assertThat(actions()).endsWith("revoke", "restore");

        // bob is revoked again; the moderator restarts and reads the old request again
        post(ROOM, "bob", "heck");
        post(ROOM, "bob", "heck");
        post(ROOM, "bob", "heck");
        ChatModeration restarted = moderator(100, 1000);
        restarted.scan("moderation/requests", request);
        assertThat(gateway.overrides.get("bob").path("pathPermissions").path(ROOM).toString()).isEqualTo("[\"SELECT_TOPIC\",\"READ_TOPIC\"]");
        assertThat(actions()).endsWith("revoke");
    }

    @Test
    void aRequestTheModeratorDoesNotUnderstandIsSkipped() {
        long request = gateway.post("moderation/requests", "admin", Json.parse("{\"action\":\"pardon\",\"principal\":\"bob\"}"));
        moderation.scan("moderation/requests", request);
        assertThat(logEntries()).isEmpty();
        assertThat(gateway.overrides).isEmpty();
    }
}
