package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A listener of time series events alone, for
 * {@link PushgateClient#subscribe(String, TimeSeriesListener)}:
 *
 * <pre>{@code
 * client.subscribe(">chat/lobby", (TimeSeriesListener) (topic, event) ->
 *         show(event.seq(), event.author(), event.value())).join();
 * }</pre>
 *
 * Values of other topics the selector matches are ignored ({@link #onValue} does nothing); override
 * {@link #onGap} and {@link #onUnsubscribed} to hear of missed events and of removals.
 */
@FunctionalInterface
public interface TimeSeriesListener extends ValueListener {

    /** {@inheritDoc} */
    @Override
    void onEvent(String topic, TimeSeriesEvent event);

    /** Values of topics that are not time series: ignored. */
    @Override
    default void onValue(String topic, long seq, JsonNode value) {
    }
}
