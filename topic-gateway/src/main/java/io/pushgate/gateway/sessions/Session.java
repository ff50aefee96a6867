package io.pushgate.gateway.sessions;

import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.security.CredentialCheck;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.operations.WriteOrder;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.delta.DeltaFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * One client connection as the transports see it: its subscriptions and what it has received,
 * its rights, its limits. Every method runs on the connection's event loop
 * ({@link Outbound#executor()}), so the state needs no lock.
 *
 * <p>Per subscribed topic the session remembers only the last seq it sent. That is enough for
 * the delta rule (a delta goes only to a connection that holds {@code seq - 1}) and for
 * conflation: when the connection's write queue is full, a topic is marked pending instead of
 * queueing more frames, and when the queue drains the topic's current whole value is sent.
 * Memory per connection is O(topics), never O(messages). A connection that stays behind longer
 * than the configured limit is closed with {@link CloseCodes#SLOW_CONSUMER}.
 *
 * <p>The work is split by responsibility, each part on this event loop: {@link SessionAccess}
 * (credentials, rights, expiry), {@link RequestLimiter} (request rate, topics added, idleness),
 * {@link SessionSubscriptions} (selectors and subscriptions), {@link Conflation} (a slow client)
 * and {@link EventRecovery} (time series). The update path, {@link #deliver}, stays here.
 */
public final class Session {

    /** Limits that apply to each session. */
    public record Limits(long slowConsumerTimeoutNanos, int maxSelectors, int maxSubscriptions, int maxTopicsAdded,
                         int requestsPerSecond, int requestBurst, long idleTimeoutNanos) {

        /** Only the two limits the fan-out rules need; the rest unbounded (core tests). */
        public Limits(long slowConsumerTimeoutNanos, int maxSelectors) {
            this(slowConsumerTimeoutNanos, maxSelectors, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0);
        }
    }

    private final long id;
    private final Hub hub;
    private final Outbound out;
    private final DeltaFormat format;
    private final WriteOrder writeOrder;
    private final ReplyOrder replies = new ReplyOrder(this);
    private final SessionAccess access;
    private final RequestLimiter limiter;
    final SessionSubscriptions subscriptions;
    final Conflation conflation;
    final EventRecovery recovery;
    private boolean closed;
    private volatile SessionDescription description;

    public Session(long id, Hub hub, Outbound out, DeltaFormat format, Limits limits, LongSupplier nanoClock) {
        this.id = id;
        this.hub = hub;
        this.out = out;
        this.format = format;
        this.access = new SessionAccess(this, hub.security(), nanoClock);
        this.limiter = new RequestLimiter(limits, nanoClock);
        this.subscriptions = new SessionSubscriptions(this, hub, limits);
        this.conflation = new Conflation(this, nanoClock, limits.slowConsumerTimeoutNanos());
        this.recovery = new EventRecovery(this, out);
        this.writeOrder = new WriteOrder(out.executor());
        hub.opened(this);
    }

    public long id() {
        return id;
    }

    public DeltaFormat format() {
        return format;
    }

    public Executor executor() {
        return out.executor();
    }

    Hub hub() {
        return hub;
    }

    // ---- credentials and rights (SessionAccess)

    /**
     * The session's rights as of the last security change: a request that arrives right after a
     * change never runs with the rights from before it, even if the refresh the change queued on
     * this event loop has not run yet.
     */
    public Access access() {
        return access.access();
    }

    /** The session's principal, or {@code anonymous}: the author of its time series events. */
    public String principal() {
        return access.principal();
    }

    public void principal(String principal) {
        access.principal(principal);
    }

    public Credentials credentials() {
        return access.credentials();
    }

    /** The session's roles: its credentials', or the anonymous roles. */
    public List<String> roles() {
        return access.roles();
    }

    /**
     * The session authenticated (or re-authenticated with a fresh token): its rights become its
     * roles' and apply at once to what it is subscribed to.
     */
    public void authenticated(Credentials credentials) {
        access.authenticated(credentials);
        refreshAccess();
        hub.sessionChanged(this);
    }

    /**
     * Asks the token's issuer again what the session's credentials are worth, when they have a
     * {@link CredentialCheck} (token introspection) and its interval has passed since the last time;
     * the hub's sweeper calls it. The answer, back on this event loop:
     * <ul>
     * <li>other roles: they replace the session's and apply at once through {@link #refreshAccess()},
     * so topics it may no longer read are unsubscribed with PERMISSION_DENIED, as for any change of
     * rights;
     * <li>the token no longer accepted ({@code UNAUTHENTICATED}): the session is closed with 4100, as
     * when a token expires;
     * <li>no answer ({@code UNAVAILABLE}): the session keeps its last known roles until the check's
     * grace time has passed since the last confirmation, then is closed with 1013 (try again later).
     * </ul>
     * An answer about credentials the session no longer holds (it sent a fresh token meanwhile) is
     * dropped.
     */
    public void recheckCredentials() {
        access.recheck();
    }

    /**
     * Resolves the session's access again (its roles or their definitions changed) and applies
     * it: topics it may no longer read are unsubscribed with PERMISSION_DENIED, topics its
     * selectors match that it may now read are subscribed.
     */
    public void refreshAccess() {
        if (closed || !access.hasSecurity()) {
            return;
        }
        access.resolve();
        subscriptions.applyAccess(access.access());
    }

    /** Closes the session when its token has expired without a fresh one ({@code auth}) in time. */
    public void checkExpiry(long nowMillis) {
        if (!closed && access.expired(nowMillis)) {
            closeWith(CloseCodes.UNAUTHENTICATED, "the token expired: connect again with a fresh one");
        }
    }

    // ---- limits (RequestLimiter)

    /**
     * Takes one request from the session's token bucket: the average rate and the burst are
     * limits of the configuration. False means the request is refused with RATE_LIMITED.
     */
    public boolean allowRequest() {
        return limiter.allowRequest();
    }

    /** True while the session may add another topic. */
    public boolean mayAddTopic() {
        return limiter.mayAddTopic();
    }

    public void topicAdded() {
        limiter.topicAdded();
    }

    /** Closes a WebSocket that sent nothing for longer than the idle timeout (4002: reconnect). */
    public void checkIdle() {
        if (!closed && out.closesWhenIdle() && limiter.idleTooLong()) {
            closeWith(CloseCodes.IDLE, "no request or ping for longer than the idle timeout");
        }
    }

    // ---- writes and their answers

    /**
     * The order of this session's writes: they reach the store in the order the client sent
     * them, many in flight at once ({@link WriteOrder}).
     */
    public WriteOrder writeOrder() {
        return writeOrder;
    }

    /** Where the answers to this session's writes wait for their turn. */
    ReplyOrder replies() {
        return replies;
    }

    // ---- subscriptions (SessionSubscriptions, EventRecovery)

    /**
     * Positions to resume time series from (path to the last seq the client saw): a later
     * subscription to such a topic sends every retained event after that seq, then live ones.
     */
    public void resumeFrom(Map<String, Long> positions) {
        recovery.resumeFrom(positions);
    }

    /** Adds a selector: subscribes to every matching topic now, and to those added later. */
    public void subscribe(TopicSelector selector) {
        subscribe(selector, selector.expression());
    }

    /**
     * {@link #subscribe(TopicSelector)}, remembering the selector as {@code written} (a selector written
     * twice in two ways is one selector, listed as first written).
     */
    public void subscribe(TopicSelector selector, String written) {
        subscriptions.subscribe(selector, written);
    }

    /**
     * The tids of the topics this session is subscribed to that {@code selector} matches: the {@code tids}
     * of {@code subscribe}'s {@code ok} (those get no new {@code subscription}).
     */
    public List<Long> subscribedTidsMatching(TopicSelector selector) {
        return subscriptions.subscribedTidsMatching(selector);
    }

    /**
     * Removes a selector and unsubscribes from every topic it matches, and from any topic no
     * remaining selector matches (as Diffusion's unsubscribe does). Returns how many topics.
     */
    public int unsubscribe(TopicSelector selector) {
        return subscriptions.unsubscribe(selector);
    }

    /** Subscribes to one topic if a selector matches it, the session may read it, and it is not already. */
    void subscribeTo(Topic topic) {
        subscriptions.subscribeTo(topic);
    }

    void topicRemoved(Topic topic) {
        subscriptions.topicRemoved(topic);
    }

    /** The topics this session is subscribed to, for tests and the admin view. */
    public List<String> subscribedPaths() {
        return subscriptions.paths();
    }

    /** How many topics the session is subscribed to; on the session's event loop. */
    public int subscriptionCount() {
        return subscriptions.count();
    }

    // ---- the update path

    /**
     * Delivers one update to one of this session's subscriptions: a delta or a value, or marks
     * the topic pending when behind. Returns the frame sent, which the caller counts in the stats
     * (once for all the sessions it sent the same frame to: three shared counters per delivery
     * were ~7% of the fan-out profile), or null when none was sent or it was counted here (a time
     * series event).
     */
    Frame deliver(TopicUpdate update, Subscription sub) {
        // The hub holds only current subscriptions: every removal from the map below unregisters
        // the subscription on this same loop, before any later update runs here.
        if (closed || update.seq() <= sub.lastSeq) {
            return null;
        }
        if (sub.isTimeSeries()) {
            recovery.deliver(sub, update);
            return null;
        }
        if (conflation.isBehind() || !out.isWritable()) {
            conflation.markPending(sub);
            return null;
        }
        Frame frame = UpdateFrames.frameFor(update, format, sub.lastSeq == update.seq() - 1);
        out.send(frame);
        sub.lastSeq = update.seq();
        return frame;
    }

    /** True when a frame may be written now: the session is not behind and the queue takes it. */
    boolean mayWrite() {
        return !conflation.isBehind() && out.isWritable();
    }

    /** Sends a control frame (replies, subscription notices): always, even when behind. */
    public void send(Frame frame) {
        if (!closed) {
            out.send(frame);
            hub.stats().countFrame(frame);
        }
    }

    /** Writes a frame of the update path (the session is open), counting it. */
    void write(Frame frame) {
        out.send(frame);
        hub.stats().countFrame(frame);
    }

    // ---- a slow client (Conflation)

    /**
     * The transport calls this when the write queue has drained: send the current whole value
     * of each topic that fell behind, as long as the queue takes them.
     */
    public void drained() {
        if (!closed) {
            conflation.drained(out);
        }
    }

    /** Closes the session if it has been behind for longer than the limit; the hub's sweeper calls it. */
    public void checkSlowConsumer() {
        if (isBehind() && out.isWritable()) {
            // The drain handler fires only after a full queue; this also catches topics marked
            // pending for another reason (a failed read of stored events).
            drained();
        }
        if (conflation.behindTooLong()) {
            hub.stats().slowConsumersClosed.increment();
            closeWith(CloseCodes.SLOW_CONSUMER, "slow consumer: behind for longer than the limit");
        }
    }

    public boolean isBehind() {
        return conflation.isBehind();
    }

    // ---- closing

    public boolean isClosed() {
        return closed;
    }

    /** Closes the connection with {@code code} and forgets the session. */
    void closeWith(int code, String reason) {
        out.close(code, reason);
        close();
    }

    /** Closes the connection with the "reconnect elsewhere" code (4000) and forgets the session. */
    public void shutdown(String reason) {
        if (!closed) {
            closeWith(CloseCodes.SHUTDOWN, reason);
        }
    }

    /** Closes the session because a controller asked to ({@link CloseCodes#CLOSED_BY_CONTROLLER}: do not reconnect at once). */
    public void closeByController(String reason) {
        if (!closed) {
            closeWith(CloseCodes.CLOSED_BY_CONTROLLER, reason);
        }
    }

    /** Forgets every subscription; the transport calls this when the connection ends. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriptions.clear();
        conflation.clear();
        hub.closed(this);
    }

    // ---- session properties and session control (issue 18: sessions and session filters)

    /** The transport says what the session is when it opens (id, transport, address, user properties). */
    public void describe(SessionDescription description) {
        this.description = description;
    }

    /** What the session is; null for a session no transport described (core tests). */
    public SessionDescription description() {
        return description;
    }

    /** The session's id across replicas ({@code $SessionId}), or {@code session-<n>} when undescribed. */
    public String sessionId() {
        SessionDescription d = description;
        return d == null ? toString() : d.sessionId();
    }

    /** Every property of the session now: the fixed ones and the user ones (empty when undescribed). */
    public Map<String, String> properties() {
        SessionDescription d = description;
        return d == null ? Map.of() : d.properties(principal(), roles());
    }

    /** Replaces the user properties (a controller set them); on the session's event loop. */
    public void userProperties(Map<String, String> properties) {
        SessionDescription d = description;
        if (d != null && !closed) {
            description = d.withUserProperties(properties);
            hub.sessionChanged(this);
        }
    }

    @Override
    public String toString() {
        return "session-" + id;
    }
}
