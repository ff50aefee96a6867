package io.pushgate.client;

import io.pushgate.protocol.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A time series listener that writes down what it gets: {@code room@4 {"i":4}} for an event,
 * {@code room@5 {"i":2} edit of 2} for an edit, {@code room gap 3-5 NOT_RETAINED}, {@code room REMOVED}.
 */
final class EventRecorder implements TimeSeriesListener {

    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final List<TimeSeriesEvent> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onEvent(String topic, TimeSeriesEvent event) {
        events.add(event);
        lines.add(topic + "@" + event.seq() + " " + Json.write(event.value()) + (event.isEdit() ? " edit of " + event.editOf() : ""));
    }

    @Override
    public void onGap(String topic, long fromSeq, long toSeq, String reason) {
        lines.add(topic + " gap " + fromSeq + "-" + toSeq + " " + reason);
    }

    @Override
    public void onUnsubscribed(String topic, String reason) {
        lines.add(topic + " " + reason);
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    List<Long> seqs() {
        synchronized (events) {
            return events.stream().map(TimeSeriesEvent::seq).toList();
        }
    }
}
