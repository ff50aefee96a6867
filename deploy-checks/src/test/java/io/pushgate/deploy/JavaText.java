package io.pushgate.deploy;

import java.util.ArrayList;
import java.util.List;

/** The few bits of Java's lexical structure that {@link ConfigMappingScanner} needs. */
final class JavaText {

    private JavaText() {
    }

    /** The source without its comments; string and character literals are kept as they are. */
    static String stripComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'') {
                int end = endOfLiteral(source, i);
                out.append(source, i, end);
                i = end;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The index just past the string, text block or character literal that starts at {@code start}. */
    static int endOfLiteral(String s, int start) {
        char quote = s.charAt(start);
        if (quote == '"' && s.startsWith("\"\"\"", start)) {
            int end = s.indexOf("\"\"\"", start + 3);
            return end < 0 ? s.length() : end + 3;
        }
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote || c == '\n') {
                return i + 1;
            } else {
                i++;
            }
        }
        return s.length();
    }

    /** The index of the brace that closes the one at {@code open}, skipping literals. */
    static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfLiteral(s, i) - 1;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced braces from offset " + open);
    }

    /** {@code java.util.Map<String, X>} is {@code java.util.Map}. */
    static String rawType(String type) {
        int lt = type.indexOf('<');
        return (lt < 0 ? type : type.substring(0, lt)).trim();
    }

    /** {@code java.util.Map} is {@code Map}; arrays and varargs lose their brackets. */
    static String simpleName(String qualified) {
        String s = qualified.replace("[]", "").replace("...", "").trim();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? s : s.substring(dot + 1);
    }

    /** The type arguments of {@code Map<String, List<X>>}: {@code String} and {@code List<X>}. */
    static List<String> typeArguments(String type) {
        int lt = type.indexOf('<');
        int gt = type.lastIndexOf('>');
        if (lt < 0 || gt < lt) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : splitTopLevel(type.substring(lt + 1, gt), ',')) {
            out.add(part.trim());
        }
        return out;
    }

    /** Splits at the separator where it is not inside angle brackets. */
    static List<String> splitTopLevel(String s, char separator) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == separator && depth == 0) {
                out.add(s.substring(from, i));
                from = i + 1;
            }
        }
        out.add(s.substring(from));
        return out;
    }
}
