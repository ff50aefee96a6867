package io.pushgate.protocol;

/**
 * Topic path rules of the contract: segments of {@code [A-Za-z0-9_.-]} joined by {@code /},
 * no leading or trailing {@code /}, no empty segment, at most 1,024 characters.
 *
 * <p>Extension: a path may start with {@link #RESERVED} ({@code $presence/chat/lobby}). Such paths
 * belong to topics the gateway keeps itself; clients read them and never write them (the gateway
 * refuses every write there), so a client that keeps to the contract never meets one it did not ask for.
 */
public final class TopicPath {

    public static final int MAX_LENGTH = 1024;

    /** The first character of the paths of the gateway's own topics (an extension of the contract). */
    public static final char RESERVED = '$';

    private TopicPath() {
    }

    /** Returns the path if it is valid, or throws {@code INVALID} saying what is wrong. */
    public static String validate(String path) {
        if (path == null || path.isEmpty()) {
            throw ProtocolException.invalid("missing topic path");
        }
        if (path.length() > MAX_LENGTH) {
            throw ProtocolException.invalid("topic path longer than " + MAX_LENGTH + " characters");
        }
        if (path.charAt(0) == '/' || path.charAt(path.length() - 1) == '/') {
            throw ProtocolException.invalid("topic path '" + abbreviate(path) + "' must not start or end with '/'");
        }
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                if (previous == '/') {
                    throw ProtocolException.invalid("topic path '" + abbreviate(path) + "' has an empty segment");
                }
            } else if (!isSegmentChar(c) && !(c == RESERVED && i == 0)) {
                throw ProtocolException.invalid("topic path '" + abbreviate(path) + "' has the character '" + c
                        + "' at " + i + ": segments are made of A-Z a-z 0-9 _ . - (and only the gateway's own paths start with $)");
            }
            previous = c;
        }
        return path;
    }

    public static boolean isValid(String path) {
        try {
            validate(path);
            return true;
        } catch (ProtocolException e) {
            return false;
        }
    }

    /** True for a path of the gateway's own topics: it starts with {@link #RESERVED}. */
    public static boolean isReserved(String path) {
        return path != null && !path.isEmpty() && path.charAt(0) == RESERVED;
    }

    public static boolean isSegmentChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }

    /** The path's segments. */
    public static String[] segments(String path) {
        return path.split("/", -1);
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
