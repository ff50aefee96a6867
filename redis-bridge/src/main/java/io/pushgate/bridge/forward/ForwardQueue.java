package io.pushgate.bridge.forward;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The in-memory Reactive Messaging channel {@value #CHANNEL} between the readers (pub/sub listeners,
 * stream readers) and the {@link Forwarder}. A record's message is acknowledged once the forwarder
 * has appended it to the pipeline stream, and negatively acknowledged if it could not: that is
 * what lets a stream reader XACK only after a successful forward.
 *
 * <p>Bounded: at most {@value #BUFFER} records wait for the forwarder; past that, {@link #offer}
 * drops and {@link #submit} fails at once.
 */
@ApplicationScoped
public class ForwardQueue {

    public static final String CHANNEL = "bridge-forward";
    static final int BUFFER = 1024;

    private final Emitter<ForwardRecord> emitter;

    public ForwardQueue(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<ForwardRecord> emitter) {
        this.emitter = emitter;
    }

    /** At most once (pub/sub): queues the record, or answers false if the queue is full. */
    public boolean offer(ForwardRecord record) {
        try {
            emitter.send(Message.of(record));
            return true;
        } catch (RuntimeException full) {
            return false;
        }
    }

    /** At least once (streams): completes when the record has been forwarded, fails when it could not be. */
    public CompletionStage<Void> submit(ForwardRecord record) {
        try {
            return emitter.send(record);
        } catch (RuntimeException full) {
            return CompletableFuture.failedFuture(full);
        }
    }
}
