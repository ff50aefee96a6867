package io.pushgate.gateway.wiring;

import io.pushgate.gateway.config.MessagingConfig;
import io.pushgate.gateway.control.SessionControl;
import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.control.SessionEntry;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.filter.SessionFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Request/response messaging ({@link Messaging}, plain Java) over the store's router to the other
 * replicas, following the hub's sessions; requests to a session filter go to the sessions the
 * directory lists. Its timeouts are driven by {@link GatewayLifecycle}.
 */
@ApplicationScoped
public class MessagingProducers {

    private static final Logger LOG = Logger.getLogger(MessagingProducers.class);

    @Produces
    @Singleton
    Messaging messaging(Messaging.Router router, SessionDirectory directory, SessionControl control, Hub hub, MessagingConfig config) {
        // The session directory's replica id: a session's messaging id is its $SessionId.
        String replica = directory.replicaId();
        Messaging messaging = new Messaging(replica, router, new Messaging.Limits(config.maxPendingPerSession(),
                config.maxUnansweredPerSession(), config.maxPending(), config.maxHandlersPerSession(), config.maxRequestBytes(),
                config.maxResponseBytes(), config.defaultTimeout().toMillis(), config.maxTimeout().toMillis(), config.maxFilterTargets()),
                System::currentTimeMillis, RandomGenerator.of("L64X128MixRandom"));
        // Requests to a session filter: the sessions the directory lists (every replica's) that the filter selects.
        messaging.sessionFinder((access, filter) -> control.list(access, SessionFilter.parse(filter, control.limits().maxFilterDepth()))
                .thenApply(entries -> entries.stream().map(SessionEntry::sessionId).toList()));
        hub.addSessionListener(messaging.sessionListener());
        LOG.infof("messaging: replica %s", replica);
        return messaging;
    }
}
