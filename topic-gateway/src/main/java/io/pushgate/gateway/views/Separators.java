package io.pushgate.gateway.views;

import io.pushgate.protocol.TopicPath;

/**
 * The {@code separator} clause. Diffusion lets the replacement contain {@code /} but no empty
 * segment; Pushgate further limits it to topic path characters, since any other character
 * would make every replaced path invalid.
 */
final class Separators {

    private Separators() {
    }

    static String problem(String separator) {
        for (int i = 0; i < separator.length(); i++) {
            char c = separator.charAt(i);
            if (c != '/' && !TopicPath.isSegmentChar(c)) {
                return "the character '" + c + "' is not allowed (A-Z a-z 0-9 _ . - and / are)";
            }
        }
        if (separator.contains("//")) {
            return "an empty path segment ('//') is not allowed";
        }
        return null;
    }
}
