package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.message.MessageCodec;
import io.pushgate.protocol.message.ServerMessage;
import java.lang.System.Logger.Level;

/**
 * What each message from the gateway is ({@link MessageCodec} decodes it, once) and where it goes,
 * on the socket's reading thread: replies
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
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "ignored a frame that is not JSON: {0}", abbreviate(text));
            return;
        }
        ServerMessage message;
        try {
            message = decode(json);
        } catch (ProtocolException e) {
            LOG.log(Level.WARNING, "ignored a malformed message ({0}): {1}", e.getMessage(), abbreviate(text));
            return;
        }
        if (requests.complete(message, json)) {
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

    /**
     * A message of the gateway as its record.
     *
     * @throws ProtocolException if it is not a JSON object or lacks a field its type needs
     */
    static ServerMessage decode(JsonNode json) {
        if (!(json instanceof ObjectNode object)) {
            throw ProtocolException.invalid("a message is a JSON object");
        }
        return MessageCodec.fromJson(object);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
