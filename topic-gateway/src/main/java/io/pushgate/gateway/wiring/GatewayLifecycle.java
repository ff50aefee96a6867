package io.pushgate.gateway.wiring;

import io.pushgate.gateway.control.SessionControl;
import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.presence.PresenceKeeper;
import io.pushgate.gateway.security.SecurityFollower;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.security.SecurityStore;
import io.pushgate.gateway.sessions.GatewayStats;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.replication.TopicMirror;
import io.pushgate.gateway.transport.AcceptedDuringShutdownFilter;
import io.pushgate.gateway.transport.Draining;
import io.pushgate.gateway.views.ViewStore;
import io.pushgate.gateway.views.ViewEngine;
import io.pushgate.jwt.TokenVerifier;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Starts the core when the application starts and stops it when it stops, in order: the views
 * store, the session directory, the issuers' keys, following the store's changes, presence and
 * messaging; then a short wait for the first load of the tree, then the once-a-second sweep of
 * the sessions. On shutdown, {@link #drain} first.
 */
@ApplicationScoped
public class GatewayLifecycle {

    private static final Logger LOG = Logger.getLogger(GatewayLifecycle.class);
    /** How often deadlines are checked: a request times out at most this long after its timeout. */
    static final long EXPIRY_CHECK_MILLIS = 50;
    /** How long the start waits for the first load of the tree. */
    static final Duration FIRST_LOAD_WAIT = Duration.ofSeconds(10);
    /** How long shutdown waits for the clients to close their sessions. */
    static final Duration SESSIONS_CLOSE_WAIT = Duration.ofSeconds(5);
    /** How often those two waits look again. */
    static final long POLL_MILLIS = 20;

    private final Vertx vertx;
    private final StoreSet stores;
    private final TopicMirror mirror;
    private final ViewEngine views;
    private final ViewStore viewStore;
    private final SecurityStore securityStore;
    private final SecurityService security;
    private final SessionDirectory sessionDirectory;
    private final SessionControl sessionControl;
    private final TokenVerifier tokens;
    private final PresenceKeeper presence;
    private final Messaging messaging;
    private final Hub hub;
    private final GatewayStats stats;
    private final Draining draining;
    private final CoreThreads threads;
    private long sweeper = -1;
    /** The sweeper's slices of the sessions (by session number): one each tick. */
    private static final int SWEEP_SLICES = 10;
    private long sweeps;
    private long expiryTimer = -1;

    GatewayLifecycle(Vertx vertx, StoreSet stores, TopicMirror mirror, ViewEngine views, SecurityService security,
                     SessionControl sessionControl, TokenVerifier tokens, PresenceKeeper presence, Messaging messaging, Hub hub,
                     GatewayStats stats, Draining draining, CoreThreads threads) {
        this.vertx = vertx;
        this.stores = stores;
        this.mirror = mirror;
        this.views = views;
        this.viewStore = stores.ports().views();
        this.securityStore = stores.ports().security();
        this.security = security;
        this.sessionDirectory = stores.ports().sessions();
        this.sessionControl = sessionControl;
        this.tokens = tokens;
        this.presence = presence;
        this.messaging = messaging;
        this.hub = hub;
        this.stats = stats;
        this.draining = draining;
        this.threads = threads;
    }

    void start(@Observes StartupEvent event) {
        viewStore.start(views);
        sessionDirectory.start();
        tokens.prefetch();
        stores.ports().changes().listen(ChangeRouter.listeners(mirror, views, viewStore, new SecurityFollower(security, securityStore)));
        presence.start();
        stores.routerStart().start(messaging::received, messaging::handlerPaths);
        expiryTimer = vertx.setPeriodic(EXPIRY_CHECK_MILLIS, id -> messaging.expire());
        // Wait a little for the first load so that a restarted gateway serves its topics at
        // once; if Redis is not there, start anyway and report not-ready until it is.
        if (!await(mirror::isReady, FIRST_LOAD_WAIT)) {
            LOG.warn("the topic store did not answer at start; the gateway reports not-ready until it does");
        }
        // Every session is looked at once a second, a tenth of them every tenth of a second: all
        // of them at once put thousands of tasks on the event loops in one burst, which delayed
        // the updates behind them by milliseconds once a second (issue 14: the breadth p99).
        sweeper = vertx.setPeriodic(1000 / SWEEP_SLICES, id -> {
            long now = System.currentTimeMillis();
            int slice = (int) (sweeps++ % SWEEP_SLICES);
            hub.sessions().forEach(s -> {
                if (s.id() % SWEEP_SLICES == slice) {
                    s.executor().execute(() -> {
                        s.checkSlowConsumer();
                        s.checkExpiry(now);
                        s.recheckCredentials();
                        s.checkIdle();
                        sessionControl.refresh(s);
                    });
                }
            });
        });
    }

    /**
     * Graceful shutdown (SIGTERM, a rolling update): hand the views to another replica, tell
     * every client to reconnect elsewhere (close code 4000) and give the connections a moment
     * to close cleanly. Clients lose nothing: they resubscribe on another replica, and time
     * series subscribers resume from the last seq they saw.
     */
    void draining(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    void stop(@Observes ShutdownEvent event) {
        drain();
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
        }
        stores.routerStop().run();
        threads.shutdownNow();
        stores.close().run();
    }

    private synchronized void drain() {
        if (!draining.begin()) {
            return;
        }
        AcceptedDuringShutdownFilter.stopping();
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        viewStore.stop();
        sessionDirectory.stop();
        for (Session session : hub.sessions()) {
            session.executor().execute(() -> session.shutdown("the gateway is shutting down: reconnect"));
        }
        await(() -> stats.sessions.get() == 0, SESSIONS_CLOSE_WAIT);
        LOG.infof("closed client sessions for shutdown; %d left", stats.sessions.get());
        // After the sessions: their sessions leave the presence topics now, not after the replica TTL.
        presence.stop();
    }

    /**
     * Waits (on the thread of the start or the shutdown, never an event loop) until the condition
     * holds or the time is up; true if it holds. A Vert.x timer looks again every
     * {@value #POLL_MILLIS} ms.
     */
    private boolean await(BooleanSupplier condition, Duration timeout) {
        try {
            return when(condition, timeout).toCompletableFuture().join();
        } catch (RuntimeException e) {
            LOG.debugf("stopped waiting: %s", e.toString());
            return condition.getAsBoolean();
        }
    }

    /** Completes with true once the condition holds, with false once the time is up. */
    private CompletionStage<Boolean> when(BooleanSupplier condition, Duration timeout) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        // Should Vert.x stop firing timers (it is closing), the wait still ends.
        done.completeOnTimeout(false, timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        if (condition.getAsBoolean()) {
            done.complete(true);
            return done;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        vertx.setPeriodic(POLL_MILLIS, id -> {
            if (condition.getAsBoolean()) {
                vertx.cancelTimer(id);
                done.complete(true);
            } else if (System.nanoTime() - deadline >= 0) {
                vertx.cancelTimer(id);
                done.complete(false);
            }
        });
        return done;
    }
}
