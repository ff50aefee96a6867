package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A view as stored: its DSL text and the session that created it, whose rights the view acts with
 * (Diffusion's rule: a view maps only the sources its creator may select and read, and writes
 * reference topics only where its creator may modify topics).
 *
 * <p>Stored as {@code {"text": ..., "principal": ..., "roles": [...]}}. A definition stored before
 * creators were recorded is the bare DSL text (it never starts with <code>{</code>): it has no
 * creator, and acts as it always did, unrestricted, until it is stored again.
 *
 * @param creator null for a definition without a recorded creator
 */
public record ViewDefinition(String text, Creator creator) {

    /** Who created a view: the principal and the roles its session had. */
    public record Creator(String principal, List<String> roles) {
        public Creator {
            Objects.requireNonNull(principal, "principal");
            roles = List.copyOf(roles);
        }
    }

    public ViewDefinition {
        Objects.requireNonNull(text, "text");
    }

    /** The stored form. */
    public String encode() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("text", text);
        if (creator != null) {
            node.put("principal", creator.principal());
            ArrayNode roles = node.putArray("roles");
            creator.roles().forEach(roles::add);
        }
        return Json.write(node);
    }

    /** Reads a stored definition: the JSON form, or a bare DSL text of before creators were recorded. */
    public static ViewDefinition decode(String stored) {
        if (!stored.stripLeading().startsWith("{")) {
            return new ViewDefinition(stored, null);
        }
        JsonNode node = Json.parse(stored);
        if (!node.path("text").isTextual()) {
            throw new IllegalArgumentException("a stored view has no text");
        }
        Creator creator = null;
        if (node.path("principal").isTextual()) {
            List<String> roles = new ArrayList<>();
            node.path("roles").forEach(r -> roles.add(r.asText()));
            creator = new Creator(node.path("principal").asText(), roles);
        }
        return new ViewDefinition(node.path("text").asText(), creator);
    }
}
