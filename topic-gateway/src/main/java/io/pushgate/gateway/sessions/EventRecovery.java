package io.pushgate.gateway.sessions;

import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.timeseries.RetentionRange;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.Topic;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * A session's time series subscriptions: every event, in seq order, none twice. A new
 * subscriber gets the last events of the topic's subscription range; a gap (an event missed
 * through a lost change message, while the connection was behind, or before a reconnect that
 * resumes from a seq) is filled from the stored events, with a {@code gap} message for what is
 * no longer retained. Live events arriving meanwhile are held and delivered after the read.
 * On the session's event loop only.
 */
final class EventRecovery {

    private static final Logger LOG = Logger.getLogger(Session.class);

    /** Events read from the store per recovery step; a longer backlog is read in several steps. */
    static final int RECOVERY_BATCH = 1000;
    /** Live events a recovering subscription holds back at most; past that it recovers again. */
    static final int MAX_BUFFERED = 10_000;

    private final Session session;
    private final Outbound out;
    private final Map<String, Long> resumeFrom = new HashMap<>();

    EventRecovery(Session session, Outbound out) {
        this.session = session;
        this.out = out;
    }

    /** See {@link Session#resumeFrom(Map)}. */
    void resumeFrom(Map<String, Long> positions) {
        resumeFrom.putAll(positions);
    }

    /** A time series subscription began: resumes from the client's position, or starts afresh. */
    void started(Subscription sub) {
        Topic topic = sub.topic;
        Long since = resumeFrom.remove(topic.path());
        if (since != null && since > topic.state().seq()) {
            // Beyond the topic's last seq: the topic was removed and added again since the
            // client saw it. It starts afresh, like any new subscriber.
            since = null;
        }
        if (since != null) {
            sub.lastSeq = since;
            recover(sub, false);
        } else {
            recover(sub, true);
        }
    }

    /** One live event (or a resync) for a time series subscription. */
    void deliver(Subscription sub, TopicUpdate update) {
        if (!update.isResync() && update.seq() <= sub.lastSeq) {
            // Already delivered (by a recovery read that overtook this held live event).
            return;
        }
        if (sub.recovering) {
            hold(sub, update);
            return;
        }
        if (update.isResync() || update.seq() != sub.lastSeq + 1) {
            recover(sub, false);
            if (!update.isResync()) {
                hold(sub, update);
            }
            return;
        }
        if (!session.mayWrite()) {
            session.conflation.markPending(sub);
            return;
        }
        writeEvent(UpdateFrames.eventFrame(update), sub, update.seq());
    }

    private void hold(Subscription sub, TopicUpdate update) {
        if (update.isResync()) {
            return;
        }
        if (sub.buffered.size() >= MAX_BUFFERED) {
            // Everything held back is in the store too: drop it and read it again from there.
            sub.buffered.clear();
            sub.bufferOverflowed = true;
            return;
        }
        sub.buffered.add(update);
    }

    /**
     * Reads what the subscription missed from the store: the last N events of the topic's
     * subscription range for a new subscriber ({@code initial}), else every retained event
     * after its last seq. Live events arriving meanwhile are held and delivered after.
     */
    void recover(Subscription sub, boolean initial) {
        sub.recovering = true;
        if (sub.buffered == null) {
            sub.buffered = new ArrayDeque<>();
        }
        Hub hub = session.hub();
        hub.stats().recoveries.increment();
        String path = sub.topic.path();
        // Every event after this seq is either in the read below or still to come live.
        long seenBeforeRead = sub.topic.state().seq();
        CompletionStage<List<TimeSeriesEvent>> read = initial
                ? hub.history().last(path, subscriptionRange(sub.topic), seenBeforeRead)
                : hub.history().after(path, sub.lastSeq, RECOVERY_BATCH);
        read.whenCompleteAsync((events, error) -> recovered(sub, initial, seenBeforeRead, events, error), session.executor());
    }

    private void recovered(Subscription sub, boolean initial, long seenBeforeRead, List<TimeSeriesEvent> events, Throwable error) {
        if (session.isClosed() || !session.subscriptions.isCurrent(sub)) {
            return;
        }
        if (error != null) {
            LOG.warnv("cannot read the events of {0}: {1}", sub.topic.path(), error.toString());
            sub.recovering = false;
            sub.buffered.clear();
            session.conflation.markPending(sub);
            return;
        }
        if (!initial) {
            // Judge what is missing by the state before the read: an event stored after the read
            // began is not missing, it is on its way live (and held until this completes).
            long firstAvailable = events.isEmpty() ? seenBeforeRead + 1 : events.get(0).seq();
            if (firstAvailable > sub.lastSeq + 1 && seenBeforeRead > sub.lastSeq) {
                session.send(Messages.gap(sub.topic, sub.lastSeq + 1, firstAvailable - 1));
            }
        }
        for (TimeSeriesEvent event : events) {
            if (event.seq() > sub.lastSeq) {
                writeEvent(Messages.event(sub.topic, event), sub, event.seq());
            }
        }
        if (initial) {
            // The read stopped at seenBeforeRead; what came after is held, or on its way live.
            sub.lastSeq = Math.max(sub.lastSeq, seenBeforeRead);
        }
        boolean more = !initial && events.size() >= RECOVERY_BATCH;
        if (more || sub.bufferOverflowed) {
            sub.bufferOverflowed = false;
            if (out.isWritable()) {
                recover(sub, false);
            } else {
                sub.recovering = false;
                session.conflation.markPending(sub);
            }
            return;
        }
        sub.recovering = false;
        ArrayDeque<TopicUpdate> held = sub.buffered;
        sub.buffered = new ArrayDeque<>();
        while (!held.isEmpty() && !sub.recovering) {
            deliver(sub, held.poll());
        }
        held.forEach(u -> hold(sub, u));
    }

    private void writeEvent(Frame frame, Subscription sub, long seq) {
        sub.lastSeq = seq;
        if (out.wantsPositions()) {
            out.send(frame, positions());
        } else {
            out.send(frame);
        }
        session.hub().stats().countFrame(frame);
    }

    /** {@code path=seq;path=seq} of every time series subscription: where SSE resumes from. */
    private String positions() {
        StringBuilder sb = new StringBuilder();
        for (Subscription s : session.subscriptions.all()) {
            if (s.isTimeSeries() && s.lastSeq > 0) {
                if (sb.length() > 0) {
                    sb.append(';');
                }
                sb.append(s.topic.path()).append('=').append(s.lastSeq);
            }
        }
        return sb.toString();
    }

    /** How many recent events a new subscriber gets: TIME_SERIES_SUBSCRIPTION_RANGE, default 1. */
    private static int subscriptionRange(Topic topic) {
        RetentionRange range = RetentionRange.parse(topic.spec().property("TIME_SERIES_SUBSCRIPTION_RANGE"), new RetentionRange(1, Duration.ZERO));
        return (int) Math.min(RECOVERY_BATCH, range.hasLimit() ? range.limit() : RECOVERY_BATCH);
    }
}
