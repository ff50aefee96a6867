package io.pushgate.backend.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.backend.support.MutableClock;
import io.pushgate.protocol.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModerationRulesTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T20:00:00Z"));
    private final ModerationRules rules = new ModerationRules(new WordFilter(List.of("darn", "heck")),
            new StrikeWindow(Duration.ofMinutes(10), clock), 3, "backend-app", Set.of("anonymous"));

    private static ChatEvent json(long seq, String author, String text) {
        return new ChatEvent("chat/lobby", seq, author, Json.parse("{\"text\":" + Json.write(TextNode.valueOf(text)) + ",\"user\":\"" + author + "\"}"), null);
    }

    @Test
    void bleepsTheTextOfAJsonMessageAndKeepsItsOtherFields() {
        Verdict v = rules.judge(json(7, "alice", "well darn it"));
        assertThat(v.acts()).isTrue();
        assertThat(Json.write(v.bleeped())).isEqualTo("{\"text\":\"well **** it\",\"user\":\"alice\"}");
        assertThat(v.words()).containsExactly("darn");
        assertThat(v.strikes()).isEqualTo(1);
        assertThat(v.revoke()).isFalse();
    }

    @Test
    void bleepsAStringMessage() {
        Verdict v = rules.judge(new ChatEvent("chat/lobby", 3, "bob", TextNode.valueOf("Heck!"), null));
        assertThat(v.bleeped()).isEqualTo(TextNode.valueOf("****!"));
    }

    @Test
    void leavesCleanMessagesItsOwnMessagesOrEditsAndOtherShapesAlone() {
        assertThat(rules.judge(json(1, "alice", "hello")).acts()).isFalse();
        assertThat(rules.judge(json(2, "backend-app", "darn")).acts()).isFalse();
        assertThat(rules.judge(new ChatEvent("chat/lobby", 9, "backend-app", TextNode.valueOf("darn"), 8L)).acts()).isFalse();
        assertThat(rules.judge(new ChatEvent("chat/lobby", 3, "alice", Json.parse("{\"msg\":\"darn\"}"), null)).acts()).isFalse();
        assertThat(rules.judge(new ChatEvent("chat/lobby", 4, "alice", Json.parse("42"), null)).acts()).isFalse();
    }

    @Test
    void anEditIsJudgedLikeANewMessageAndStrikesItsEditor() {
        Verdict v = rules.judge(new ChatEvent("chat/lobby", 9, "alice", TextNode.valueOf("oh darn"), 8L));
        assertThat(v.acts()).isTrue();
        assertThat(v.bleeped()).isEqualTo(TextNode.valueOf("oh ****"));
        assertThat(v.strikes()).isEqualTo(1);
        assertThat(v.event().messageSeq()).as("the message it edits").isEqualTo(8);
        assertThat(rules.judge(new ChatEvent("chat/lobby", 10, "alice", TextNode.valueOf("heck"), 8L)).strikes()).isEqualTo(2);
    }

    @Test
    void aCleanValueIsTheValueBleepedWithoutAStrike() {
        assertThat(rules.clean(TextNode.valueOf("darn it"))).isEqualTo(TextNode.valueOf("**** it"));
        assertThat(rules.clean(TextNode.valueOf("fine"))).isEqualTo(TextNode.valueOf("fine"));
        assertThat(rules.clean(Json.parse("42"))).isEqualTo(Json.parse("42"));
        assertThat(rules.judge(json(1, "alice", "darn")).strikes()).as("clean() struck nobody").isEqualTo(1);
    }

    @Test
    void theOwnPrincipalComesFromTheTokenOnceKnown() {
        rules.self("moderator-bot");
        assertThat(rules.judge(json(1, "moderator-bot", "darn")).acts()).isFalse();
        assertThat(rules.judge(json(2, "backend-app", "darn")).acts()).isTrue();
        rules.self(null);
        assertThat(rules.self()).isEqualTo("moderator-bot");
    }

    @Test
    void revokesAtTheThirdStrikeInTheWindowThenCountsAgain() {
        assertThat(rules.judge(json(1, "alice", "darn")).strikes()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(4));
        assertThat(rules.judge(json(2, "alice", "heck")).strikes()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(4));
        Verdict third = rules.judge(json(3, "alice", "darn heck"));
        assertThat(third.strikes()).isEqualTo(3);
        assertThat(third.revoke()).isTrue();
        assertThat(rules.judge(json(4, "alice", "darn")).strikes()).isEqualTo(1);
    }

    @Test
    void strikesOutsideTheWindowDoNotCount() {
        rules.judge(json(1, "alice", "darn"));
        rules.judge(json(2, "alice", "darn"));
        clock.advance(Duration.ofMinutes(10));
        Verdict v = rules.judge(json(3, "alice", "darn"));
        assertThat(v.strikes()).isEqualTo(1);
        assertThat(v.revoke()).isFalse();
    }

    @Test
    void strikesArePerRoom() {
        rules.judge(json(1, "alice", "darn"));
        rules.judge(json(2, "alice", "darn"));
        Verdict elsewhere = rules.judge(new ChatEvent("chat/games", 1, "alice", TextNode.valueOf("darn"), null));
        assertThat(elsewhere.strikes()).isEqualTo(1);
        assertThat(elsewhere.revoke()).isFalse();
    }

    @Test
    void exemptPrincipalsAreBleepedButNeverStruck() {
        for (int i = 1; i <= 5; i++) {
            Verdict v = rules.judge(json(i, "anonymous", "darn"));
            assertThat(v.acts()).isTrue();
            assertThat(v.strikes()).isZero();
            assertThat(v.revoke()).isFalse();
        }
    }

    @Test
    void aMessageWithoutAuthorCountsAsAnonymous() {
        JsonNode value = TextNode.valueOf("darn");
        Verdict v = rules.judge(new ChatEvent("chat/lobby", 1, null, value, null));
        assertThat(v.acts()).isTrue();
        assertThat(v.strikes()).isZero();
    }
}
