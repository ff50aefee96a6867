package io.pushgate.gateway.sessions;

import io.pushgate.protocol.Causes;
import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.security.CredentialCheck;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.WriteOrder;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.gateway.timeseries.RetentionRange;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection's subscriptions and what it has received. Every method runs on the
 * connection's event loop ({@link Outbound#executor()}), so the state needs no lock.
 *
 * <p>Per subscribed topic the session remembers only the last seq it sent. That is enough for
 * the delta rule (a delta goes only to a connection that holds {@code seq - 1}) and for
 * conflation: when the connection's write queue is full, a topic is marked pending instead of
 * queueing more frames, and when the queue drains the topic's current whole value is sent.
 * Memory per connection is O(topics), never O(messages). A connection that stays behind longer
 * than the configured limit is closed with {@link CloseCodes#SLOW_CONSUMER}.
 */
public final class Session {

    private static final Logger LOG = Logger.getLogger(Session.class.getName());

    /** Limits that apply to each session. */
    public record Limits(long slowConsumerTimeoutNanos, int maxSelectors, int maxSubscriptions, int maxTopicsAdded,
                         int requestsPerSecond, int requestBurst, long idleTimeoutNanos) {

        /** Only the two limits the fan-out rules need; the rest unbounded (core tests). */
        public Limits(long slowConsumerTimeoutNanos, int maxSelectors) {
            this(slowConsumerTimeoutNanos, maxSelectors, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0);
        }
    }

    /** One session's subscription to one topic; the hub holds these, so that an update reaches it without a lookup. */
    static final class Subscription {
        final Session session;
        final Topic topic;
        long lastSeq;
        /** A time series whose missed events are being read from the store. */
        boolean recovering;
        /** Live events that arrived while recovering, delivered after the recovered ones. */
        ArrayDeque<TopicUpdate> buffered;
        boolean bufferOverflowed;

        Subscription(Session session, Topic topic) {
            this.session = session;
            this.topic = topic;
        }

        boolean isTimeSeries() {
            return topic.spec().isTimeSeries();
        }
    }

    /** Events read from the store per recovery step; a longer backlog is read in several steps. */
    static final int RECOVERY_BATCH = 1000;
    /** Live events a recovering subscription holds back at most; past that it recovers again. */
    static final int MAX_BUFFERED = 10_000;

    private final long id;
    private final Hub hub;
    private final Outbound out;
    private final DeltaFormat format;
    private final Limits limits;
    private final LongSupplier nanoClock;
    /** The session's selectors, each with its text as the client (or a controller) wrote it: {@code subscription} lists those. */
    private final Map<TopicSelector, String> selectors = new LinkedHashMap<>();
    private final Map<Long, Subscription> subscriptions = new HashMap<>();
    private final Map<Long, Subscription> pending = new LinkedHashMap<>();
    private final Map<String, Long> resumeFrom = new HashMap<>();
    private final WriteOrder writeOrder;
    private final ReplyOrder replies = new ReplyOrder(this);
    private volatile Access access;
    private volatile String principal = "anonymous";
    private Credentials credentials;
    /** When the issuer last confirmed the credentials (or they were presented), on the nano clock. */
    private long credentialsConfirmedAt;
    private long credentialsCheckedAt;
    private boolean recheckRunning;
    private long accessVersion = -1;
    private long behindSince;
    private boolean closed;
    private boolean subscriptionLimitReported;
    private int topicsAdded;
    private double requestTokens;
    private long lastRefill;
    private long lastActivity;

    public Session(long id, Hub hub, Outbound out, DeltaFormat format, Limits limits, LongSupplier nanoClock) {
        this.id = id;
        this.hub = hub;
        this.out = out;
        this.format = format;
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.access = hub.security() == null ? Access.ALLOW_ALL : hub.security().anonymous();
        this.requestTokens = limits.requestBurst();
        this.lastRefill = nanoClock.getAsLong();
        this.lastActivity = lastRefill;
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

    /**
     * The session's rights as of the last security change: a request that arrives right after a
     * change never runs with the rights from before it, even if the refresh the change queued on
     * this event loop has not run yet.
     */
    public Access access() {
        SecurityService security = hub.security();
        if (security != null && accessVersion != security.version()) {
            resolveAccess();
        }
        return access;
    }

    private void resolveAccess() {
        SecurityService security = hub.security();
        accessVersion = security.version();
        access = credentials == null ? security.anonymous() : security.accessFor(credentials.principal(), credentials.roles());
    }

    /** The session's principal, or {@code anonymous}: the author of its time series events. */
    public String principal() {
        return principal;
    }

    public void principal(String principal) {
        this.principal = principal;
    }

    /**
     * Positions to resume time series from (path to the last seq the client saw): a later
     * subscription to such a topic sends every retained event after that seq, then live ones.
     */
    public void resumeFrom(Map<String, Long> positions) {
        resumeFrom.putAll(positions);
    }

    public boolean isClosed() {
        return closed;
    }

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

    /**
     * The session authenticated (or re-authenticated with a fresh token): its rights become its
     * roles' and apply at once to what it is subscribed to.
     */
    public void authenticated(Credentials credentials) {
        this.credentials = credentials;
        this.principal = credentials.principal();
        credentialsConfirmedAt = nanoClock.getAsLong();
        credentialsCheckedAt = credentialsConfirmedAt;
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
        Credentials held = credentials;
        if (closed || recheckRunning || held == null || held.recheck() == null) {
            return;
        }
        CredentialCheck check = held.recheck();
        long now = nanoClock.getAsLong();
        if (now - credentialsCheckedAt < check.interval().toNanos()) {
            return;
        }
        recheckRunning = true;
        credentialsCheckedAt = now;
        CompletionStage<Credentials> answer;
        try {
            answer = check.check();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenCompleteAsync((fresh, error) -> rechecked(held, fresh, error), executor());
    }

    private void rechecked(Credentials asked, Credentials fresh, Throwable error) {
        recheckRunning = false;
        if (closed || credentials != asked) {
            return;
        }
        if (error == null) {
            credentialsConfirmedAt = nanoClock.getAsLong();
            credentials = fresh;
            if (!Set.copyOf(fresh.roles()).equals(Set.copyOf(asked.roles()))) {
                LOG.log(Level.FINE, "{0}: the roles of {1} changed at the issuer: {2} -> {3}",
                        new Object[] {this, principal, asked.roles(), fresh.roles()});
                refreshAccess();
            }
            return;
        }
        Throwable cause = Causes.unwrap(error);
        if (cause instanceof ProtocolException p && p.code() == ErrorCode.UNAUTHENTICATED) {
            out.close(CloseCodes.UNAUTHENTICATED, "the token is no longer accepted: connect again with a fresh one");
            close();
            return;
        }
        long unconfirmed = nanoClock.getAsLong() - credentialsConfirmedAt;
        if (unconfirmed > asked.recheck().grace().toNanos()) {
            out.close(CloseCodes.TRY_AGAIN_LATER, "the token could not be confirmed with its issuer for longer than the grace time: reconnect later");
            close();
        } else {
            LOG.log(Level.FINE, "{0}: keeps its last known roles: {1}", new Object[] {this, cause.getMessage()});
        }
    }

    public Credentials credentials() {
        return credentials;
    }

    /**
     * Resolves the session's access again (its roles or their definitions changed) and applies
     * it: topics it may no longer read are unsubscribed with PERMISSION_DENIED, topics its
     * selectors match that it may now read are subscribed.
     */
    public void refreshAccess() {
        if (closed || hub.security() == null) {
            return;
        }
        resolveAccess();
        for (Iterator<Subscription> it = subscriptions.values().iterator(); it.hasNext(); ) {
            Subscription sub = it.next();
            String path = sub.topic.path();
            if (!access.canSelect(path) || !access.canRead(path)) {
                it.remove();
                pending.remove(sub.topic.tid());
                hub.unregister(sub);
                send(Messages.unsubscribed(sub.topic, "PERMISSION_DENIED"));
            }
        }
        for (TopicSelector selector : List.copyOf(selectors.keySet())) {
            hub.tree().forEachMatching(selector, this::subscribeTo);
        }
    }

    /**
     * Takes one request from the session's token bucket: the average rate and the burst are
     * limits of the configuration. False means the request is refused with RATE_LIMITED.
     */
    public boolean allowRequest() {
        long now = nanoClock.getAsLong();
        lastActivity = now;
        requestTokens = Math.min(limits.requestBurst(), requestTokens + (now - lastRefill) * (limits.requestsPerSecond() / 1e9));
        lastRefill = now;
        if (requestTokens < 1) {
            return false;
        }
        requestTokens -= 1;
        return true;
    }

    /** True while the session may add another topic. */
    public boolean mayAddTopic() {
        return topicsAdded < limits.maxTopicsAdded();
    }

    public void topicAdded() {
        topicsAdded++;
    }

    /** Closes a WebSocket that sent nothing for longer than the idle timeout (4002: reconnect). */
    public void checkIdle() {
        if (!closed && limits.idleTimeoutNanos() > 0 && out.closesWhenIdle()
                && nanoClock.getAsLong() - lastActivity > limits.idleTimeoutNanos()) {
            out.close(CloseCodes.IDLE, "no request or ping for longer than the idle timeout");
            close();
        }
    }

    /** Closes the session when its token has expired without a fresh one ({@code auth}) in time. */
    public void checkExpiry(long nowMillis) {
        if (!closed && credentials != null && credentials.expiresAt() != null && nowMillis >= credentials.expiresAt().toEpochMilli()) {
            out.close(CloseCodes.UNAUTHENTICATED, "the token expired: connect again with a fresh one");
            close();
        }
    }

    /** Sends a control frame (replies, subscription notices): always, even when behind. */
    public void send(Frame frame) {
        if (!closed) {
            out.send(frame);
            hub.stats().countFrame(frame);
        }
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
        if (!selectors.containsKey(selector) && selectors.size() >= limits.maxSelectors()) {
            throw new io.pushgate.protocol.ProtocolException(io.pushgate.protocol.ErrorCode.RATE_LIMITED,
                    "at most " + limits.maxSelectors() + " selectors per session");
        }
        if (selectors.putIfAbsent(selector, written) == null) {
            hub.addSelector(selector, this);
        }
        hub.tree().forEachMatching(selector, this::subscribeTo);
    }

    /**
     * Removes a selector and unsubscribes from every topic it matches, and from any topic no
     * remaining selector matches (as Diffusion's unsubscribe does). Returns how many topics.
     */
    public int unsubscribe(TopicSelector selector) {
        if (selectors.remove(selector) != null) {
            hub.removeSelector(selector, this);
        }
        int count = 0;
        for (Iterator<Subscription> it = subscriptions.values().iterator(); it.hasNext(); ) {
            Subscription sub = it.next();
            String path = sub.topic.path();
            if (selector.matches(path) || !selectedByAny(path)) {
                it.remove();
                pending.remove(sub.topic.tid());
                hub.unregister(sub);
                send(Messages.unsubscribed(sub.topic, "REQUESTED"));
                count++;
            }
        }
        return count;
    }

    /** Subscribes to one topic if a selector matches it, the session may read it, and it is not already. */
    void subscribeTo(Topic topic) {
        if (closed || subscriptions.containsKey(topic.tid()) || !selectedByAny(topic.path())
                || !access().canSelect(topic.path()) || !access().canRead(topic.path())) {
            return;
        }
        if (subscriptions.size() >= limits.maxSubscriptions()) {
            if (!subscriptionLimitReported) {
                subscriptionLimitReported = true;
                send(Messages.error(null, io.pushgate.protocol.ErrorCode.RATE_LIMITED, "at most " + limits.maxSubscriptions()
                        + " topic subscriptions per session: " + topic.path() + " and further matching topics are not subscribed"));
            }
            return;
        }
        Subscription sub = new Subscription(this, topic);
        // Register before reading the state: an update applied after the read reaches this
        // session through the hub, one applied before is in the state read below.
        hub.register(sub);
        if (!hub.isCurrent(topic)) {
            hub.unregister(sub);
            return;
        }
        subscriptions.put(topic.tid(), sub);
        send(Messages.subscription(topic, matchingSelectors(topic.path())));
        if (sub.isTimeSeries()) {
            Long since = resumeFrom.remove(topic.path());
            if (since != null && since > topic.state().seq()) {
                // Beyond the topic's last seq: the topic was removed and added again since the
                // client saw it. It starts afresh, like any new subscriber.
                since = null;
            }
            if (since != null) {
                sub.lastSeq = since;
                recover(sub, false);
            } else {
                recover(sub, true);
            }
            return;
        }
        Topic.State state = topic.state();
        if (state.value() == null) {
            sub.lastSeq = state.seq();
        } else if (isBehind() || !out.isWritable()) {
            markPending(sub);
        } else {
            write(TopicUpdate.valueFrame(topic, state, format));
            sub.lastSeq = state.seq();
        }
    }

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
            deliverEvent(sub, update);
            return null;
        }
        if (isBehind() || !out.isWritable()) {
            markPending(sub);
            return null;
        }
        Frame frame = update.frameFor(format, sub.lastSeq == update.seq() - 1);
        out.send(frame);
        sub.lastSeq = update.seq();
        return frame;
    }

    void topicRemoved(Topic topic) {
        Subscription sub = subscriptions.remove(topic.tid());
        if (sub != null && sub.topic == topic) {
            pending.remove(topic.tid());
            hub.unregister(sub);
            send(Messages.unsubscribed(topic, "REMOVED"));
        }
    }

    /**
     * The transport calls this when the write queue has drained: send the current whole value
     * of each topic that fell behind, as long as the queue takes them.
     */
    public void drained() {
        if (closed) {
            return;
        }
        for (Iterator<Subscription> it = pending.values().iterator(); it.hasNext() && out.isWritable(); ) {
            Subscription sub = it.next();
            it.remove();
            if (sub.isTimeSeries()) {
                if (subscriptions.get(sub.topic.tid()) == sub && !sub.recovering) {
                    recover(sub, false);
                }
                continue;
            }
            Topic.State state = sub.topic.state();
            if (subscriptions.get(sub.topic.tid()) == sub && state.value() != null && state.seq() > sub.lastSeq) {
                write(TopicUpdate.valueFrame(sub.topic, state, format));
                sub.lastSeq = state.seq();
            }
        }
        if (pending.isEmpty()) {
            behindSince = 0;
        }
    }

    /** Closes the session if it has been behind for longer than the limit; the hub's sweeper calls it. */
    public void checkSlowConsumer() {
        if (isBehind() && out.isWritable()) {
            // The drain handler fires only after a full queue; this also catches topics marked
            // pending for another reason (a failed read of stored events).
            drained();
        }
        if (isBehind() && nanoClock.getAsLong() - behindSince > limits.slowConsumerTimeoutNanos()) {
            hub.stats().slowConsumersClosed.increment();
            out.close(CloseCodes.SLOW_CONSUMER, "slow consumer: behind for longer than the limit");
            close();
        }
    }

    /** Closes the connection with the "reconnect elsewhere" code (4000) and forgets the session. */
    public void shutdown(String reason) {
        if (!closed) {
            out.close(CloseCodes.SHUTDOWN, reason);
            close();
        }
    }

    /** Forgets every subscription; the transport calls this when the connection ends. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Subscription sub : subscriptions.values()) {
            hub.unregister(sub);
        }
        subscriptions.clear();
        pending.clear();
        selectors.clear();
        hub.closed(this);
    }

    /** The topics this session is subscribed to, for tests and the admin view. */
    public List<String> subscribedPaths() {
        List<String> paths = new ArrayList<>();
        subscriptions.values().forEach(s -> paths.add(s.topic.path()));
        return paths;
    }

    public boolean isBehind() {
        return behindSince != 0;
    }

    private void markPending(Subscription sub) {
        if ("unsubscribe".equals(sub.topic.spec().conflation())) {
            subscriptions.remove(sub.topic.tid());
            hub.unregister(sub);
            send(Messages.unsubscribed(sub.topic, "CONFLATED_AWAY"));
            return;
        }
        if (behindSince == 0) {
            behindSince = Math.max(1, nanoClock.getAsLong());
        }
        if (pending.putIfAbsent(sub.topic.tid(), sub) == null) {
            hub.stats().conflations.increment();
        }
    }

    /**
     * Time series: every event, in seq order, none twice. A gap (an event missed through a
     * lost change message, or while the connection was behind) is filled from the store.
     */
    private void deliverEvent(Subscription sub, TopicUpdate update) {
        if (!update.isResync() && update.seq() <= sub.lastSeq) {
            // Already delivered (by a recovery read that overtook this held live event).
            return;
        }
        if (sub.recovering) {
            hold(sub, update);
            return;
        }
        if (update.isResync() || update.seq() != sub.lastSeq + 1) {
            recover(sub, false);
            if (!update.isResync()) {
                hold(sub, update);
            }
            return;
        }
        if (isBehind() || !out.isWritable()) {
            markPending(sub);
            return;
        }
        writeEvent(update.eventFrame(), sub, update.seq());
    }

    private void hold(Subscription sub, TopicUpdate update) {
        if (update.isResync()) {
            return;
        }
        if (sub.buffered.size() >= MAX_BUFFERED) {
            // Everything held back is in the store too: drop it and read it again from there.
            sub.buffered.clear();
            sub.bufferOverflowed = true;
            return;
        }
        sub.buffered.add(update);
    }

    /**
     * Reads what the subscription missed from the store: the last N events of the topic's
     * subscription range for a new subscriber ({@code initial}), else every retained event
     * after its last seq. Live events arriving meanwhile are held and delivered after.
     */
    private void recover(Subscription sub, boolean initial) {
        sub.recovering = true;
        if (sub.buffered == null) {
            sub.buffered = new ArrayDeque<>();
        }
        hub.stats().recoveries.increment();
        String path = sub.topic.path();
        // Every event after this seq is either in the read below or still to come live.
        long seenBeforeRead = sub.topic.state().seq();
        CompletionStage<List<TimeSeriesEvent>> read = initial
                ? hub.history().last(path, subscriptionRange(sub.topic), seenBeforeRead)
                : hub.history().after(path, sub.lastSeq, RECOVERY_BATCH);
        read.whenCompleteAsync((events, error) -> recovered(sub, initial, seenBeforeRead, events, error), executor());
    }

    private void recovered(Subscription sub, boolean initial, long seenBeforeRead, List<TimeSeriesEvent> events, Throwable error) {
        if (closed || subscriptions.get(sub.topic.tid()) != sub) {
            return;
        }
        if (error != null) {
            LOG.log(Level.WARNING, "cannot read the events of {0}: {1}", new Object[] {sub.topic.path(), error.toString()});
            sub.recovering = false;
            sub.buffered.clear();
            markPending(sub);
            return;
        }
        if (!initial) {
            // Judge what is missing by the state before the read: an event stored after the read
            // began is not missing, it is on its way live (and held until this completes).
            long firstAvailable = events.isEmpty() ? seenBeforeRead + 1 : events.get(0).seq();
            if (firstAvailable > sub.lastSeq + 1 && seenBeforeRead > sub.lastSeq) {
                send(Messages.gap(sub.topic, sub.lastSeq + 1, firstAvailable - 1));
            }
        }
        for (TimeSeriesEvent event : events) {
            if (event.seq() > sub.lastSeq) {
                writeEvent(Messages.event(sub.topic, event), sub, event.seq());
            }
        }
        if (initial) {
            // The read stopped at seenBeforeRead; what came after is held, or on its way live.
            sub.lastSeq = Math.max(sub.lastSeq, seenBeforeRead);
        }
        boolean more = !initial && events.size() >= RECOVERY_BATCH;
        if (more || sub.bufferOverflowed) {
            sub.bufferOverflowed = false;
            if (out.isWritable()) {
                recover(sub, false);
            } else {
                sub.recovering = false;
                markPending(sub);
            }
            return;
        }
        sub.recovering = false;
        ArrayDeque<TopicUpdate> held = sub.buffered;
        sub.buffered = new ArrayDeque<>();
        while (!held.isEmpty() && !sub.recovering) {
            deliverEvent(sub, held.poll());
        }
        held.forEach(u -> hold(sub, u));
    }

    private void writeEvent(Frame frame, Subscription sub, long seq) {
        sub.lastSeq = seq;
        if (out.wantsPositions()) {
            out.send(frame, positions());
        } else {
            out.send(frame);
        }
        hub.stats().countFrame(frame);
    }

    /** {@code path=seq;path=seq} of every time series subscription: where SSE resumes from. */
    private String positions() {
        StringBuilder sb = new StringBuilder();
        for (Subscription s : subscriptions.values()) {
            if (s.isTimeSeries() && s.lastSeq > 0) {
                if (sb.length() > 0) {
                    sb.append(';');
                }
                sb.append(s.topic.path()).append('=').append(s.lastSeq);
            }
        }
        return sb.toString();
    }

    /** How many recent events a new subscriber gets: TIME_SERIES_SUBSCRIPTION_RANGE, default 1. */
    private static int subscriptionRange(Topic topic) {
        RetentionRange range = RetentionRange.parse(topic.spec().property("TIME_SERIES_SUBSCRIPTION_RANGE"), new RetentionRange(1, java.time.Duration.ZERO));
        return (int) Math.min(RECOVERY_BATCH, range.hasLimit() ? range.limit() : RECOVERY_BATCH);
    }

    /**
     * The tids of the topics this session is subscribed to that {@code selector} matches: the {@code tids}
     * of {@code subscribe}'s {@code ok} (those get no new {@code subscription}).
     */
    public List<Long> subscribedTidsMatching(TopicSelector selector) {
        List<Long> tids = new ArrayList<>();
        for (Subscription sub : subscriptions.values()) {
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

    private void write(Frame frame) {
        out.send(frame);
        hub.stats().countFrame(frame);
    }

    // ---- session properties and session control (issue 18: sessions and session filters)

    private volatile SessionDescription description;

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

    /** The session's roles: its credentials', or the anonymous roles. */
    public List<String> roles() {
        Credentials held = credentials;
        if (held != null) {
            return held.roles();
        }
        return hub.security() == null ? List.of() : hub.security().anonymousRoles();
    }

    /** Every property of the session now: the fixed ones and the user ones (empty when undescribed). */
    public Map<String, String> properties() {
        SessionDescription d = description;
        return d == null ? Map.of() : d.properties(principal, roles());
    }

    /** Replaces the user properties (a controller set them); on the session's event loop. */
    public void userProperties(Map<String, String> properties) {
        SessionDescription d = description;
        if (d != null && !closed) {
            description = d.withUserProperties(properties);
            hub.sessionChanged(this);
        }
    }

    /** How many topics the session is subscribed to; on the session's event loop. */
    public int subscriptionCount() {
        return subscriptions.size();
    }

    /** Closes the session because a controller asked to ({@link CloseCodes#CLOSED_BY_CONTROLLER}: do not reconnect at once). */
    public void closeByController(String reason) {
        if (!closed) {
            out.close(CloseCodes.CLOSED_BY_CONTROLLER, reason);
            close();
        }
    }

    @Override
    public String toString() {
        return "session-" + id;
    }
}
