package io.pushgate.gateway.sessions;

import java.util.ArrayDeque;

/**
 * The answers to one session's writes, sent in the order the writes were made (docs/protocol.md:
 * "writes of one session are applied and acknowledged in the order it sent them"). Writes are in
 * flight together, and one refused at once (a bad field) would otherwise be answered before the
 * writes made ahead of it; its answer waits in its place instead. Answers to writes of the store
 * come back in order anyway, so nothing usually waits. On the session's event loop only.
 */
final class ReplyOrder {

    /** The place of one write's answer. */
    final class Slot {
        private Frame answer;

        /** The write's answer: sent once every answer ahead of it has been. */
        void fill(Frame frame) {
            answer = frame;
            while (!slots.isEmpty() && slots.peek().answer != null) {
                session.send(slots.poll().answer);
            }
        }
    }

    private final Session session;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();

    ReplyOrder(Session session) {
        this.session = session;
    }

    /** A place for the answer to the write being made now. */
    Slot reserve() {
        Slot slot = new Slot();
        slots.add(slot);
        return slot;
    }
}
