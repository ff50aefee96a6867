package io.pushgate.gateway.wiring;

import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.control.SessionControl;
import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.control.SessionOps;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.messaging.MessagingRequests;
import io.pushgate.gateway.presence.PresenceCounts;
import io.pushgate.gateway.presence.PresenceKeeper;
import io.pushgate.gateway.presence.PresenceStore;
import io.pushgate.gateway.security.Authenticator;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.sessions.GatewayStats;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.RequestDispatcher;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.replication.TopicMirror;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.operations.TopicService;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.gateway.views.ReferenceWriter;
import io.pushgate.gateway.views.RemoteSources;
import io.pushgate.gateway.views.ViewEngine;
import io.pushgate.protocol.TopicType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The plain-Java core, each object built once from the configuration and the store ports: the
 * tree, the hub and the mirror that applies the store's changes to them, the topic service, the
 * view engine, presence, session control and the WebSocket's request dispatcher. What listens to
 * what (the hub's listeners, the dispatcher's extensions) is connected where the listener is made.
 */
@ApplicationScoped
public class CoreProducers {

    @Produces
    @Singleton
    TopicTree tree() {
        return new TopicTree();
    }

    @Produces
    @Singleton
    GatewayStats stats() {
        return new GatewayStats();
    }

    @Produces
    @Singleton
    Hub hub(TopicTree tree, GatewayStats stats, EventHistory history, SecurityService security) {
        return new Hub(tree, stats, history, security);
    }

    @Produces
    @Singleton
    TopicMirror mirror(TopicTree tree, Hub hub, TopicStore store) {
        return new TopicMirror(tree, hub, store);
    }

    @Produces
    @Singleton
    TopicService topics(TopicTree tree, TopicStore store, TopicMirror mirror, EventHistory history, GatewayConfig config) {
        GatewayConfig.Limits limits = config.limits();
        return new TopicService(tree, store, new TopicService.Limits(limits.maxTopics(), limits.maxValueBytes()), mirror, history);
    }

    @Produces
    @Singleton
    SessionControl sessionControl(Hub hub, SessionDirectory directory, GatewayConfig config) {
        GatewayConfig.Sessions sc = config.sessions();
        return new SessionControl(hub, directory,
                new SessionControl.Limits(sc.maxUserProperties(), sc.maxPropertyValueBytes(), sc.maxFilterDepth(), sc.callTimeout()));
    }

    /** The ops of the WebSocket: topics, and the session-control and messaging requests. */
    @Produces
    @Singleton
    RequestDispatcher dispatcher(TopicService topics, GatewayStats stats, Authenticator authenticator, SessionControl sessionControl,
                                 Messaging messaging, GatewayConfig config) {
        GatewayConfig.Limits limits = config.limits();
        RequestDispatcher dispatcher = new RequestDispatcher(topics, stats, limits.maxFrameBytes(), limits.maxJsonDepth(), authenticator);
        dispatcher.sessionOps(new SessionOps(sessionControl));
        dispatcher.messaging(new MessagingRequests(messaging));
        return dispatcher;
    }

    @Produces
    @Singleton
    Session.Limits sessionLimits(GatewayConfig config) {
        GatewayConfig.Limits limits = config.limits();
        return new Session.Limits(limits.slowConsumerTimeout().toNanos(), limits.maxSelectorsPerSession(),
                limits.maxSubscriptionsPerSession(), limits.maxTopicsPerSession(), limits.maxRequestsPerSecond(),
                limits.requestBurst(), limits.idleTimeout().toNanos());
    }

    /**
     * The view engine, on its own thread, writing reference topics through the topic service; it
     * follows the hub's topics, and a view acts with its creator's rights, so a change of roles
     * applies to views as to sessions. Remote views take their sources from the client adapter's
     * bean where one is deployed.
     */
    @Produces
    @Singleton
    ViewEngine views(TopicTree tree, TopicService topics, Hub hub, SecurityService security, CoreThreads threads,
                     Instance<RemoteSources> remoteSources, GatewayConfig config) {
        ViewEngine views = new ViewEngine(tree, new ReferenceWriter() {
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
        }, threads.views, () -> System.nanoTime() / 1_000_000, creator -> security.accessFor(creator.principal(), creator.roles()),
                remoteSources.isResolvable() ? remoteSources.get() : RemoteSources.NONE, config.views().maxWatchedInsertions());
        hub.addListener(views);
        security.onChange(views::rightsChanged);
        return views;
    }

    /** Presence topics: this replica's counts, and on the writer replica the sums, written through the topic service. */
    @Produces
    @Singleton
    PresenceKeeper presence(TopicTree tree, PresenceStore store, TopicService topics, Hub hub, CoreThreads threads,
                            GatewayConfig config) {
        PresenceKeeper presence = new PresenceKeeper(tree, store, new PresenceKeeper.TopicWriter() {
            private final TopicSpec spec = TopicSpec.of(TopicType.JSON);

            @Override
            public CompletionStage<Long> set(String path, PresenceCounts value, long ifSeq) {
                return topics.setKept(path, spec, TopicValue.fromText(TopicType.JSON, value.toJson()), ifSeq);
            }

            @Override
            public CompletionStage<Boolean> remove(String path) {
                return topics.removeKept(path);
            }
        }, threads.presence, new PresenceKeeper.Settings(config.presence().coalesce(), config.presence().replicaTtl()),
                UUID.randomUUID().toString());
        hub.addListener(presence);
        hub.addSubscriptionListener(presence);
        return presence;
    }
}
