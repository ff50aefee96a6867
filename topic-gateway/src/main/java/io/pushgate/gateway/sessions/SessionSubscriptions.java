package io.pushgate.gateway.sessions;

import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's selectors and the topic subscriptions they give it: which topics it is subscribed
 * to, kept in step with its selectors, its rights and the topics of the tree, within the limits
 * on selectors and subscriptions. Every subscription begins and ends here, registered with the
 * hub in the same step. On the session's event loop only.
 */
final class SessionSubscriptions {

    private final Session session;
    private final Hub hub;
    private final Session.Limits limits;
    /** The session's selectors, each with its text as the client (or a controller) wrote it: {@code subscription} lists those. */
    private final Map<TopicSelector, String> selectors = new LinkedHashMap<>();
    private final Map<Long, Subscription> byTid = new HashMap<>();
    private boolean subscriptionLimitReported;

    SessionSubscriptions(Session session, Hub hub, Session.Limits limits) {
        this.session = session;
        this.hub = hub;
        this.limits = limits;
    }

    /**
     * Adds a selector, remembered as {@code written} (a selector written twice in two ways is one
     * selector, listed as first written): subscribes to every matching topic now, and to those added later.
     */
    void subscribe(TopicSelector selector, String written) {
        if (!selectors.containsKey(selector) && selectors.size() >= limits.maxSelectors()) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "at most " + limits.maxSelectors() + " selectors per session");
        }
        if (selectors.putIfAbsent(selector, written) == null) {
            hub.addSelector(selector, session);
        }
        hub.tree().forEachMatching(selector, this::subscribeTo);
    }

    /** See {@link Session#unsubscribe(TopicSelector)}. */
    int unsubscribe(TopicSelector selector) {
        if (selectors.remove(selector) != null) {
            hub.removeSelector(selector, session);
        }
        int count = 0;
        for (Iterator<Subscription> it = byTid.values().iterator(); it.hasNext(); ) {
            Subscription sub = it.next();
            String path = sub.topic.path();
            if (selector.matches(path) || !selectedByAny(path)) {
                it.remove();
                ended(sub, "REQUESTED");
                count++;
            }
        }
        return count;
    }

    /** The rights changed: ends what they no longer allow, subscribes to what they now do. */
    void applyAccess(Access access) {
        for (Iterator<Subscription> it = byTid.values().iterator(); it.hasNext(); ) {
            Subscription sub = it.next();
            String path = sub.topic.path();
            if (!access.canSelect(path) || !access.canRead(path)) {
                it.remove();
                ended(sub, "PERMISSION_DENIED");
            }
        }
        for (TopicSelector selector : List.copyOf(selectors.keySet())) {
            hub.tree().forEachMatching(selector, this::subscribeTo);
        }
    }

    /** Subscribes to one topic if a selector matches it, the session may read it, and it is not already. */
    void subscribeTo(Topic topic) {
        if (session.isClosed() || byTid.containsKey(topic.tid()) || !selectedByAny(topic.path())
                || !session.access().canSelect(topic.path()) || !session.access().canRead(topic.path())) {
            return;
        }
        if (byTid.size() >= limits.maxSubscriptions()) {
            if (!subscriptionLimitReported) {
                subscriptionLimitReported = true;
                session.send(Messages.error(null, ErrorCode.RATE_LIMITED, "at most " + limits.maxSubscriptions()
                        + " topic subscriptions per session: " + topic.path() + " and further matching topics are not subscribed"));
            }
            return;
        }
        Subscription sub = new Subscription(session, topic);
        // Register before reading the state: an update applied after the read reaches this
        // session through the hub, one applied before is in the state read below.
        hub.register(sub);
        if (!hub.isCurrent(topic)) {
            hub.unregister(sub);
            return;
        }
        byTid.put(topic.tid(), sub);
        session.send(Messages.subscription(topic, matchingSelectors(topic.path())));
        if (sub.isTimeSeries()) {
            session.recovery.started(sub);
            return;
        }
        Topic.State state = topic.state();
        if (state.value() == null) {
            sub.lastSeq = state.seq();
        } else if (!session.mayWrite()) {
            session.conflation.markPending(sub);
        } else {
            session.write(UpdateFrames.valueFrame(topic, state, session.format()));
            sub.lastSeq = state.seq();
        }
    }

    void topicRemoved(Topic topic) {
        Subscription sub = byTid.remove(topic.tid());
        if (sub != null && sub.topic == topic) {
            ended(sub, "REMOVED");
        }
    }

    /** Ends a subscription the session cannot keep up with (conflation policy {@code unsubscribe}). */
    void conflatedAway(Subscription sub) {
        byTid.remove(sub.topic.tid());
        hub.unregister(sub);
        session.send(Messages.unsubscribed(sub.topic, "CONFLATED_AWAY"));
    }

    private void ended(Subscription sub, String reason) {
        session.conflation.forget(sub);
        hub.unregister(sub);
        session.send(Messages.unsubscribed(sub.topic, reason));
    }

    /** True while {@code sub} is the session's subscription to its topic (not ended, not replaced). */
    boolean isCurrent(Subscription sub) {
        return byTid.get(sub.topic.tid()) == sub;
    }

    Collection<Subscription> all() {
        return byTid.values();
    }

    int count() {
        return byTid.size();
    }

    List<String> paths() {
        List<String> paths = new ArrayList<>();
        byTid.values().forEach(s -> paths.add(s.topic.path()));
        return paths;
    }

    /** Forgets every subscription and selector (the session closed). */
    void clear() {
        for (Subscription sub : byTid.values()) {
            hub.unregister(sub);
        }
        byTid.clear();
        selectors.clear();
    }

    /**
     * The tids of the topics this session is subscribed to that {@code selector} matches: the {@code tids}
     * of {@code subscribe}'s {@code ok} (those get no new {@code subscription}).
     */
    List<Long> subscribedTidsMatching(TopicSelector selector) {
        List<Long> tids = new ArrayList<>();
        for (Subscription sub : byTid.values()) {
            if (selector.matches(sub.topic.path())) {
                tids.add(sub.topic.tid());
            }
        }
        return tids;
    }

    /** The session's selectors that match {@code path}, as written: a {@code subscription}'s {@code selectors}. */
    private List<String> matchingSelectors(String path) {
        List<String> matching = new ArrayList<>(1);
        selectors.forEach((selector, written) -> {
            if (selector.matches(path)) {
                matching.add(written);
            }
        });
        return matching;
    }

    private boolean selectedByAny(String path) {
        for (TopicSelector selector : selectors.keySet()) {
            if (selector.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
