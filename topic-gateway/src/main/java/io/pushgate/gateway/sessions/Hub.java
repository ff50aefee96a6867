package io.pushgate.gateway.sessions;

import io.pushgate.gateway.replication.TopicListener;
import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.selectors.SelectorIndex;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Knows which session is subscribed to which topic, and hands topic events to them. It knows
 * nothing of transports: sessions reach their clients through {@link Outbound}.
 *
 * <p>Threading: topic events ({@link #topicAdded}, {@link #topicUpdated}, {@link #topicRemoved})
 * come from the single change applier ({@link io.pushgate.gateway.replication.TopicMirror}), in
 * order, and go first to the hub's own topic listeners (the view engine, the presence keeper);
 * each is then passed to every event loop that has subscribers, once, and runs there. Session calls run on the session's own event loop.
 */
public final class Hub implements TopicListener {

    private final TopicTree tree;
    private final GatewayStats stats;
    private final SelectorIndex<Session> selectors = new SelectorIndex<>();
    private final Map<Long, TopicSubscribers> subscribers = new ConcurrentHashMap<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final EventHistory history;
    private final List<TopicListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds a listener that sees every topic change before the sessions do; it must only hand the change over. */
    public void addListener(TopicListener listener) {
        listeners.add(listener);
    }

    /**
     * Sees every subscription of a session to a topic begin and end, whatever the cause (a
     * subscribe, a topic added that a selector matches, an unsubscribe, a change of rights, the
     * topic removed, the session closed). Called on the session's event loop, in order for that
     * session; the presence keeper is one.
     */
    public interface SubscriptionListener {
        void subscribed(Session session, Topic topic);

        void unsubscribed(Session session, Topic topic);
    }

    private final List<SubscriptionListener> subscriptionListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds a subscription listener; like a topic listener, it must only hand the change over. */
    public void addSubscriptionListener(SubscriptionListener listener) {
        subscriptionListeners.add(listener);
    }

    private final SecurityService security;

    public Hub(TopicTree tree, GatewayStats stats, EventHistory history) {
        this(tree, stats, history, null);
    }

    /**
     * With a security service, sessions start with the anonymous roles and re-resolve their
     * access whenever roles or principals change; without one, every session may do everything.
     */
    public Hub(TopicTree tree, GatewayStats stats, EventHistory history, SecurityService security) {
        this.tree = tree;
        this.stats = stats;
        this.history = history;
        this.security = security;
        if (security != null) {
            security.onChange(() -> sessions.forEach(s -> s.executor().execute(s::refreshAccess)));
        }
    }

    public SecurityService security() {
        return security;
    }

    /** Stored time series events, for late joiners and recovery. */
    public EventHistory history() {
        return history;
    }

    public TopicTree tree() {
        return tree;
    }

    public GatewayStats stats() {
        return stats;
    }

    public Set<Session> sessions() {
        return sessions;
    }

    void opened(Session session) {
        sessions.add(session);
        stats.sessions.incrementAndGet();
        sessionListeners.forEach(l -> l.opened(session));
    }

    void closed(Session session) {
        if (sessions.remove(session)) {
            stats.sessions.decrementAndGet();
            sessionWatchers.forEach(w -> w.closed(session));
        }
        selectors.removeAll(session);
        sessionListeners.forEach(l -> l.closed(session));
    }

    // ------------------------------------------------------------------ session listeners (messaging)

    /** Told of every session that opens or closes on this gateway, on the session's event loop. */
    public interface SessionListener {
        default void opened(Session session) {
        }

        default void closed(Session session) {
        }
    }

    private final List<SessionListener> sessionListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void addSessionListener(SessionListener listener) {
        sessionListeners.add(listener);
    }

    // ---- session watchers (issue 18: the session directory follows sessions through these)

    /** Told when a session's principal, roles or user properties change, and when it closes; on the session's event loop. */
    public interface SessionWatcher {
        void changed(Session session);

        void closed(Session session);
    }

    private final List<SessionWatcher> sessionWatchers = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void watchSessions(SessionWatcher watcher) {
        sessionWatchers.add(watcher);
    }

    void sessionChanged(Session session) {
        sessionWatchers.forEach(w -> w.changed(session));
    }

    void addSelector(TopicSelector selector, Session session) {
        selectors.add(selector, session);
    }

    void removeSelector(TopicSelector selector, Session session) {
        selectors.remove(selector, session);
    }

    void register(Subscription sub) {
        subscribers.computeIfAbsent(sub.topic.tid(), tid -> new TopicSubscribers()).add(sub);
        stats.subscriptions.incrementAndGet();
        for (SubscriptionListener l : subscriptionListeners) {
            l.subscribed(sub.session, sub.topic);
        }
    }

    void unregister(Subscription sub) {
        TopicSubscribers subs = subscribers.get(sub.topic.tid());
        if (subs != null) {
            subs.remove(sub);
        }
        stats.subscriptions.decrementAndGet();
        for (SubscriptionListener l : subscriptionListeners) {
            l.unsubscribed(sub.session, sub.topic);
        }
    }

    /** A topic appeared: sessions whose selectors match it subscribe to it. */
    @Override
    public void topicAdded(Topic topic) {
        listeners.forEach(l -> l.topicAdded(topic));
        Map<Executor, List<Session>> byLoop = new HashMap<>();
        for (Session session : selectors.subscribersMatching(topic.path())) {
            byLoop.computeIfAbsent(session.executor(), e -> new ArrayList<>()).add(session);
        }
        byLoop.forEach((loop, list) -> loop.execute(() -> {
            for (Session session : list) {
                session.subscribeTo(topic);
            }
        }));
    }

    /**
     * Topics changed (the updates of one message of the store, in order): each event loop with
     * subscribers to any of them gets one task that delivers all of its own, in order.
     */
    @Override
    public void topicsUpdated(List<TopicUpdate> updates) {
        if (updates.size() == 1) {
            topicUpdated(updates.get(0));
            return;
        }
        stats.updatesApplied.add(updates.size());
        for (TopicListener l : listeners) {
            l.topicsUpdated(updates);
        }
        Map<Executor, ArrayList<Object>> byLoop = new HashMap<>();
        for (TopicUpdate update : updates) {
            TopicSubscribers subs = subscribers.get(update.topic().tid());
            if (subs != null) {
                subs.forEachLoop((loop, set) -> {
                    ArrayList<Object> work = byLoop.computeIfAbsent(loop, l -> new ArrayList<>());
                    work.add(update);
                    work.add(set);
                });
            }
        }
        byLoop.forEach((loop, work) -> loop.execute(() -> {
            for (int i = 0; i < work.size(); i += 2) {
                deliver((TopicUpdate) work.get(i), castSubscriptions(work.get(i + 1)));
            }
        }));
    }

    @SuppressWarnings("unchecked")
    private static Iterable<Subscription> castSubscriptions(Object set) {
        return (Iterable<Subscription>) set;
    }

    /** A topic changed: each event loop with subscribers delivers the update to its own. */
    @Override
    public void topicUpdated(TopicUpdate update) {
        stats.updatesApplied.increment();
        listeners.forEach(l -> l.topicUpdated(update));
        TopicSubscribers subs = subscribers.get(update.topic().tid());
        if (subs != null) {
            subs.forEachLoop((loop, set) -> loop.execute(() -> deliver(update, set)));
        }
    }

    /** On one event loop: the update to each of its subscribers, counted once per distinct frame. */
    private void deliver(TopicUpdate update, Iterable<Subscription> subscriptions) {
        Frame counting = null;
        long times = 0;
        for (Subscription sub : subscriptions) {
            Frame sent = sub.session.deliver(update, sub);
            if (sent == null) {
                continue;
            }
            if (sent != counting) {
                if (times > 0) {
                    stats.countFrames(counting, times);
                }
                counting = sent;
                times = 0;
            }
            times++;
        }
        if (times > 0) {
            stats.countFrames(counting, times);
        }
    }

    /** A topic was removed: its subscribers are told, and forget it. */
    @Override
    public void topicRemoved(Topic topic) {
        listeners.forEach(l -> l.topicRemoved(topic));
        TopicSubscribers subs = subscribers.remove(topic.tid());
        if (subs != null) {
            subs.forEachLoop((loop, set) -> loop.execute(() -> {
                for (Subscription sub : set) {
                    sub.session.topicRemoved(topic);
                }
            }));
        }
    }

    /** True while the topic is still the one in the tree at its path (not removed, not replaced). */
    boolean isCurrent(Topic topic) {
        return tree.get(topic.path()) == topic;
    }
}
