package io.pushgate.bench.peers;

import io.pushgate.bench.load.IngestProbe;
import io.vertx.core.Future;

/** A system the ingest scenario can drive: acknowledged publishes, and one subscriber to every topic. */
public interface Ingesting {

    /** A publisher on the publishers' event loop whose acknowledgements go to {@code acks}, on that loop. */
    Future<AckedPublisher> ackedPublisher(String namespace, AckedPublisher.AckHandler acks);

    /**
     * One connection subscribed to topics {@code 0..topics-1} of {@code namespace}: a wildcard where
     * the system has one ({@code ?bench/ns/} on the gateway, {@code bench.ns.>} on NATS), else every
     * topic by name. Completes once subscribed.
     */
    Future<Subscriber> subscribeAll(int source, String namespace, int topics, IngestProbe probe);
}
