package io.pushgate.backend.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.Json;
import org.junit.jupiter.api.Test;

class ChatMessagesTest {

    @Test
    void readsTheTextOfBothShapes() {
        assertThat(ChatMessages.textOf(Json.parse("{\"text\":\"hi\",\"user\":\"alice\"}"))).contains("hi");
        assertThat(ChatMessages.textOf(TextNode.valueOf("hi"))).contains("hi");
        assertThat(ChatMessages.textOf(Json.parse("{\"text\":5}"))).isEmpty();
        assertThat(ChatMessages.textOf(Json.parse("[\"hi\"]"))).isEmpty();
        assertThat(ChatMessages.textOf(null)).isEmpty();
    }

    @Test
    void replacesTheTextOnly() {
        var original = Json.parse("{\"user\":\"alice\",\"text\":\"darn\",\"meta\":{\"lang\":\"en\"}}");
        assertThat(Json.write(ChatMessages.withText(original, "****"))).isEqualTo("{\"user\":\"alice\",\"text\":\"****\",\"meta\":{\"lang\":\"en\"}}");
        assertThat(original.path("text").asText()).isEqualTo("darn");
        assertThat(ChatMessages.withText(TextNode.valueOf("darn"), "****")).isEqualTo(TextNode.valueOf("****"));
        assertThatThrownBy(() -> ChatMessages.withText(Json.parse("3"), "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
