package io.pushgate.bridge.forward;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@link ForwardQueue#CHANNEL} and appends each record to the pipeline stream, one at a
 * time in arrival order. Reactive Messaging acknowledges a record's message when the returned
 * {@link Uni} succeeds and negatively acknowledges it when it fails; processing goes on either way.
 */
@ApplicationScoped
public class Forwarder {

    private static final Logger LOG = Logger.getLogger(Forwarder.class);

    private final PipelineWriter writer;
    private final ForwardMeters meters;
    private volatile boolean failing;

    public Forwarder(PipelineWriter writer, ForwardMeters meters) {
        this.writer = writer;
        this.meters = meters;
    }

    @Incoming(ForwardQueue.CHANNEL)
    public Uni<Void> forward(ForwardRecord record) {
        return writer.append(record)
                .invoke(id -> {
                    meters.forwarded(record);
                    if (failing) {
                        failing = false;
                        LOG.info("forwarding to the pipeline stream works again");
                    }
                })
                .onFailure().invoke(error -> {
                    meters.failed(record.source(), record.name(), "write");
                    if (!failing) {
                        failing = true;
                        LOG.warnf("cannot forward to the pipeline stream (%s); failures are counted in bridge_forward_failures_total until it works again", error.getMessage());
                    }
                })
                .replaceWithVoid();
    }
}
