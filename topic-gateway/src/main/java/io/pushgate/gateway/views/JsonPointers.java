package io.pushgate.gateway.views;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/** RFC 6901 pointers as the view language writes them. */
final class JsonPointers {

    private JsonPointers() {
    }

    /**
     * What is wrong with a pointer, or null if it is valid. Checked here rather than left to
     * Jackson, which reads {@code ~2} as two literal characters instead of refusing it.
     */
    static String problem(String pointer) {
        if (pointer.isEmpty()) {
            return null; // the whole value, as RFC 6901 says
        }
        if (pointer.charAt(0) != '/') {
            return "a JSON pointer is empty or starts with '/'";
        }
        for (int i = 0; i < pointer.length(); i++) {
            if (pointer.charAt(i) == '~' && (i + 1 >= pointer.length() || "01".indexOf(pointer.charAt(i + 1)) < 0)) {
                return "'~' must be followed by 0 or 1 (~0 is '~', ~1 is '/')";
            }
        }
        return null;
    }

    static void require(String pointer) {
        String problem = problem(pointer);
        if (problem != null) {
            throw new IllegalArgumentException("bad pointer '" + pointer + "': " + problem);
        }
    }

    /** The node at the pointer, a missing node if there is none. */
    static JsonNode at(JsonNode value, String pointer) {
        return value.at(JsonPointer.compile(pointer));
    }

    /** The pointer as a directive argument: {@code \}, {@code )} and {@code ,} (which end a parameter) are escaped. */
    static String toDsl(String pointer) {
        return escaped(pointer, "\\),");
    }

    /** The pointer as a word of its own (insert's {@code key} and {@code at}): whitespace and {@code \} are escaped. */
    static String toDslWord(String pointer) {
        StringBuilder out = new StringBuilder(pointer.length());
        for (int i = 0; i < pointer.length(); i++) {
            char c = pointer.charAt(i);
            if (c == '\\' || Character.isWhitespace(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String escaped(String pointer, String special) {
        StringBuilder out = new StringBuilder(pointer.length());
        for (int i = 0; i < pointer.length(); i++) {
            char c = pointer.charAt(i);
            if (special.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
