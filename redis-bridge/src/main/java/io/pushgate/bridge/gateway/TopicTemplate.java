package io.pushgate.bridge.gateway;

import io.pushgate.protocol.TopicPath;
import java.util.Optional;

/**
 * A gateway topic path template such as {@code redis/<channel>}: {@code <channel>} stands for the
 * Redis channel's name, in which every character a topic path segment cannot hold (anything but
 * {@code A-Z a-z 0-9 _ . -}) becomes {@code _}, so {@code orders:eu} gives {@code redis/orders_eu}.
 * The result must be a valid path of the contract ({@link TopicPath}) and not one of the gateway's
 * own ({@code $...}).
 */
public record TopicTemplate(String template) {

    public static final String CHANNEL = "<channel>";

    public TopicTemplate {
        if (template == null || expandUnchecked(template, "x").isEmpty()) {
            throw new IllegalArgumentException("not a topic path template (segments of A-Z a-z 0-9 _ . - joined by /, with <channel>): " + template);
        }
    }

    /** The topic path for a message on {@code channel}, or empty if it would not be a valid path. */
    public Optional<String> expand(String channel) {
        return expandUnchecked(template, channel);
    }

    private static Optional<String> expandUnchecked(String template, String channel) {
        String path = template.replace(CHANNEL, asSegment(channel));
        return TopicPath.isValid(path) && !TopicPath.isReserved(path) ? Optional.of(path) : Optional.empty();
    }

    private static String asSegment(String channel) {
        StringBuilder segment = new StringBuilder(channel.length());
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            segment.append(TopicPath.isSegmentChar(c) ? c : '_');
        }
        return segment.toString();
    }
}
