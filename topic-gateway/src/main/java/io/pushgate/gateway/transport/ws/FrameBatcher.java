package io.pushgate.gateway.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.pushgate.gateway.sessions.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One per event loop and batch delay: the connections of that loop that have messages waiting,
 * flushed together by one task. With {@code ?batch=lines} a connection's waiting messages leave
 * as one frame, one message per line; without it (the contract's default) they leave as one
 * frame each, but in one write (one system call) per connection and flush.
 *
 * <p>When the flush runs: a message after a quiet spell leaves on the loop's next turn, with no
 * added wait. Messages that keep coming are grouped, because the next flush waits as long after
 * the last one ended as the last one took (writing a frame to each of a thousand connections
 * takes milliseconds, nearly all of it system calls): flushing never takes more than about half
 * of the loop, the rest goes to taking updates in, and each connection gets the messages that
 * arrived meanwhile in one write. Without that pause a fast gateway hands every update to the
 * kernel at once, one frame and one system call per message per subscriber, and the backlog
 * forms in the clients and the kernel instead. A client may also ask for a fixed
 * {@code batch-delay} (Centrifugo's {@code write_delay} idea): then flushes are at least that
 * far apart.
 */
final class FrameBatcher {

    private static final Logger LOG = Logger.getLogger(FrameBatcher.class);

    private record Key(EventLoop loop, long delayNanos, long maxPauseNanos) {
    }

    private static final Map<Key, FrameBatcher> BY_LOOP = new ConcurrentHashMap<>();

    private final EventLoop loop;
    private final long delayNanos;
    private final long maxPauseNanos;
    private long lastStart = Long.MIN_VALUE / 4;
    private long lastEnd = Long.MIN_VALUE / 4;
    private ArrayList<BatchedOutbound> waiting = new ArrayList<>();
    private ArrayList<BatchedOutbound> flushing = new ArrayList<>();
    private boolean scheduled;
    /** Made once: scheduling the flush allocates nothing. */
    private final Runnable flushTask = this::flushAll;
    /** The last batch encoded, reused by the next connection whose waiting frames are the same ones (a fan-out). */
    private final ArrayList<Frame> lastFrames = new ArrayList<>();
    /**
     * Held until the next batch is encoded or the flush ends; every connection writes a retained
     * duplicate of it, so the bytes are copied into direct memory once per batch rather than by
     * Netty once per connection.
     */
    private ByteBuf lastEncoded;
    private boolean lastWithHeader;
    private boolean lastLines;

    private FrameBatcher(Key key) {
        this.loop = key.loop();
        this.delayNanos = key.delayNanos();
        this.maxPauseNanos = key.maxPauseNanos();
    }

    /**
     * The batcher of this loop for connections that asked for this delay (0: none); the pause
     * after a slow flush (a GC pause in it, say) is at most {@code maxPauseMillis}.
     */
    static FrameBatcher of(EventLoop loop, long delayMillis, long maxPauseMillis) {
        return BY_LOOP.computeIfAbsent(new Key(loop, TimeUnit.MILLISECONDS.toNanos(delayMillis),
                TimeUnit.MILLISECONDS.toNanos(maxPauseMillis)), FrameBatcher::new);
    }

    /** A connection of this loop has its first message waiting; called on the loop. */
    void waiting(BatchedOutbound outbound) {
        waiting.add(outbound);
        if (!scheduled) {
            scheduled = true;
            long pause = Math.min(lastEnd - lastStart, maxPauseNanos);
            long earliest = Math.max(lastEnd + pause, lastStart + delayNanos);
            long wait = earliest - System.nanoTime();
            if (wait <= 0) {
                loop.execute(flushTask);
            } else {
                loop.schedule(flushTask, wait, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void flushAll() {
        scheduled = false;
        lastStart = System.nanoTime();
        ArrayList<BatchedOutbound> batch = waiting;
        waiting = flushing;
        flushing = batch;
        for (int i = 0; i < batch.size(); i++) {
            try {
                batch.get(i).flush();
            } catch (RuntimeException e) {
                // One connection's failure (it closed meanwhile) must not keep the others waiting.
                LOG.debugf("flushing a batched WebSocket failed: %s", e.getMessage());
            }
        }
        batch.clear();
        forgetLast();
        lastEnd = System.nanoTime();
    }

    /**
     * The frames joined by newlines ({@code payloadBytes} long in all), with a WebSocket frame
     * header in front when {@code withHeader}, in a direct buffer from {@code alloc}.
     * Connections of one loop that wait for the same frames (subscribers of the same topics)
     * share it: the caller writes a {@link ByteBuf#retainedDuplicate()} and never releases it.
     */
    ByteBuf encodeLines(List<Frame> frames, int payloadBytes, boolean withHeader, ByteBufAllocator alloc) {
        if (sameAsLast(frames, true, withHeader)) {
            return lastEncoded;
        }
        int headerLength = withHeader ? WebSocketFrames.headerLength(payloadBytes) : 0;
        ByteBuf encoded = alloc.directBuffer(headerLength + payloadBytes);
        if (withHeader) {
            byte[] header = new byte[headerLength];
            WebSocketFrames.writeHeader(header, payloadBytes);
            encoded.writeBytes(header);
        }
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) {
                encoded.writeByte('\n');
            }
            encoded.writeBytes(frames.get(i).utf8());
        }
        return remember(frames, encoded, true, withHeader);
    }

    /**
     * The frames one after the other, each a whole WebSocket frame with its header: what a
     * connection without {@code batch} writes in one go. Shared like {@link #encodeLines}.
     */
    ByteBuf encodeFrames(List<Frame> frames, ByteBufAllocator alloc) {
        if (sameAsLast(frames, false, true)) {
            return lastEncoded;
        }
        int length = 0;
        for (int i = 0; i < frames.size(); i++) {
            length += WebSocketFrames.encoded(frames.get(i)).length;
        }
        ByteBuf encoded = alloc.directBuffer(length);
        for (int i = 0; i < frames.size(); i++) {
            encoded.writeBytes(WebSocketFrames.encoded(frames.get(i)));
        }
        return remember(frames, encoded, false, true);
    }

    private boolean sameAsLast(List<Frame> frames, boolean lines, boolean withHeader) {
        if (lastEncoded == null || lastLines != lines || lastWithHeader != withHeader || lastFrames.size() != frames.size()) {
            return false;
        }
        for (int i = 0; i < frames.size(); i++) {
            if (lastFrames.get(i) != frames.get(i)) {
                return false;
            }
        }
        return true;
    }

    private ByteBuf remember(List<Frame> frames, ByteBuf encoded, boolean lines, boolean withHeader) {
        forgetLast();
        lastFrames.addAll(frames);
        lastEncoded = encoded;
        lastLines = lines;
        lastWithHeader = withHeader;
        return encoded;
    }

    /** Drops the batcher's own reference; the duplicates written keep the bytes until written. */
    private void forgetLast() {
        lastFrames.clear();
        if (lastEncoded != null) {
            lastEncoded.release();
            lastEncoded = null;
        }
    }

    /** What the batcher needs of a connection. */
    interface BatchedOutbound {
        /** Writes the waiting messages (if any are left). */
        void flush();
    }
}
