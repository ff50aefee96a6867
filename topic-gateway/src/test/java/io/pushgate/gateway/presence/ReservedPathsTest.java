package io.pushgate.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.security.PathPermission;
import io.pushgate.gateway.security.RoleDefinition;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules for the gateway's own paths ($presence/...): paths, selectors, the PRESENCE property and rights. */
class ReservedPathsTest {

    @Test
    void onlyTheFirstCharacterOfAPathMayBeADollar() {
        assertThat(TopicPath.isValid("$presence/chat/lobby")).isTrue();
        assertThat(TopicPath.isReserved("$presence/chat/lobby")).isTrue();
        assertThat(TopicPath.isReserved("chat/lobby")).isFalse();
        assertThat(TopicPath.isValid("chat/$lobby")).isFalse();
        assertThat(TopicPath.isValid("chat$")).isFalse();
        assertThatThrownBy(() -> TopicPath.validate("a/$b")).isInstanceOf(ProtocolException.class).hasMessageContaining("'$' at 2");
    }

    @Test
    void reservedPathsAreSelectedOnlyBySelectorsRootedThere() {
        assertThat(TopicSelector.parse(">$presence/chat/lobby").matches("$presence/chat/lobby")).isTrue();
        assertThat(TopicSelector.parse("$presence/chat/lobby").matches("$presence/chat/lobby")).isTrue();
        assertThat(TopicSelector.parse(">$presence/chat//").matches("$presence/chat/lobby")).isTrue();
        assertThat(TopicSelector.parse("?.*//").matches("$presence/chat/lobby")).isFalse();
        assertThat(TopicSelector.parse("*.*").matches("$presence/chat/lobby")).isFalse();
        assertThat(TopicSelector.parse("?.*//").matches("chat/lobby")).isTrue();
        // in a set, each member by its own root
        TopicSelector set = TopicSelector.parse("#>$presence/chat/lobby////?.*//");
        assertThat(set.matches("$presence/chat/lobby")).isTrue();
        assertThat(set.matches("$presence/chat/random")).isFalse();
        assertThat(set.matches("chat/random")).isTrue();
        assertThatThrownBy(() -> TopicSelector.parse(">chat/$x")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void presenceIsAKnownPropertyThatIsTrueOrFalse() {
        assertThat(TopicSpec.parse(Json.parse("{\"type\":\"JSON\",\"properties\":{\"PRESENCE\":true}}")).presence()).isTrue();
        assertThat(TopicSpec.parse(Json.parse("{\"type\":\"JSON\",\"properties\":{\"PRESENCE\":\"false\"}}")).presence()).isFalse();
        assertThat(TopicSpec.parse(Json.parse("{\"type\":\"TIME_SERIES\",\"eventType\":\"JSON\",\"properties\":{\"PRESENCE\":\"true\"}}"))
                .presence()).isTrue();
        assertThat(TopicSpec.parse(Json.parse("{\"type\":\"JSON\"}")).presence()).isFalse();
        assertThatThrownBy(() -> TopicSpec.parse(Json.parse("{\"type\":\"JSON\",\"properties\":{\"PRESENCE\":\"yes\"}}")))
                .isInstanceOf(ProtocolException.class).hasMessage("PRESENCE must be true or false, not 'yes'");
    }

    @Test
    void presenceIsReadWithTheRightsOfItsSourceAndWrittenByNobody() {
        SecurityService security = new SecurityService(List.of("READER"));
        // A grant on $presence itself does not count: only the source's rights do.
        security.roleChanged("READER", RoleDefinition.builder("READER")
                .defaults(PathPermission.SELECT_TOPIC, PathPermission.READ_TOPIC, PathPermission.UPDATE_TOPIC, PathPermission.MODIFY_TOPIC)
                .path("secret")
                .path("listed", PathPermission.SELECT_TOPIC)
                .path("$presence", PathPermission.values())
                .build());
        Access reader = security.anonymous();
        assertThat(reader.canRead("$presence/open/room")).isTrue();
        assertThat(reader.canSelect("$presence/open/room")).isTrue();
        assertThat(reader.canSelect("$presence/secret/room")).isFalse();
        assertThat(reader.canRead("$presence/secret/room")).isFalse();
        assertThat(reader.canSelect("$presence/listed/room")).isTrue();
        assertThat(reader.canRead("$presence/listed/room")).isFalse();
        assertThat(reader.canUpdate("$presence/open/room")).isFalse();
        assertThat(reader.canModify("$presence/open/room")).isFalse();
        assertThat(reader.canUpdate("open/room")).isTrue();
        // Another reserved path, or $presence with no source, is nobody's.
        assertThat(reader.canSelect("$other/x")).isFalse();
        assertThat(reader.canRead("$presence")).isFalse();

        Access admin = security.accessFor("admin", List.of("ADMINISTRATOR"));
        assertThat(admin.canRead("$presence/secret/room")).isTrue();
        assertThat(admin.canUpdate("$presence/secret/room")).isFalse();
        assertThat(admin.canModify("$presence/secret/room")).isFalse();
        assertThat(admin.canEditTimeSeries("$presence/secret/room")).isFalse();
    }
}
