package io.pushgate.client;

/**
 * Counters of one {@link PushgateClient} since it was built, across reconnections: what a dashboard
 * or a benchmark reads. Bytes are the UTF-8 sizes of the text frames' payloads.
 *
 * @param framesReceived WebSocket messages received
 * @param bytesReceived their bytes
 * @param framesSent WebSocket messages sent
 * @param bytesSent their bytes
 * @param valuesReceived {@code value} (and time-series {@code event}) messages received
 * @param deltasApplied {@code delta} messages applied
 * @param resyncs resynchronisations: a delta that did not follow the value held or did not
 *     apply, answered by fetching the topic
 * @param reconnections connections opened after the first one
 * @param duplicateEventsDropped time series events dropped because their seq was at or below the
 *     last one handed over
 * @param gaps {@code gap} messages received: events missed while away that the gateway no longer
 *     retained
 * @param failovers reconnections to another endpoint than the one of the connection before
 */
public record ClientStats(long framesReceived, long bytesReceived, long framesSent, long bytesSent,
                          long valuesReceived, long deltasApplied, long resyncs, long reconnections,
                          long duplicateEventsDropped, long gaps, long failovers) {

    /** The counters of a client before time series recovery and several endpoints; the rest 0. */
    public ClientStats(long framesReceived, long bytesReceived, long framesSent, long bytesSent,
                       long valuesReceived, long deltasApplied, long resyncs, long reconnections) {
        this(framesReceived, bytesReceived, framesSent, bytesSent, valuesReceived, deltasApplied, resyncs, reconnections, 0, 0, 0);
    }
}
