package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A gateway connection for unit tests: records each request and lets the test answer it. */
final class FakeGateway implements TopicStreams.Gateway {

    record Sent(ObjectNode request, CompletableFuture<JsonNode> reply) {
        String op() {
            return request.path("op").asText();
        }

        String selector() {
            return request.path("selector").asText();
        }

        void ok() {
            reply.complete(Msg.json("{'type':'ok'}"));
        }

        /** A {@code subscribe}'s ok naming the topics the connection already had that the selector matches. */
        void ok(long... tids) {
            var ok = (com.fasterxml.jackson.databind.node.ObjectNode) Msg.json("{'type':'ok'}");
            var array = ok.putArray("tids");
            for (long tid : tids) {
                array.add(tid);
            }
            reply.complete(ok);
        }

        void answer(String json) {
            reply.complete(Msg.json(json));
        }
    }

    final List<Sent> sent = new ArrayList<>();
    boolean connected = true;

    @Override
    public CompletableFuture<JsonNode> request(ObjectNode request) {
        if (!connected) {
            return CompletableFuture.failedFuture(new PushgateException.ConnectionLost("not connected"));
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        sent.add(new Sent(request, reply));
        return reply;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    /** The requests of one op not answered yet, oldest first. */
    List<Sent> open(String op) {
        return sent.stream().filter(s -> s.op().equals(op) && !s.reply().isDone()).toList();
    }

    /** Answers every open request of this op with ok (pong for pings). */
    void okAll(String op) {
        for (Sent s : open(op)) {
            s.answer(op.equals("ping") ? "{'type':'pong'}" : "{'type':'ok'}");
        }
    }

    /** The connection dropped: every open request fails as the client fails them. */
    void drop() {
        connected = false;
        for (Sent s : sent) {
            s.reply().completeExceptionally(new PushgateException.ConnectionLost("dropped"));
        }
    }
}
