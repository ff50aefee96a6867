package io.pushgate.gateway.topics;

import io.pushgate.protocol.TopicPath;

/**
 * Where presence topics live: the presence of {@code chat/lobby} is {@code $presence/chat/lobby}.
 * Paths starting with {@code $} are the gateway's own ({@link TopicPath#isReserved}); clients
 * read them and never write them.
 */
public final class PresencePaths {

    /** The prefix of every presence topic's path. */
    public static final String PREFIX = "$presence/";

    private PresencePaths() {
    }

    /** The presence topic of a source topic. */
    public static String presenceOf(String source) {
        return PREFIX + source;
    }

    /** True for a presence topic's path ({@code $presence/...} with a source path after it). */
    public static boolean isPresence(String path) {
        return path != null && path.length() > PREFIX.length() && path.startsWith(PREFIX);
    }

    /** The source topic a presence topic describes; null if the path is not a presence topic's. */
    public static String sourceOf(String path) {
        return isPresence(path) ? path.substring(PREFIX.length()) : null;
    }
}
