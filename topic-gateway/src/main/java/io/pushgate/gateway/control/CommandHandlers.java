package io.pushgate.gateway.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.ProtocolException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The handlers of a {@link SessionDirectory}'s commands, one per kind: what every implementation runs a command with. */
public final class CommandHandlers {

    private final Map<String, Function<JsonNode, CompletionStage<JsonNode>>> handlers = new ConcurrentHashMap<>();

    /** Handles the commands of a kind (replacing any handler of it). */
    public void put(String kind, Function<JsonNode, CompletionStage<JsonNode>> handler) {
        handlers.put(kind, handler);
    }

    /** Runs a command: its handler's answer, or a failed stage (INVALID for a kind without a handler; what the handler threw). */
    public CompletionStage<JsonNode> run(String kind, JsonNode payload) {
        Function<JsonNode, CompletionStage<JsonNode>> handler = handlers.get(kind);
        if (handler == null) {
            return CompletableFuture.failedFuture(ProtocolException.invalid("no handler of commands '" + kind + "'"));
        }
        try {
            return handler.apply(payload);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
