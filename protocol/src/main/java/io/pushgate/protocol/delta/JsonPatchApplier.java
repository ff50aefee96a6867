package io.pushgate.protocol.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies an RFC 6902 patch, with RFC 6901 pointers.
 *
 * <p>Why not zjsonpatch's {@code JsonPatch.apply}: in 0.4.16 (the latest) its pointer parser
 * decodes the last reference token twice, so a member whose name contains "~0" or "~1" after
 * decoding is addressed wrongly: {@code /~01} reaches member "/" instead of "~1" (RFC 6902
 * appendix A.14). That silently corrupts values, e.g. an add of "t~1" creates "t/", and patches
 * from zjsonpatch's own (correct) diff then fail to round-trip. zjsonpatch still makes the diffs.
 */
final class JsonPatchApplier {

    private JsonPatchApplier() {
    }

    /** The patched copy of {@code source}, which is left as it was. */
    static JsonNode apply(JsonNode patch, JsonNode source) {
        if (patch == null || !patch.isArray()) {
            throw new IllegalArgumentException("invalid JSON patch: expected an array of operations");
        }
        JsonNode document = source.deepCopy();
        for (int i = 0; i < patch.size(); i++) {
            document = new Operation(patch.get(i), i).applyTo(document);
        }
        return document;
    }

    /** One operation of the patch; its index and text make the error messages. */
    private record Operation(JsonNode op, int index) {

        JsonNode applyTo(JsonNode document) {
            if (!op.isObject()) {
                throw invalid("is not an object");
            }
            String name = member("op").asText();
            List<String> path = pointer("path");
            return switch (name) {
                case "add" -> add(document, path, value().deepCopy());
                case "remove" -> remove(document, path);
                case "replace" -> replace(document, path, value().deepCopy());
                case "move" -> {
                    List<String> from = pointer("from");
                    if (from.equals(path)) {
                        get(document, from, "from");
                        yield document;
                    }
                    if (path.size() > from.size() && path.subList(0, from.size()).equals(from)) {
                        throw invalid("moves a value into one of its own children");
                    }
                    JsonNode value = get(document, from, "from");
                    yield add(remove(document, from), path, value);
                }
                case "copy" -> add(document, path, get(document, pointer("from"), "from").deepCopy());
                case "test" -> {
                    if (!get(document, path, "path").equals(JsonPatchApplier::compare, value())) {
                        throw invalid("failed: the value at the path differs");
                    }
                    yield document;
                }
                default -> throw invalid("has an unknown op '" + name + "'");
            };
        }

        private JsonNode add(JsonNode document, List<String> path, JsonNode value) {
            if (path.isEmpty()) {
                return value;
            }
            JsonNode parent = get(document, path.subList(0, path.size() - 1), "path");
            String token = path.get(path.size() - 1);
            if (parent instanceof ObjectNode object) {
                object.set(token, value);
            } else if (parent instanceof ArrayNode array) {
                int at = token.equals("-") ? array.size() : arrayIndex(token, array.size() + 1);
                array.insert(at, value);
            } else {
                throw invalid("adds to a value that is neither an object nor an array");
            }
            return document;
        }

        private JsonNode remove(JsonNode document, List<String> path) {
            if (path.isEmpty()) {
                throw invalid("removes the whole document");
            }
            JsonNode parent = get(document, path.subList(0, path.size() - 1), "path");
            String token = path.get(path.size() - 1);
            if (parent instanceof ObjectNode object) {
                if (!object.has(token)) {
                    throw invalid("removes a missing member '" + token + "'");
                }
                object.remove(token);
            } else if (parent instanceof ArrayNode array) {
                array.remove(arrayIndex(token, array.size()));
            } else {
                throw invalid("removes from a value that is neither an object nor an array");
            }
            return document;
        }

        private JsonNode replace(JsonNode document, List<String> path, JsonNode value) {
            get(document, path, "path"); // the target must exist
            if (path.isEmpty()) {
                return value;
            }
            JsonNode parent = get(document, path.subList(0, path.size() - 1), "path");
            String token = path.get(path.size() - 1);
            if (parent instanceof ObjectNode object) {
                object.set(token, value); // in place: the members keep their order
            } else {
                ((ArrayNode) parent).set(arrayIndex(token, parent.size()), value);
            }
            return document;
        }

        /** The value at a pointer, which must exist. */
        private JsonNode get(JsonNode document, List<String> tokens, String which) {
            JsonNode node = document;
            for (String token : tokens) {
                JsonNode next = node.isObject() ? node.get(token)
                        : node.isArray() ? node.get(arrayIndex(token, node.size()))
                        : null;
                if (next == null) {
                    throw invalid("refers with its '" + which + "' to a location that does not exist");
                }
                node = next;
            }
            return node;
        }

        /** An array index: digits without a leading zero, below {@code bound}. */
        private int arrayIndex(String token, int bound) {
            boolean digits = !token.isEmpty() && token.length() <= 10 && token.chars().allMatch(Character::isDigit)
                    && (token.length() == 1 || token.charAt(0) != '0');
            long value = digits ? Long.parseLong(token) : -1;
            if (value < 0 || value >= bound) {
                throw invalid("uses '" + token + "', which is not an index of the array");
            }
            return (int) value;
        }

        private List<String> pointer(String which) {
            return parsePointer(member(which).asText(), which);
        }

        /** RFC 6901: "" is the whole document; '~1' decodes to '/' and '~0' to '~', nothing else. */
        private List<String> parsePointer(String pointer, String which) {
            List<String> tokens = new ArrayList<>();
            if (pointer.isEmpty()) {
                return tokens;
            }
            if (pointer.charAt(0) != '/') {
                throw invalid("has a '" + which + "' that does not start with '/'");
            }
            StringBuilder token = new StringBuilder();
            for (int i = 1; i <= pointer.length(); i++) {
                char c = i < pointer.length() ? pointer.charAt(i) : '/';
                if (c == '/') {
                    tokens.add(token.toString());
                    token.setLength(0);
                } else if (c == '~') {
                    char next = i + 1 < pointer.length() ? pointer.charAt(++i) : ' ';
                    if (next != '0' && next != '1') {
                        throw invalid("has a '" + which + "' with a '~' not followed by 0 or 1");
                    }
                    token.append(next == '0' ? '~' : '/');
                } else {
                    token.append(c);
                }
            }
            return tokens;
        }

        private JsonNode member(String name) {
            JsonNode member = op.get(name);
            if (member == null || !member.isTextual()) {
                throw invalid("lacks a text '" + name + "' member");
            }
            return member;
        }

        private JsonNode value() {
            JsonNode value = op.get("value");
            if (value == null) {
                throw invalid("lacks a 'value' member");
            }
            return value;
        }

        private IllegalArgumentException invalid(String problem) {
            return new IllegalArgumentException("invalid JSON patch: operation " + index + " ("
                    + op.path("op").asText("?") + " " + op.path("path").asText("?") + ") " + problem);
        }
    }

    /** RFC 6902 4.6: numbers are equal when their values are, whatever their notation. */
    private static int compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            try {
                return a.decimalValue().compareTo(b.decimalValue());
            } catch (NumberFormatException infinite) {
                // A double that overflowed to infinity when parsed has no decimal value.
                return a.equals(b) ? 0 : 1;
            }
        }
        return a.equals(b) ? 0 : 1;
    }
}
