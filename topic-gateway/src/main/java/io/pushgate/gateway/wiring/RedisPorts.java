package io.pushgate.gateway.wiring;

import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.presence.PresenceStore;
import io.pushgate.gateway.security.SecurityStore;
import io.pushgate.gateway.store.ChangeStream;
import io.pushgate.gateway.store.Stores;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.views.ViewStore;

/** The Redis adapters as one set of ports ({@code gateway.store=redis}, built by {@link StoreProducers}). */
record RedisPorts(TopicStore topics, ChangeStream changes, EventHistory history, ViewStore views, SecurityStore security,
                  PresenceStore presence, SessionDirectory sessions, Messaging.Router messages) implements Stores {
}
