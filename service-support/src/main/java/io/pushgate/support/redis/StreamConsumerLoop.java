package io.pushgate.support.redis;

import io.pushgate.support.backoff.Backoff;
import io.pushgate.support.thread.LoopThread;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Reads one Redis stream with a consumer group, on a thread of its own, and hands each entry to
 * an {@link EntryHandler}, which acknowledges it ({@code XACK}) once it is done with it, at once
 * or later. Whatever was read and not acknowledged stays in the group's pending list, so delivery
 * is at least once and a handler must recognise an entry it has seen.
 *
 * <p>On start it first re-reads its own pending entries (XREADGROUP from id 0: what this consumer
 * read before a crash or restart and never acknowledged), then new ones ({@code >}, blocking up to
 * {@code block}). A handler that throws {@link EntryNotHandledException}, or a Redis error, sends
 * the loop back to its pending entries after a back-off, so the failed entry is tried again first
 * and entries are handled in stream order. The group is created when missing ({@code MKSTREAM});
 * after it was lost ({@code NOGROUP}: the key deleted, Redis restarted empty) it is created again
 * from id 0, since everything then in the stream arrived after the loss. With a {@code claimIdle}
 * above zero, entries another consumer of the group left pending longer than that (a replica that
 * went away) are claimed ({@code XAUTOCLAIM}) every {@code claimIdle} and handled here.
 *
 * <p>The back-off starts again from its first delay after a read whose entries were all handled.
 * The first failure of a run of failures is logged at WARN, the next ones at DEBUG, and the
 * recovery at INFO. {@link #start()} after {@link #stop()} starts a new thread.
 *
 * @param <V> the type of the entries' field values ({@code String}, {@code byte[]}, ...)
 */
public final class StreamConsumerLoop<V> {

    /** What the loop does with each entry it reads. Called on the loop's thread, one entry at a time, in stream order. */
    @FunctionalInterface
    public interface EntryHandler<V> {

        /**
         * Handles {@code entry} (its payload is empty for a pending entry the stream has since
         * trimmed), acknowledging it now or later with {@link StreamConsumerLoop#ack}.
         *
         * @throws EntryNotHandledException to have it read again after a back-off
         */
        void handle(StreamMessage<String, String, V> entry) throws EntryNotHandledException;
    }

    /** The loop's settings: the stream key, the group and this consumer's name in it, and how it reads. */
    public record Settings(String stream, String group, String consumer, String groupStartId, int batchSize,
            Duration block, Duration claimIdle, String threadName, Duration stopTimeout) {

        public Settings {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(consumer, "consumer");
            Objects.requireNonNull(groupStartId, "groupStartId");
            Objects.requireNonNull(block, "block");
            Objects.requireNonNull(claimIdle, "claimIdle");
            Objects.requireNonNull(threadName, "threadName");
            Objects.requireNonNull(stopTimeout, "stopTimeout");
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
        }
    }

    private static final Logger LOG = Logger.getLogger(StreamConsumerLoop.class);
    private static final String FIRST_PENDING = "0";

    private final Settings settings;
    private final StreamCommands<String, String, V> commands;
    private final EntryHandler<V> handler;
    private final Backoff backoff;
    private final Clock clock;

    private final LoopThread thread;
    // Only the loop's thread reads and writes these.
    private boolean groupReady;
    private boolean groupLost;
    private String pendingCursor; // null while reading new entries
    private Instant lastClaim = Instant.EPOCH;
    private boolean failing;

    public StreamConsumerLoop(Settings settings, StreamCommands<String, String, V> commands, Backoff backoff, Clock clock,
            EntryHandler<V> handler) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.thread = new LoopThread(settings.threadName(), settings.stopTimeout(), this::run);
    }

    /** Starts reading on a new thread: pending entries first, then new ones. Does nothing if already running. */
    public void start() {
        thread.start();
    }

    /**
     * Stops reading and waits for the thread to end, at most {@code stopTimeout} (one XREADGROUP
     * block and the handler's longest call). What was read and not acknowledged stays pending.
     */
    public void stop() throws InterruptedException {
        thread.stop();
    }

    public boolean running() {
        return thread.running();
    }

    /** Acknowledges entry {@code id} (XACK), on the calling thread. */
    public void ack(String id) {
        commands.xack(settings.stream(), settings.group(), id);
    }

    private void run() {
        pendingCursor = FIRST_PENDING; // every start begins with this consumer's pending entries
        LOG.infof("consuming stream %s as %s/%s", settings.stream(), settings.group(), settings.consumer());
        while (thread.running()) {
            try {
                step();
            } catch (RuntimeException e) {
                if (!thread.running()) {
                    break;
                }
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    groupReady = false; // the stream or its group was deleted (or Redis lost its data): create them again
                    groupLost = true;
                }
                pendingCursor = FIRST_PENDING;
                failed("Redis error: " + e.getMessage());
                thread.pause(backoff.next());
            }
        }
    }

    private void step() {
        if (!groupReady) {
            createGroup();
            groupReady = true;
        }
        claimAbandoned();
        boolean pending = pendingCursor != null;
        List<StreamMessage<String, String, V>> batch = pending
                ? commands.xreadgroup(settings.group(), settings.consumer(), settings.stream(), pendingCursor,
                        new XReadGroupArgs().count(settings.batchSize()))
                : commands.xreadgroup(settings.group(), settings.consumer(), settings.stream(), ">",
                        new XReadGroupArgs().count(settings.batchSize()).block(settings.block()));
        if (pending && batch.isEmpty()) {
            pendingCursor = null; // no more pending entries: read new ones
            return;
        }
        for (StreamMessage<String, String, V> entry : batch) {
            if (!thread.running()) {
                return;
            }
            try {
                handler.handle(entry);
            } catch (EntryNotHandledException e) {
                failed(e.getMessage());
                pendingCursor = FIRST_PENDING;
                thread.pause(backoff.next());
                return;
            }
            if (pending) {
                pendingCursor = entry.id();
            }
        }
        recovered();
    }

    /**
     * Creates the group from the configured start; after the group was lost, from the beginning,
     * since everything in the stream then arrived after the loss and would otherwise be skipped.
     */
    private void createGroup() {
        String from = groupLost ? "0" : settings.groupStartId();
        try {
            commands.xgroupCreate(settings.stream(), settings.group(), from, new XGroupCreateArgs().mkstream());
            LOG.infof("created consumer group %s on %s from %s", settings.group(), settings.stream(), from);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Moves entries another consumer left pending too long into this consumer's pending list. */
    private void claimAbandoned() {
        Duration idle = settings.claimIdle();
        Instant now = clock.instant();
        if (idle.isZero() || now.isBefore(lastClaim.plus(idle))) {
            return;
        }
        lastClaim = now;
        int claimed = commands.xautoclaim(settings.stream(), settings.group(), settings.consumer(), idle, "0-0",
                settings.batchSize(), true).getMessages().size();
        if (claimed > 0) {
            LOG.infof("claimed %d entries of %s left pending by another consumer", claimed, settings.stream());
            pendingCursor = FIRST_PENDING;
        }
    }

    private void failed(String what) {
        if (!failing) {
            failing = true;
            LOG.warnf("stream %s: %s; retrying with backoff", settings.stream(), what);
        } else {
            LOG.debugf("stream %s: %s", settings.stream(), what);
        }
    }

    private void recovered() {
        backoff.reset();
        if (failing) {
            failing = false;
            LOG.infof("stream %s: reading again", settings.stream());
        }
    }
}
