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
 */
public record ClientStats(long framesReceived, long bytesReceived, long framesSent, long bytesSent,
                          long valuesReceived, long deltasApplied, long resyncs, long reconnections) {
}
