package io.pushgate.client;

import io.pushgate.protocol.Causes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The subscriptions of one client and the topics they receive: the state machine behind
 * {@link PushgateClient#subscribe}, with no network of its own.
 *
 * <p>It takes the gateway's push messages ({@code subscription}, {@code value}, {@code delta},
 * {@code event}, {@code unsubscribed}) and hands whole values to the listeners whose selectors match
 * each topic. Per topic, seqs must strictly increase; a delta that does not follow the value held
 * ({@code seq != last + 1}) or does not apply to it is never guessed at: the topic is fetched
 * (a <em>resynchronisation</em>), the deltas that arrive meanwhile are kept and applied on top of
 * the fetched value, and listeners only ever see values the gateway had.
 *
 * <p>Threading: every method except {@link #subscribe} and {@link #close} must run on the
 * {@code events} executor, which runs one task at a time; those two post their work to it.
 */
final class TopicStreams {

    /** What the streams need from the connection. */
    interface Gateway {
        /**
         * Sends a request (the gateway adds its {@code id}). The future completes with the reply
         * message, or fails with a {@link PushgateException}: the gateway's error, or
         * {@link PushgateException.ConnectionLost} if there is no connection or it ended before the
         * reply. Never throws.
         */
        CompletableFuture<JsonNode> request(ObjectNode request);

        /** True while a connection is open. */
        boolean isConnected();
    }

    private static final System.Logger LOG = System.getLogger(TopicStreams.class.getName());

    private final Gateway gateway;
    private final Executor events;
    private final Executor completions;
    private final Counters counters;

    private final Map<String, SelectorEntry> selectors = new LinkedHashMap<>();
    private final Map<String, TopicStream> topics = new HashMap<>();
    private final Map<Long, TopicStream> tids = new HashMap<>();
    private boolean closed;

    /** One selector and the subscriptions that share it. */
    private static final class SelectorEntry {
        final String key;
        final SelectorMatcher matcher;
        final Set<SubscriptionImpl> subs = new LinkedHashSet<>();

        SelectorEntry(String key) {
            this.key = key;
            this.matcher = SelectorMatcher.parse(key);
        }
    }

    /**
     * @param events the client's event thread: every state change and listener callback runs there
     * @param completions where subscription futures complete, so that code waiting on them never
     *     holds up the event thread
     */
    TopicStreams(Gateway gateway, Executor events, Executor completions, Counters counters) {
        this.gateway = gateway;
        this.events = events;
        this.completions = completions;
        this.counters = counters;
    }

    // ---------------------------------------------------------------- subscriptions (any thread)

    /** Registers a subscription; its {@code ready} future completes when the gateway acknowledges it. */
    SubscriptionImpl subscribe(String selector, ValueListener listener) {
        SubscriptionImpl sub = new SubscriptionImpl(this, selector, listener);
        if (!post(() -> register(sub))) {
            sub.markClosed();
            sub.ready.completeExceptionally(new PushgateException(ErrorCode.UNAVAILABLE, "the client is closed"));
        }
        return sub;
    }

    /** Closes a subscription; the listener gets {@code onUnsubscribed(topic, reason)} for each topic it had. */
    CompletableFuture<Void> close(SubscriptionImpl sub, String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!sub.markClosed()) {
            done.complete(null);
            return done;
        }
        if (!post(() -> remove(sub, reason, done, null))) {
            done.complete(null);
        }
        return done;
    }

    private boolean post(Runnable task) {
        try {
            events.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- subscriptions (event thread)

    private void register(SubscriptionImpl sub) {
        if (closed) {
            sub.ready.completeExceptionally(new PushgateException(ErrorCode.UNAVAILABLE, "the client is closed"));
            return;
        }
        if (!sub.isOpen()) {
            completions.execute(() -> sub.ready.complete(sub)); // closed before it was registered
            return;
        }
        SelectorEntry entry = selectors.computeIfAbsent(sub.key, SelectorEntry::new);
        entry.subs.add(sub);
        // The gateway sends a topic once per connection, whatever the number of selectors that
        // match it: topics already received are handed to the new subscription from here.
        for (TopicStream s : topics.values()) {
            if (entry.matcher.matches(s.topic)) {
                attach(s, sub);
                if (s.hasContent()) {
                    deliverTo(sub, s);
                }
            }
        }
        if (gateway.isConnected()) {
            sendSubscribe(entry, List.of(sub), false);
        }
        // else: sent by connected() on the next connection
    }

    /**
     * Subscribes a selector at the gateway. {@code waiting} are the subscriptions whose futures the
     * acknowledgement completes; if the gateway refuses, they end (all of the selector's when
     * {@code renewal}: it refused a selector it had accepted before).
     */
    private void sendSubscribe(SelectorEntry entry, List<SubscriptionImpl> waiting, boolean renewal) {
        CompletableFuture<JsonNode> reply = gateway.request(subscribeRequest(entry));
        // Completed where the reply is read, not on the event thread: a listener may wait on them.
        reply.thenAccept(ok -> waiting.forEach(sub -> completions.execute(() -> sub.ready.complete(sub))));
        reply.whenCompleteAsync((ok, error) -> {
            Throwable cause = Causes.unwrap(error);
            if (error == null || cause instanceof PushgateException.ConnectionLost) {
                return; // renewed on the next connection
            }
            String reason = cause instanceof PushgateException pe ? pe.code().name() : ErrorCode.UNAVAILABLE.name();
            LOG.log(Level.WARNING, "subscription to ''{0}'' ended: {1}", entry.key, cause.getMessage());
            for (SubscriptionImpl sub : renewal ? List.copyOf(entry.subs) : waiting) {
                if (sub.markClosed()) {
                    remove(sub, reason, new CompletableFuture<>(), cause);
                } else if (!sub.ready.isDone()) {
                    completions.execute(() -> sub.ready.completeExceptionally(cause));
                }
            }
        }, events);
    }

    /**
     * A {@code subscribe} request for a selector. It carries {@code since: {path: last seq}} for
     * each time series the client holds that the selector may match (docs/protocol.md,
     * "Recovery"), so that the gateway, this one or another replica, replays the events appended
     * since the last one handed over (0 when none was: every retained event since the
     * subscription), and says which it no longer has ({@code gap}).
     */
    private ObjectNode subscribeRequest(SelectorEntry entry) {
        ObjectNode request = request("subscribe").put("selector", entry.key);
        ObjectNode since = null;
        for (TopicStream s : topics.values()) {
            if (s.isTimeSeries() && (!entry.matcher.certain() || entry.matcher.matches(s.topic))) {
                if (since == null) {
                    since = request.putObject("since");
                }
                since.put(s.topic, s.seq);
                s.sinceSent = s.seq;
            }
        }
        return request;
    }

    /**
     * Takes a closed subscription out. Its future, if still pending, completes with it, or fails
     * with {@code failure} when the gateway refused it.
     */
    private void remove(SubscriptionImpl sub, String reason, CompletableFuture<Void> done, Throwable failure) {
        if (sub.removed) {
            done.complete(null);
            return;
        }
        sub.removed = true;
        for (TopicStream s : topics.values()) {
            if (s.listeners.remove(sub)) {
                sub.topics.remove(s.topic);
                notifyUnsubscribed(sub, s.topic, reason);
            }
        }
        if (!sub.ready.isDone()) {
            completions.execute(failure == null
                    ? () -> sub.ready.complete(sub) // closed before the gateway answered
                    : () -> sub.ready.completeExceptionally(failure));
        }
        SelectorEntry entry = selectors.get(sub.key);
        if (entry == null || !entry.subs.remove(sub) || !entry.subs.isEmpty()) {
            done.complete(null);
            return;
        }
        selectors.remove(sub.key);
        if (closed || !gateway.isConnected()) {
            dropUnwatched();
            done.complete(null);
            return;
        }
        gateway.request(request("unsubscribe").put("selector", entry.key)).whenCompleteAsync((ok, error) -> {
            afterUnsubscribe(entry.matcher);
            done.complete(null);
        }, events);
    }

    /**
     * The gateway unsubscribes every topic the selector matches, even those another selector of
     * this client still matches (Diffusion's rule): renew those selectors, then drop what did not
     * come back.
     */
    private void afterUnsubscribe(SelectorMatcher removedSelector) {
        if (closed || !gateway.isConnected()) {
            return;
        }
        Set<String> renew = new LinkedHashSet<>();
        for (TopicStream s : topics.values()) {
            if (!removedSelector.certain() || removedSelector.matches(s.topic)) {
                s.listeners.forEach(sub -> renew.add(sub.key));
            }
        }
        for (String key : renew) {
            SelectorEntry entry = selectors.get(key);
            if (entry != null) {
                sendSubscribe(entry, List.of(), false);
            }
        }
        barrier(() -> sweepDetached("REQUESTED"));
    }

    // ---------------------------------------------------------------- connection (event thread)

    /** The connection ended: every topic waits to be renewed on the next one. */
    void connectionLost() {
        tids.clear();
        for (Iterator<TopicStream> it = topics.values().iterator(); it.hasNext(); ) {
            TopicStream s = it.next();
            s.detach();
            s.reattached = true;
            if (s.listeners.isEmpty()) {
                it.remove();
            }
        }
    }

    /**
     * A connection is open: subscribe every selector again. Once the gateway has answered all of
     * them, topics it did not subscribe again are gone: their listeners get
     * {@code onUnsubscribed(topic, "REMOVED")}.
     */
    void connected() {
        if (closed) {
            return;
        }
        for (SelectorEntry entry : selectors.values()) {
            List<SubscriptionImpl> waiting = new ArrayList<>();
            for (SubscriptionImpl sub : entry.subs) {
                if (!sub.ready.isDone()) {
                    waiting.add(sub);
                }
            }
            sendSubscribe(entry, waiting, true);
        }
        if (!topics.isEmpty()) {
            barrier(() -> sweepDetached("REMOVED"));
        }
    }

    /** The client is closed: pending subscriptions fail, nothing is delivered any more. */
    void clientClosed() {
        closed = true;
        for (SelectorEntry entry : selectors.values()) {
            for (SubscriptionImpl sub : entry.subs) {
                sub.markClosed();
                sub.removed = true;
                sub.ready.completeExceptionally(new PushgateException(ErrorCode.UNAVAILABLE, "the client is closed"));
            }
        }
        selectors.clear();
        topics.clear();
        tids.clear();
    }

    /**
     * Runs {@code then} once the gateway has answered a ping sent now: the gateway handles a
     * connection's requests in order, so by then every message caused by earlier requests has
     * been received and handled.
     */
    private void barrier(Runnable then) {
        gateway.request(request("ping")).whenCompleteAsync((pong, error) -> {
            if (error == null && !closed) {
                then.run();
            }
        }, events);
    }

    /** Topics the gateway no longer sends: their listeners are told so and the topics forgotten. */
    private void sweepDetached(String reason) {
        for (Iterator<TopicStream> it = topics.values().iterator(); it.hasNext(); ) {
            TopicStream s = it.next();
            if (!s.attached) {
                it.remove();
                for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
                    sub.topics.remove(s.topic);
                    notifyUnsubscribed(sub, s.topic, reason);
                }
            }
        }
    }

    private void dropUnwatched() {
        for (Iterator<TopicStream> it = topics.values().iterator(); it.hasNext(); ) {
            TopicStream s = it.next();
            if (s.listeners.isEmpty() && !s.attached) {
                it.remove();
            }
        }
    }

    // ---------------------------------------------------------------- messages (event thread)

    /** Handles one push message from the gateway (replies to requests are handled elsewhere). */
    void onMessage(JsonNode message) {
        if (closed) {
            return;
        }
        switch (message.path("type").asText()) {
            case "subscription" -> onSubscription(message);
            case "value" -> onValue(message);
            case "delta" -> onDelta(message);
            case "event" -> onEvent(message);
            case "gap" -> onGap(message);
            case "unsubscribed" -> onUnsubscribed(message);
            case "error" -> LOG.log(Level.WARNING, "the gateway reported an error: {0}", message);
            default -> LOG.log(Level.DEBUG, "ignored message: {0}", message);
        }
    }

    private void onSubscription(JsonNode message) {
        String topic = message.path("topic").asText(null);
        long tid = message.path("tid").asLong(-1);
        if (topic == null || tid < 0) {
            LOG.log(Level.WARNING, "ignored malformed subscription message: {0}", message);
            return;
        }
        JsonNode spec = message.get("spec");
        String type = Values.typeOf(spec);
        TopicStream s = topics.computeIfAbsent(topic, TopicStream::new);
        if (s.attached && s.tid != tid) {
            tids.remove(s.tid);
        }
        if (!s.type.isEmpty() && !s.type.equals(type)) {
            s.resetValue(); // a topic of another type now has this path
        }
        s.tid = tid;
        s.attached = true;
        s.spec = spec;
        s.type = type;
        s.awaitingFirstEvent = s.isTimeSeries();
        tids.put(tid, s);
        route(s);
    }

    /** Hands a topic to the subscriptions whose selectors match it. */
    private void route(TopicStream s) {
        Set<SubscriptionImpl> matched = new LinkedHashSet<>();
        for (SelectorEntry entry : selectors.values()) {
            if (entry.matcher.certain() && entry.matcher.matches(s.topic)) {
                matched.addAll(entry.subs);
            }
        }
        if (matched.isEmpty()) {
            // a selector this client cannot read must be the one the gateway matched
            for (SelectorEntry entry : selectors.values()) {
                if (!entry.matcher.certain()) {
                    matched.addAll(entry.subs);
                }
            }
        }
        for (SubscriptionImpl sub : matched) {
            attach(s, sub);
        }
    }

    private static void attach(TopicStream s, SubscriptionImpl sub) {
        if (sub.isOpen() && s.listeners.add(sub)) {
            sub.topics.add(s.topic);
        }
    }

    private void onValue(JsonNode message) {
        TopicStream s = tids.get(message.path("tid").asLong(-1));
        if (s == null) {
            return;
        }
        counters.valuesReceived.incrementAndGet();
        long seq = message.path("seq").asLong(-1);
        JsonNode textNode = message.get("text");
        JsonNode value;
        String text = null;
        if (textNode != null && textNode.isTextual()) {
            text = textNode.asText();
            try {
                value = Values.fromText(s.type, text);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the text of {0}@{1} is not a {2} value: {3}", s.topic, seq, s.type, e.getMessage());
                startResync(s, null);
                return;
            }
        } else {
            value = message.get("value");
            if (value == null) {
                LOG.log(Level.WARNING, "ignored value message with no value: {0}", message);
                return;
            }
        }
        if (take(s, seq, value, text)) {
            // a whole value ends any resynchronisation: the deltas kept are older than it
            s.resyncing = false;
            s.buffered.clear();
        }
    }

    /**
     * A time series event. Per topic each seq is handed over once, in order: an event at or below
     * the last seq handed over is a duplicate and dropped. The one exception is the first event
     * after a resubscription with {@code since}: the gateway replays only events after it, so a
     * seq at or below it (other than the very event handed over last, sent again) means the topic
     * was removed and added again meanwhile, which listeners learn as
     * {@code onUnsubscribed(topic, "REMOVED")} before its events.
     */
    private void onEvent(JsonNode message) {
        TopicStream s = tids.get(message.path("tid").asLong(-1));
        if (s == null) {
            return;
        }
        TimeSeriesEvent event;
        try {
            event = TimeSeriesEvent.fromJson(message.path("event"));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignored malformed event message: {0}", message);
            return;
        }
        counters.valuesReceived.incrementAndGet();
        s.reattached = false;
        if (s.awaitingFirstEvent) {
            s.awaitingFirstEvent = false;
            long since = s.sinceSent;
            s.sinceSent = -1;
            if (since > 0 && event.seq() <= since && !sameEvent(event, s.lastEvent)) {
                LOG.log(Level.INFO, "{0} was removed and added again: its seqs start again at {1}", s.topic, event.seq());
                for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
                    notifyUnsubscribed(sub, s.topic, "REMOVED");
                }
                s.resetValue();
            }
        }
        if (event.seq() <= s.seq) {
            counters.duplicatesDropped.incrementAndGet();
            return;
        }
        s.seq = event.seq();
        s.lastEvent = event;
        for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
            deliverTo(sub, s);
        }
    }

    /** True if {@code b} is the same event as {@code a}: seq, time, author and value. */
    private static boolean sameEvent(TimeSeriesEvent a, TimeSeriesEvent b) {
        return b != null && a.seq() == b.seq() && java.util.Objects.equals(a.time(), b.time())
                && java.util.Objects.equals(a.author(), b.author()) && a.value().equals(b.value());
    }

    /**
     * {@code gap}: events a resubscription with {@code since} asked for are no longer retained.
     * Listeners are told which (the part above the last seq handed over), and those seqs count as
     * passed, so that the next resubscription does not ask for them again.
     */
    private void onGap(JsonNode message) {
        TopicStream s = tids.get(message.path("tid").asLong(-1));
        if (s == null) {
            return;
        }
        long from = message.path("from").asLong(-1);
        long to = message.path("to").asLong(-1);
        String reason = message.path("reason").asText("NOT_RETAINED");
        if (from < 1 || to < from) {
            LOG.log(Level.WARNING, "ignored malformed gap message: {0}", message);
            return;
        }
        counters.gaps.incrementAndGet();
        long first = Math.max(from, s.seq + 1);
        if (first > to) {
            return; // all handed over already
        }
        s.seq = to;
        for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
            if (!sub.isOpen()) {
                continue;
            }
            try {
                sub.listener.onGap(s.topic, first, to, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the listener of " + sub + " failed on a gap in " + s.topic, e);
            }
        }
    }

    private void onDelta(JsonNode message) {
        TopicStream s = tids.get(message.path("tid").asLong(-1));
        if (s == null) {
            return;
        }
        long seq = message.path("seq").asLong(-1);
        if (!s.reattached && seq <= s.seq) {
            return; // older than the value held (e.g. one a resynchronisation fetched)
        }
        if (s.resyncing) {
            s.buffer(message);
            return;
        }
        if (s.reattached || !s.applyDelta(message)) {
            startResync(s, message);
            return;
        }
        counters.deltasApplied.incrementAndGet();
        deliver(s);
    }

    private void onUnsubscribed(JsonNode message) {
        TopicStream s = tids.remove(message.path("tid").asLong(-1));
        if (s == null) {
            return;
        }
        String reason = message.path("reason").asText("REMOVED");
        s.detach();
        if ("REQUESTED".equals(reason) && !s.listeners.isEmpty()) {
            return; // another selector still wants it: see afterUnsubscribe
        }
        topics.remove(s.topic);
        for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
            sub.topics.remove(s.topic);
            notifyUnsubscribed(sub, s.topic, reason);
        }
    }

    /**
     * Takes a whole value if it is newer than the one held, and hands it over. After a
     * reconnection the current value is handed over again even with the same seq; a lower seq then
     * means the topic was removed and added again meanwhile, which listeners learn as
     * {@code onUnsubscribed(topic, "REMOVED")} before its new values.
     */
    private boolean take(TopicStream s, long seq, JsonNode value, String text) {
        if (s.reattached) {
            s.reattached = false;
            if (seq < s.seq) {
                for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
                    notifyUnsubscribed(sub, s.topic, "REMOVED");
                }
                s.resetValue();
            }
        } else if (seq <= s.seq) {
            return false;
        }
        s.hold(seq, value, text);
        deliver(s);
        return true;
    }

    // ---------------------------------------------------------------- resynchronisation

    /** Fetches the topic's whole value; deltas that come meanwhile are kept and applied after it. */
    private void startResync(TopicStream s, JsonNode delta) {
        s.resyncing = true;
        s.buffered.clear();
        if (delta != null) {
            s.buffered.add(delta);
        }
        counters.resyncs.incrementAndGet();
        int epoch = s.epoch;
        gateway.request(request("fetch").put("selector", ">" + s.topic))
                .whenCompleteAsync((reply, error) -> resynced(s, epoch, reply, error), events);
    }

    private void resynced(TopicStream s, int epoch, JsonNode reply, Throwable error) {
        if (closed || topics.get(s.topic) != s || s.epoch != epoch) {
            return; // detached or replaced meanwhile: this answer is for another life of the topic
        }
        boolean waiting = s.resyncing;
        s.resyncing = false;
        List<JsonNode> deltas = new ArrayList<>(s.buffered);
        s.buffered.clear();
        if (error != null) {
            LOG.log(Level.WARNING, "could not fetch {0} to resynchronise: {1}", s.topic, Causes.unwrap(error).getMessage());
            return; // the next delta that does not follow starts another attempt
        }
        boolean progressed = false;
        for (JsonNode result : reply.path("results")) {
            TopicState state = TopicState.fromJson(result);
            if (state.topic().equals(s.topic) && state.value() != null) {
                progressed = take(s, state.seq(), state.value(), null);
            }
        }
        if (!waiting) {
            return;
        }
        for (JsonNode delta : deltas) {
            long seq = delta.path("seq").asLong(-1);
            if (seq <= s.seq) {
                continue;
            }
            if (s.resyncing) {
                s.buffer(delta);
            } else if (s.applyDelta(delta)) {
                counters.deltasApplied.incrementAndGet();
                deliver(s);
            } else if (progressed) {
                startResync(s, delta);
            } else {
                return; // no newer value to be had now: wait for the next message
            }
        }
    }

    // ---------------------------------------------------------------- callbacks

    private void deliver(TopicStream s) {
        for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
            deliverTo(sub, s);
        }
    }

    private static void deliverTo(SubscriptionImpl sub, TopicStream s) {
        if (!sub.isOpen()) {
            return;
        }
        try {
            if (s.lastEvent != null) {
                sub.listener.onEvent(s.topic, s.lastEvent);
            } else {
                sub.listener.onValue(s.topic, s.spec, s.seq, s.value);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the listener of " + sub + " failed on " + s.topic + "@" + s.seq, e);
        }
    }

    private static void notifyUnsubscribed(SubscriptionImpl sub, String topic, String reason) {
        try {
            sub.listener.onUnsubscribed(topic, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the listener of " + sub + " failed on unsubscribed " + topic, e);
        }
    }

    // ---------------------------------------------------------------- helpers

    static ObjectNode request(String op) {
        return Json.MAPPER.createObjectNode().put("op", op);
    }


    /** The topics currently held, for tests. */
    Map<String, TopicStream> topicsForTest() {
        return topics;
    }
}
