package io.pushgate.backend.write;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The bounded buffer of ops waiting for the gateway, oldest first. When it holds
 * {@code capacity} ops, offering a droppable one (a price) first drops the oldest droppable op
 * waiting; ops that are not droppable (moderation actions) are always taken, so only they can
 * take it past its capacity. Thread-safe.
 */
public final class WriteQueue {

    private final int capacity;
    private final Deque<WriteOp> ops = new ArrayDeque<>();

    public WriteQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the buffer needs room for at least one write");
        }
        this.capacity = capacity;
    }

    /** Adds an op at the end; returns the op it dropped to make room, or null. */
    public synchronized WriteOp offer(WriteOp op) {
        WriteOp dropped = null;
        if (op.droppable() && ops.size() >= capacity) {
            for (Iterator<WriteOp> it = ops.iterator(); it.hasNext(); ) {
                WriteOp waiting = it.next();
                if (waiting.droppable()) {
                    it.remove();
                    dropped = waiting;
                    break;
                }
            }
        }
        ops.addLast(op);
        notifyAll();
        return dropped;
    }

    /** Takes the oldest op, waiting up to the timeout for one; null if none came. */
    public synchronized WriteOp poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (ops.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return ops.pollFirst();
    }

    /** Removes and returns the waiting ops that match. */
    public synchronized List<WriteOp> removeIf(Predicate<WriteOp> match) {
        List<WriteOp> removed = new ArrayList<>();
        for (Iterator<WriteOp> it = ops.iterator(); it.hasNext(); ) {
            WriteOp op = it.next();
            if (match.test(op)) {
                it.remove();
                removed.add(op);
            }
        }
        return removed;
    }

    public synchronized int size() {
        return ops.size();
    }

    public int capacity() {
        return capacity;
    }
}
