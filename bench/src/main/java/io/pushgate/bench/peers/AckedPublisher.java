package io.pushgate.bench.peers;

/**
 * A publisher whose every message is acknowledged by the server: the ingest scenario's writer.
 * What an acknowledgement means differs and the report says so: the gateway's {@code ok} comes
 * once the value is stored in Redis (and applied by the gateway); NATS's {@code PONG} and Redis's
 * {@code PUBLISH} reply once the server has processed (routed) it, storing nothing; Socket.IO's ack
 * once its handler has emitted it to the room through its Redis adapter.
 */
public interface AckedPublisher extends Publisher {

    /** What an acknowledgement reports: {@code error} null when the server accepted the message. */
    interface AckHandler {
        void acked(long token, String error);
    }

    /** Publishes {@code payload} to topic {@code topic}; its acknowledgement comes back with {@code token}. */
    void publish(int topic, byte[] payload, long token);

    @Override
    default void publish(int topic, byte[] payload) {
        publish(topic, payload, -1);
    }
}
