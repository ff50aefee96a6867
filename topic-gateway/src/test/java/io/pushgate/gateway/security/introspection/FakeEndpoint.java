package io.pushgate.gateway.security.introspection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An introspection endpoint in memory: answers each token with the reply set for it (active with
 * roles by default), or fails while "down"; can hold its answers back to test calls in flight.
 */
final class FakeEndpoint implements IntrospectionEndpoint {

    final List<String> asked = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> replies = new ConcurrentHashMap<>();
    private final List<Runnable> held = new ArrayList<>();
    volatile boolean down;
    volatile boolean holding;

    void reply(String token, Map<String, Object> reply) {
        replies.put(token, reply);
    }

    void active(String token, String sub, String... roles) {
        reply(token, Map.of("active", true, "sub", sub, "realm_access", Map.of("roles", List.of(roles))));
    }

    void inactive(String token) {
        reply(token, Map.of("active", false));
    }

    int calls() {
        return asked.size();
    }

    @Override
    public CompletionStage<Map<String, Object>> introspect(String token) {
        asked.add(token);
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        Runnable respond = () -> {
            if (down) {
                answer.completeExceptionally(new IntrospectionUnavailableException("cannot reach http://127.0.0.1:1/introspect: ConnectException"));
            } else {
                answer.complete(replies.getOrDefault(token, Map.of("active", false)));
            }
        };
        synchronized (held) {
            if (holding) {
                held.add(respond);
                return answer;
            }
        }
        respond.run();
        return answer;
    }

    /** Sends every held answer. */
    void release() {
        List<Runnable> now;
        synchronized (held) {
            holding = false;
            now = List.copyOf(held);
            held.clear();
        }
        now.forEach(Runnable::run);
    }
}
