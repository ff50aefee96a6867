package io.pushgate.gateway.memory;

import io.pushgate.gateway.views.ViewEngine;
import io.pushgate.gateway.views.ViewStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * View definitions in memory, their changes delivered by the {@link MemoryChangeStream}. There
 * is one node, so it owns every view: a claim always succeeds and never expires.
 */
public final class MemoryViewStore implements ViewStore {

    private static final Logger LOG = Logger.getLogger(MemoryViewStore.class);

    private final Map<String, String> definitions = new HashMap<>();
    private final MemoryChangeStream changes;
    private volatile ViewEngine engine;

    public MemoryViewStore(MemoryChangeStream changes) {
        this.changes = changes;
    }

    @Override
    public synchronized CompletionStage<Boolean> put(String name, String stored) {
        boolean created = definitions.put(name, stored) == null;
        return changes.publish(l -> l.views().defined(name, stored), created);
    }

    @Override
    public synchronized CompletionStage<Boolean> remove(String name) {
        if (definitions.remove(name) == null) {
            return CompletableFuture.completedFuture(false);
        }
        return changes.publish(l -> l.views().removed(name), true);
    }

    @Override
    public synchronized CompletionStage<Map<String, String>> loadAll() {
        return CompletableFuture.completedFuture(new HashMap<>(definitions));
    }

    @Override
    public void start(ViewEngine engine) {
        this.engine = engine;
    }

    @Override
    public void reload() {
        ViewEngine e = engine;
        if (e == null) {
            return;
        }
        loadAll().whenComplete((views, error) -> {
            if (error != null) {
                LOG.warnv("cannot load the view definitions: {0}", error.getMessage());
            } else {
                e.defineAll(views);
                e.names().forEach(this::claim);
            }
        });
    }

    @Override
    public CompletionStage<Boolean> claim(String name) {
        ViewEngine e = engine;
        if (e != null) {
            e.owned(name, true);
        }
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public void stop() {
    }
}
