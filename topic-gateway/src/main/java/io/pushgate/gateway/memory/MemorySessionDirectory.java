package io.pushgate.gateway.memory;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.control.CommandHandlers;
import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.control.SessionEntry;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The session directory of a single node: this replica's sessions are all there is, so nothing
 * expires (a session leaves when it closes) and a command reaches only this replica (its handler
 * runs directly); to any other replica it fails at once with {@code UNAVAILABLE}, as a call to a
 * replica that is gone does.
 */
public final class MemorySessionDirectory implements SessionDirectory {

    private final String replicaId;
    private final Map<String, SessionEntry> sessions = new ConcurrentHashMap<>();
    private final CommandHandlers handlers = new CommandHandlers();

    /** A random replica id, as the Redis directory makes one. */
    public MemorySessionDirectory() {
        this(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12));
    }

    public MemorySessionDirectory(String replicaId) {
        this.replicaId = replicaId;
    }

    @Override
    public String replicaId() {
        return replicaId;
    }

    @Override
    public void register(SessionEntry entry) {
        sessions.put(entry.sessionId(), entry);
    }

    @Override
    public void unregister(String sessionId) {
        sessions.remove(sessionId);
    }

    @Override
    public CompletionStage<List<SessionEntry>> list() {
        return CompletableFuture.completedFuture(new ArrayList<>(sessions.values()));
    }

    @Override
    public CompletionStage<JsonNode> call(String replica, String kind, JsonNode payload, Duration timeout) {
        if (!replica.equals(replicaId)) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.UNAVAILABLE, "replica " + replica + " is not listening"));
        }
        return handlers.run(kind, payload);
    }

    @Override
    public void handle(String kind, Function<JsonNode, CompletionStage<JsonNode>> handler) {
        handlers.put(kind, handler);
    }

    @Override
    public void start() {
    }

    /** A graceful shutdown: this replica's entries go. */
    @Override
    public void stop() {
        sessions.clear();
    }
}
