package io.pushgate.gateway.memory;

import io.pushgate.gateway.messaging.Messaging;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Messaging's router on a single node: the only replica is this one, so the handler registry is
 * this replica's own paths and a message to any other replica reaches no one (false at once, as
 * a publish no replica follows). A message to this replica's own inbox is handed to it directly.
 */
public final class MemoryMessageRouter implements Messaging.Router {

    private final String replica;
    private final Set<String> paths = new HashSet<>();
    private volatile Consumer<String> inbox;

    public MemoryMessageRouter(String replica) {
        this.replica = replica;
    }

    /** Starts handing messages sent to this replica to {@code inbox} (as {@code RedisMessageRouter.start} does). */
    public void start(Consumer<String> inbox) {
        this.inbox = inbox;
    }

    @Override
    public CompletionStage<Boolean> send(String to, String message) {
        Consumer<String> here = inbox;
        if (!to.equals(replica) || here == null) {
            return CompletableFuture.completedFuture(false);
        }
        here.accept(message);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletionStage<Map<String, Set<String>>> handlers(List<String> asked) {
        Map<String, Set<String>> found = new HashMap<>();
        for (String path : asked) {
            if (paths.contains(path)) {
                found.put(path, Set.of(replica));
            }
        }
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public synchronized CompletionStage<Void> handlerAdded(String path) {
        paths.add(path);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void handlerRemoved(String path) {
        paths.remove(path);
    }
}
