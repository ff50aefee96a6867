package io.pushgate.bridge.passthrough;

import io.pushgate.bridge.redis.ChannelName;
import io.pushgate.bridge.redis.RedisMessage;
import io.pushgate.bridge.redis.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The clients of one passthrough channel, its Redis subscription and its counters. */
final class Room {

    private final ChannelName channel;
    private final ChannelMeters meters;
    private final Runnable onSlowClose;
    private final List<ClientSender> clients = new CopyOnWriteArrayList<>();
    private Subscription subscription;

    Room(ChannelName channel, ChannelMeters meters, Runnable onSlowClose) {
        this.channel = channel;
        this.meters = meters;
        this.onSlowClose = onSlowClose;
    }

    ChannelName channel() {
        return channel;
    }

    ChannelMeters meters() {
        return meters;
    }

    void attach(Subscription subscription) {
        this.subscription = subscription;
    }

    void add(ClientSender client) {
        clients.add(client);
    }

    void remove(ClientSender client) {
        clients.remove(client);
    }

    boolean isEmpty() {
        return clients.isEmpty();
    }

    int size() {
        return clients.size();
    }

    /** Pushes a message Redis delivered to every client; called on the pub/sub connection's event loop. */
    void deliver(RedisMessage message) {
        Frame frame = Frame.of(message.payload());
        meters.inMessages.increment();
        meters.inBytes.add(frame.size());
        for (ClientSender client : clients) {
            ClientSender.Outcome outcome = client.send(frame);
            if (outcome == ClientSender.Outcome.SENT) {
                meters.outMessages.increment();
                meters.outBytes.add(frame.size());
            } else {
                meters.dropped.increment();
                if (outcome == ClientSender.Outcome.CLOSED) {
                    onSlowClose.run();
                }
            }
        }
    }

    /** Unsubscribes and unregisters the counters. */
    void close() {
        if (subscription != null) {
            subscription.close();
        }
        meters.remove();
    }
}
