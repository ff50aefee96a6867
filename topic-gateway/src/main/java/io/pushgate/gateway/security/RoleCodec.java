package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The JSON form of a role, as {@code GET/PUT /v1/security/roles/{role}} carry it:
 *
 * <pre>{@code
 * {"name": "CLIENT",
 *  "defaultPathPermissions": ["SELECT_TOPIC", "READ_TOPIC"],
 *  "pathPermissions": {"prices": ["SELECT_TOPIC", "READ_TOPIC"], "secret": []},
 *  "globalPermissions": [],
 *  "includes": []}
 * }</pre>
 *
 * Every field but {@code name} may be left out (meaning empty). Decoding is strict: an unknown
 * field, an unknown permission, a bad path prefix or role name is refused with {@code INVALID}
 * saying which, so that a typo never silently grants or takes away nothing. Encoding is
 * deterministic: permissions in declaration order, prefixes and includes sorted.
 */
public final class RoleCodec {

    static final String NAME = "name";
    static final String DEFAULTS = "defaultPathPermissions";
    static final String PATHS = "pathPermissions";
    static final String GLOBAL = "globalPermissions";
    static final String INCLUDES = "includes";
    private static final Set<String> FIELDS = Set.of(NAME, DEFAULTS, PATHS, GLOBAL, INCLUDES);

    private RoleCodec() {
    }

    /** Parses and decodes a role; the body must name it. */
    public static RoleDefinition decode(String json) {
        return decode(Json.parse(json), null);
    }

    /** Decodes a role; the body must name it. */
    public static RoleDefinition decode(JsonNode node) {
        return decode(node, null);
    }

    /**
     * Decodes a role whose name is already known (from the URL): the body may leave {@code name}
     * out, and if it has one, it must be the same.
     */
    public static RoleDefinition decode(JsonNode node, String expectedName) {
        if (node == null || !node.isObject()) {
            throw ProtocolException.invalid("a role is a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw ProtocolException.invalid("unknown field '" + abbreviate(field) + "' in a role: the fields are "
                        + String.join(", ", NAME, DEFAULTS, PATHS, GLOBAL, INCLUDES));
            }
        }
        String name = name(node.get(NAME), expectedName);
        RoleDefinition.Builder builder = RoleDefinition.builder(name)
                .defaults(pathPermissions(node.get(DEFAULTS), DEFAULTS))
                .global(globalPermissions(node.get(GLOBAL)))
                .includes(includes(node.get(INCLUDES)));
        JsonNode paths = node.get(PATHS);
        if (paths != null && !paths.isNull()) {
            if (!paths.isObject()) {
                throw ProtocolException.invalid(PATHS + " must be an object of path prefix to permissions");
            }
            if (paths.size() > RoleDefinition.MAX_PATH_PREFIXES) {
                throw ProtocolException.invalid(PATHS + " has more than " + RoleDefinition.MAX_PATH_PREFIXES + " prefixes");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String prefix = RoleDefinition.validatePrefix(e.getKey());
                builder.path(prefix, pathPermissions(e.getValue(), PATHS + "['" + prefix + "']"));
            }
        }
        return builder.build();
    }

    /** The JSON object of a role. */
    public static ObjectNode encode(RoleDefinition role) {
        JsonNodeFactory f = Json.MAPPER.getNodeFactory();
        ObjectNode node = f.objectNode();
        node.put(NAME, role.name());
        node.set(DEFAULTS, names(f, role.defaultPathPermissions()));
        ObjectNode paths = node.putObject(PATHS);
        role.pathPermissions().forEach((prefix, perms) -> paths.set(prefix, names(f, perms)));
        node.set(GLOBAL, names(f, role.globalPermissions()));
        ArrayNode includes = node.putArray(INCLUDES);
        role.includes().forEach(includes::add);
        return node;
    }

    /** The compact JSON text of a role. */
    public static String write(RoleDefinition role) {
        return Json.write(encode(role));
    }

    private static String name(JsonNode node, String expectedName) {
        if (node == null || node.isNull()) {
            if (expectedName == null) {
                throw ProtocolException.invalid("a role needs a name");
            }
            return RoleDefinition.validateName(expectedName, "role name");
        }
        if (!node.isTextual()) {
            throw ProtocolException.invalid("the role's name must be a string");
        }
        String name = RoleDefinition.validateName(node.textValue(), "role name");
        if (expectedName != null && !expectedName.equals(name)) {
            throw ProtocolException.invalid("the body names the role '" + name + "' but the request is for '"
                    + abbreviate(expectedName) + "'");
        }
        return name;
    }

    private static EnumSet<PathPermission> pathPermissions(JsonNode node, String field) {
        EnumSet<PathPermission> set = EnumSet.noneOf(PathPermission.class);
        for (String text : strings(node, field)) {
            set.add(parse(PathPermission.class, text, "path permission", field));
        }
        return set;
    }

    private static EnumSet<GlobalPermission> globalPermissions(JsonNode node) {
        EnumSet<GlobalPermission> set = EnumSet.noneOf(GlobalPermission.class);
        for (String text : strings(node, GLOBAL)) {
            set.add(parse(GlobalPermission.class, text, "global permission", GLOBAL));
        }
        return set;
    }

    private static TreeSet<String> includes(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        Collection<String> texts = strings(node, INCLUDES);
        if (texts.size() > RoleDefinition.MAX_INCLUDES) {
            throw ProtocolException.invalid(INCLUDES + " has more than " + RoleDefinition.MAX_INCLUDES + " roles");
        }
        for (String text : texts) {
            names.add(RoleDefinition.validateName(text, "included role name"));
        }
        return names;
    }

    private static Collection<String> strings(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            throw ProtocolException.invalid(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw ProtocolException.invalid(field + " must be an array of strings, not " + element.getNodeType());
            }
            out.add(element.textValue());
        }
        return out;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String text, String what, String field) {
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            String valid = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
            throw ProtocolException.invalid("unknown " + what + " '" + abbreviate(text) + "' in " + field
                    + ": the " + what + "s are " + valid);
        }
    }

    private static <E extends Enum<E>> ArrayNode names(JsonNodeFactory f, Set<E> set) {
        ArrayNode array = f.arrayNode();
        new TreeSet<>(set).forEach(e -> array.add(e.name()));
        return array;
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
