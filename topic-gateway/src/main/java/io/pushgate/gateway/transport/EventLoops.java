package io.pushgate.gateway.transport;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One {@link Executor} per Vert.x event loop, shared by every connection on that loop. The hub
 * groups subscribers by executor, so an update is handed to each loop once. A task submitted
 * from the loop's own thread runs at once; from elsewhere it is queued on the loop, in order.
 */
public final class EventLoops {

    private static final Map<Context, Executor> EXECUTORS = new ConcurrentHashMap<>();

    private EventLoops() {
    }

    /** The executor of the event loop the caller runs on. */
    public static Executor current() {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("not on a Vert.x event loop");
        }
        // Quarkus runs each request on a duplicated context; the loop is its root context.
        ContextInternal root = ((ContextInternal) context).unwrap();
        return EXECUTORS.computeIfAbsent(root, EventLoops::executorOf);
    }

    private static Executor executorOf(Context context) {
        ContextInternal loop = (ContextInternal) context;
        return task -> {
            if (loop.nettyEventLoop().inEventLoop()) {
                task.run();
            } else {
                loop.runOnContext(v -> task.run());
            }
        };
    }
}
