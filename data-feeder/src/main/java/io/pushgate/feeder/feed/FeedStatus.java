package io.pushgate.feeder.feed;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code GET /v1/feed} answers.
 *
 * @param running     whether polls are scheduled
 * @param mode        {@code feeder.source} as configured ({@code auto} included)
 * @param source      the source in use ({@code coinbase}, {@code coindesk} or {@code replay})
 * @param circuit     {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param lastPrice   last fetched price per currency code
 * @param lastSuccess when a poll last fetched a document, or null
 * @param lastError   the last failure's message, or null
 */
public record FeedStatus(
        boolean running,
        String mode,
        String source,
        String circuit,
        Map<String, Double> lastPrice,
        Instant lastSuccess,
        String lastError,
        long polls,
        long failures,
        long published,
        long unchanged) {
}
