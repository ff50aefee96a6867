package io.pushgate.gateway.core;

import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.presence.PresenceKeeper;
import io.pushgate.gateway.redis.RedisEventHistory;
import io.pushgate.gateway.redis.RedisPresenceStore;
import io.pushgate.gateway.redis.RedisSecurityStore;
import io.pushgate.gateway.redis.RedisViews;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.oidc.HttpIntrospectionEndpoint;
import io.pushgate.gateway.security.introspection.IntrospectingAuthenticator;
import io.pushgate.gateway.security.introspection.TokenIntrospection;
import io.pushgate.jwt.TokenVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.gateway.views.ReferenceWriter;
import io.pushgate.gateway.views.RemoteSources;
import jakarta.enterprise.inject.Instance;
import io.pushgate.gateway.views.ViewEngine;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.pushgate.gateway.redis.RedisTopicStore;
import io.pushgate.gateway.sessions.GatewayStats;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.RequestDispatcher;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.replication.TopicMirror;
import io.pushgate.gateway.operations.TopicService;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.transport.ConnectionLimiter;
import io.pushgate.gateway.transport.OriginCheck;
import io.pushgate.gateway.transport.AcceptedDuringShutdownFilter;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Builds the plain-Java core (tree, hub, mirror, services) once, wired to the Redis store, and
 * starts following the store's changes when the application starts. The transports get
 * everything they need from here.
 */
@ApplicationScoped
public class GatewayCore {

    private static final Logger LOG = Logger.getLogger(GatewayCore.class);
    /** gateway.redis.shards when 0 (automatic) on a Redis Cluster: enough to spread over a few dozen masters. */
    static final int DEFAULT_CLUSTER_SHARDS = 16;

    private final Vertx vertx;
    private final TopicTree tree = new TopicTree();
    private final GatewayStats stats = new GatewayStats();
    private final Hub hub;
    private final RedisTopicStore store;
    private final RedisEventHistory history;
    private final TopicMirror mirror;
    private final TopicService topics;
    private final RequestDispatcher dispatcher;
    private final Session.Limits sessionLimits;
    private final int maxFrameBytes;
    private final AtomicLong sessionIds = new AtomicLong();
    private final ScheduledExecutorService viewThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pushgate-views");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService presenceThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pushgate-presence");
        t.setDaemon(true);
        return t;
    });
    private final PresenceKeeper presence;
    private final ViewEngine views;
    private final RedisViews viewStore;
    private final SecurityService security;
    private final RedisSecurityStore securityStore;
    private final TokenVerifier tokens;
    private final IntrospectingAuthenticator authenticator;
    private long sweeper = -1;
    private volatile boolean draining;
    private final ConnectionLimiter connections;
    private final OriginCheck origins;
    private final io.pushgate.gateway.redis.RedisSessionDirectory sessionDirectory;
    private final io.pushgate.gateway.control.SessionControl sessionControl;

    public OriginCheck origins() {
        return origins;
    }

    /** Open connections per client address. */
    public ConnectionLimiter connections() {
        return connections;
    }

    public GatewayCore(Vertx vertx, Redis redis, GatewayConfig config,
                       @ConfigProperty(name = "quarkus.redis.hosts", defaultValue = "redis://localhost:6379") String redisHosts,
                       @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String redisClientType,
                       Instance<RemoteSources> remoteSources) {
        this.vertx = vertx;
        GatewayConfig.Redis r = config.redis();
        boolean cluster = "cluster".equalsIgnoreCase(redisClientType.trim());
        int shards = r.shards() > 0 ? r.shards() : cluster ? DEFAULT_CLUSTER_SHARDS : 0;
        this.store = new RedisTopicStore(vertx, redis, r.keyPrefix(), redisHosts.split(",")[0].trim(),
                RedisTopicStore.laneLimits(r.writeBatchChanges(), r.writeBatchBytes(), r.writesInFlight(), r.maxQueuedWrites(),
                        r.applyWait().toMillis(), r.writeBacklog(), r.waitReplicas(), r.waitTimeout().toMillis()), shards, cluster);
        LOG.infof("topic store: %s, %s%s", cluster ? "a Redis Cluster" : "one Redis", shards == 0 ? "unsharded" : shards + " shards",
                r.waitReplicas() > 0 ? ", each write confirmed by " + r.waitReplicas() + " replica(s)" : "");
        this.history = new RedisEventHistory(redis, config.redis().keyPrefix(), shards, tree);
        this.security = new SecurityService(config.security().anonymousRoles());
        this.hub = new Hub(tree, stats, history, security);
        this.securityStore = new RedisSecurityStore(redis, config.redis().keyPrefix(), shards, security);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.tokens = TokenVerifier.builder(http)
                .issuers(config.security().issuers())
                .audience(config.security().audience())
                .clockSkew(config.security().clockSkew())
                .build();
        this.authenticator = new IntrospectingAuthenticator(tokens::verify, introspections(http, config.security()));
        this.mirror = new TopicMirror(tree, hub, store);
        GatewayConfig.Limits limits = config.limits();
        this.topics = new TopicService(tree, store, new TopicService.Limits(limits.maxTopics(), limits.maxValueBytes()), mirror, history);
        this.dispatcher = new RequestDispatcher(topics, stats, limits.maxFrameBytes(), limits.maxJsonDepth(), this::authenticate);
        this.connections = new ConnectionLimiter(limits.maxConnectionsPerAddress());
        this.origins = new OriginCheck(config.security().allowedOrigins());
        this.views = new ViewEngine(tree, new ReferenceWriter() {
            @Override
            public CompletionStage<Long> set(String path, TopicSpec spec, TopicValue value) {
                return topics.setReference(path, spec, value);
            }

            @Override
            public CompletionStage<Long> append(String path, TopicSpec spec, TopicValue value, String author) {
                return topics.appendReference(path, spec, value, author);
            }

            @Override
            public CompletionStage<Boolean> remove(String path) {
                return topics.removeReference(path);
            }
        }, viewThread, () -> System.nanoTime() / 1_000_000, creator -> security.accessFor(creator.principal(), creator.roles()),
                // remote views take their sources from the client adapter's bean where one is deployed
                remoteSources.isResolvable() ? remoteSources.get() : RemoteSources.NONE, config.views().maxWatchedInsertions());
        this.hub.addListener(views);
        // A view acts with its creator's rights: a change of roles applies to views as to sessions.
        this.security.onChange(views::rightsChanged);
        this.viewStore = new RedisViews(vertx, redis, config.redis().keyPrefix(), store.shards());
        this.presence = new PresenceKeeper(tree, new RedisPresenceStore(redis, config.redis().keyPrefix(), store.shards()),
                new PresenceKeeper.TopicWriter() {
                    private final TopicSpec spec = TopicSpec.of(io.pushgate.protocol.TopicType.JSON);

                    @Override
                    public CompletionStage<Long> set(String path, io.pushgate.gateway.presence.PresenceCounts value, long ifSeq) {
                        return topics.setKept(path, spec, TopicValue.fromText(io.pushgate.protocol.TopicType.JSON, value.toJson()), ifSeq);
                    }

                    @Override
                    public CompletionStage<Boolean> remove(String path) {
                        return topics.removeKept(path);
                    }
                }, presenceThread, new PresenceKeeper.Settings(config.presence().coalesce(), config.presence().replicaTtl()),
                java.util.UUID.randomUUID().toString());
        this.hub.addListener(presence);
        this.hub.addSubscriptionListener(presence);
        this.maxFrameBytes = limits.maxFrameBytes();
        GatewayConfig.Sessions sc = config.sessions();
        if (sc.directoryHeartbeat().compareTo(sc.directoryTtl()) >= 0) {
            throw new IllegalStateException("gateway.sessions.directory-heartbeat (" + sc.directoryHeartbeat()
                    + ") must be less than gateway.sessions.directory-ttl (" + sc.directoryTtl() + ")");
        }
        this.sessionDirectory = new io.pushgate.gateway.redis.RedisSessionDirectory(vertx, redis,
                new io.pushgate.gateway.redis.RedisSessionDirectory.Settings(r.keyPrefix(), shards, cluster, redisHosts.split(",")[0].trim(),
                        sc.directoryTtl(), sc.directoryHeartbeat()));
        this.sessionControl = new io.pushgate.gateway.control.SessionControl(hub, sessionDirectory,
                new io.pushgate.gateway.control.SessionControl.Limits(sc.maxUserProperties(), sc.maxPropertyValueBytes(),
                        sc.maxFilterDepth(), sc.callTimeout()));
        this.dispatcher.sessionOps(new io.pushgate.gateway.control.SessionOps(sessionControl));
        this.sessionLimits = new Session.Limits(limits.slowConsumerTimeout().toNanos(), limits.maxSelectorsPerSession(),
                limits.maxSubscriptionsPerSession(), limits.maxTopicsPerSession(), limits.maxRequestsPerSecond(),
                limits.requestBurst(), limits.idleTimeout().toNanos());
    }

    /** The token introspection of each issuer configured for it (none by default). */
    private static List<TokenIntrospection> introspections(HttpClient http, GatewayConfig.Security security) {
        List<TokenIntrospection> out = new ArrayList<>();
        for (Map.Entry<String, GatewayConfig.Introspection> entry : security.introspection().entrySet()) {
            String prefix = "gateway.security.introspection." + entry.getKey();
            GatewayConfig.Introspection c = entry.getValue();
            if (!security.issuers().contains(c.issuer())) {
                throw new IllegalStateException(prefix + ".issuer '" + c.issuer() + "' is not one of gateway.security.issuers "
                        + security.issuers());
            }
            URI url;
            try {
                url = URI.create(c.url());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(prefix + ".url is not a URL: " + e.getMessage());
            }
            HttpIntrospectionEndpoint endpoint;
            try {
                endpoint = new HttpIntrospectionEndpoint(http, url, c.clientId(), c.clientSecret(), c.timeout());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(prefix + ": " + e.getMessage());
            }
            out.add(new TokenIntrospection(endpoint,
                    new TokenIntrospection.Settings(c.issuer(), c.cacheTtl(), c.recheckInterval(), c.grace()), System::nanoTime));
            LOG.infof("tokens of issuer %s are introspected: %s (answers kept %s, open sessions re-checked every %s, grace %s)",
                    c.issuer(), endpoint, c.cacheTtl(), c.recheckInterval(), c.grace());
        }
        return out;
    }

    void start(@Observes StartupEvent event) {
        viewStore.start(views);
        sessionDirectory.start();
        tokens.prefetch();
        store.listen(new ChangeRouter(mirror, views, viewStore, securityStore));
        presence.start();
        // Wait a little for the first load so that a restarted gateway serves its topics at
        // once; if Redis is not there, start anyway and report not-ready until it is.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!mirror.isReady() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!mirror.isReady()) {
            LOG.warn("the topic store did not answer at start; the gateway reports not-ready until it does");
        }
        sweeper = vertx.setPeriodic(1000, id -> {
            long now = System.currentTimeMillis();
            hub.sessions().forEach(s -> s.executor().execute(() -> {
                s.checkSlowConsumer();
                s.checkExpiry(now);
                s.recheckCredentials();
                s.checkIdle();
                sessionControl.refresh(s);
            }));
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
        viewThread.shutdownNow();
        presenceThread.shutdownNow();
    }

    /** True once shutdown began: new connections are refused with 503 so clients go elsewhere. */
    public boolean isDraining() {
        return draining;
    }

    private synchronized void drain() {
        if (draining) {
            return;
        }
        draining = true;
        AcceptedDuringShutdownFilter.stopping();
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        viewStore.stop();
        sessionDirectory.stop();
        for (Session session : hub.sessions()) {
            session.executor().execute(() -> session.shutdown("the gateway is shutting down: reconnect"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stats.sessions.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.infof("closed client sessions for shutdown; %d left", stats.sessions.get());
        // After the sessions: their sessions leave the presence topics now, not after the replica TTL.
        presence.stop();
    }

    /** The session operations (list, close, set properties, subscribe, unsubscribe), across replicas. */
    public io.pushgate.gateway.control.SessionControl sessionControl() {
        return sessionControl;
    }

    /** The cross-replica session directory (and the replicas' command channels). */
    public io.pushgate.gateway.control.SessionDirectory sessionDirectory() {
        return sessionDirectory;
    }

    /**
     * Describes a session a transport just opened and enters it in the directory: its id across
     * replicas, its transport ({@code WEBSOCKET}, {@code SSE}), the client's address and the user
     * properties it asked for. On the session's event loop.
     */
    public void describe(Session session, String transport, String clientIp, java.util.Map<String, String> userProperties) {
        session.describe(new io.pushgate.gateway.sessions.SessionDescription(sessionControl.sessionIdFor(session.id()), transport,
                clientIp, System.currentTimeMillis(), userProperties));
        sessionControl.opened(session);
    }

    public ViewEngine views() {
        return views;
    }

    public RedisViews viewStore() {
        return viewStore;
    }

    /**
     * Verifies a bearer token against the trusted issuers and, for an issuer with token
     * introspection, asks the issuer whether it is still active and with which roles. Fails with
     * UNAUTHENTICATED (refused) or UNAVAILABLE (the issuer's introspection cannot be reached).
     */
    public CompletionStage<Credentials> authenticate(String token) {
        return authenticator.authenticate(token);
    }

    public SecurityService security() {
        return security;
    }

    public RedisSecurityStore securityStore() {
        return securityStore;
    }

    public long nextSessionId() {
        return sessionIds.incrementAndGet();
    }

    public TopicTree tree() {
        return tree;
    }

    public GatewayStats stats() {
        return stats;
    }

    public Hub hub() {
        return hub;
    }

    public TopicService topics() {
        return topics;
    }

    public RequestDispatcher dispatcher() {
        return dispatcher;
    }

    /** The largest request the gateway reads, in bytes (WebSocket frame, REST body). */
    public int dispatcherLimitBytes() {
        return maxFrameBytes;
    }

    public Session.Limits sessionLimits() {
        return sessionLimits;
    }

    public TopicMirror mirror() {
        return mirror;
    }

    public RedisTopicStore store() {
        return store;
    }
}
