package io.pushgate.client;

import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link ClientStats}; updated from any thread. */
final class Counters {

    final AtomicLong framesReceived = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicLong framesSent = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong valuesReceived = new AtomicLong();
    final AtomicLong deltasApplied = new AtomicLong();
    final AtomicLong resyncs = new AtomicLong();
    final AtomicLong reconnections = new AtomicLong();
    final AtomicLong duplicatesDropped = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong failovers = new AtomicLong();

    void received(CharSequence frame) {
        framesReceived.incrementAndGet();
        bytesReceived.addAndGet(Values.utf8Length(frame));
    }

    void sent(CharSequence frame) {
        framesSent.incrementAndGet();
        bytesSent.addAndGet(Values.utf8Length(frame));
    }

    ClientStats snapshot() {
        return new ClientStats(framesReceived.get(), bytesReceived.get(), framesSent.get(), bytesSent.get(),
                valuesReceived.get(), deltasApplied.get(), resyncs.get(), reconnections.get(),
                duplicatesDropped.get(), gaps.get(), failovers.get());
    }
}
