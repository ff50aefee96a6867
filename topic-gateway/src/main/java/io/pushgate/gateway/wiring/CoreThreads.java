package io.pushgate.gateway.wiring;

import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The core's own threads, off the event loops: the view engine's and presence's (each one
 * thread, so that their state needs no locks). Stopped last, by {@link GatewayLifecycle}.
 */
@Singleton
class CoreThreads {

    final ScheduledExecutorService views = daemon("pushgate-views");
    final ScheduledExecutorService presence = daemon("pushgate-presence");

    void shutdownNow() {
        views.shutdownNow();
        presence.shutdownNow();
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
