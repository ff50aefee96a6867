package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import java.lang.System.Logger.Level;

/**
 * What each message from the gateway is and where it goes, on the socket's reading thread: replies
 * complete their requests there (so that code waiting on a reply never waits for the event
 * thread), messaging goes to {@link Messaging}, and push messages queue for the event thread, which
 * hands them to {@link TopicStreams} in the order they came.
 */
final class Inbound {

    private static final System.Logger LOG = System.getLogger(PushgateClient.class.getName());

    private final Connector connector;
    private final Requests requests;
    private final Messaging messaging;
    private final TopicStreams streams;
    private final ClientThreads threads;

    Inbound(Connector connector, Requests requests, Messaging messaging, TopicStreams streams, ClientThreads threads) {
        this.connector = connector;
        this.requests = requests;
        this.messaging = messaging;
        this.streams = streams;
        this.threads = threads;
    }

    void received(Connection c, String text) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "ignored a frame that is not JSON: {0}", abbreviate(text));
            return;
        }
        if (requests.complete(message)) {
            return;
        }
        if (messaging.received(message)) {
            return;
        }
        c.queued();
        if (!threads.post(() -> {
            try {
                if (c == connector.connection()) {
                    streams.onMessage(message);
                }
            } finally {
                c.handled();
            }
        })) {
            c.handled();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
