package io.pushgate.support.redis;

/**
 * Thrown by a {@link StreamConsumerLoop.EntryHandler} that could not finish an entry for a
 * passing reason (the next stage refused it or timed out): the loop goes back to its pending
 * entries after a back-off, so the entry is read again, first, and order is kept.
 */
public class EntryNotHandledException extends Exception {

    public EntryNotHandledException(String why) {
        super(why, null, false, false);
    }
}
