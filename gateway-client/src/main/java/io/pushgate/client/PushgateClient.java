package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.TopicType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A client of the Pushgate gateway's WebSocket protocol ({@code /v1/ws}): subscriptions that hand
 * over whole values (the client applies the deltas), fetch, add, set, remove, time series
 * (append, edit, range, and events recovered across reconnections), and a connection that comes
 * back by itself, to another replica if given several.
 *
 * <pre>{@code
 * try (PushgateClient client = PushgateClient.builder(URI.create("ws://localhost:8080/v1/ws"))
 *         .token(jwt)
 *         .deltaFormat(DeltaFormat.FOSSIL)
 *         .connect()) {
 *     client.set("prices/btc", Map.of("usd", 43000.5), "JSON").join();
 *     Subscription prices = client.subscribe("?prices//",
 *             (topic, seq, value) -> System.out.println(topic + " " + value)).join();
 *     ...
 * }
 * }</pre>
 *
 * <h2>Requests</h2>
 * Each request carries an {@code id}; its future completes with the gateway's reply, or fails with
 * a {@link PushgateException}: the gateway's error code, or {@link ErrorCode#UNAVAILABLE} when the
 * client is not connected, the connection drops before the reply, or no reply comes within the
 * request timeout (a request in flight when the connection drops may or may not have been
 * applied). Futures complete on a pool of the client's, never on its event thread or the socket's
 * reading thread, so code may wait for a request anywhere, listener callbacks included.
 *
 * <h2>Reconnection</h2>
 * When the connection drops, or the gateway closes it with a code for which
 * {@link CloseCodes#shouldReconnect} is true, the client goes {@link ConnectionState#RECONNECTING}
 * and tries again with exponential backoff and jitter ({@link PushgateClientBuilder#reconnect}),
 * asking the token supplier for a token each time; given several endpoints
 * ({@link #builder(List)}: gateway replicas), each attempt goes to the next one in turn. On the new
 * connection it subscribes every open selector again, and listeners get the current values again
 * (see {@link ValueListener#onValue} for what that means for seqs), except for time series, which
 * resume after the last event handed over ({@code since}; see {@link ValueListener#onEvent}).
 * A close with {@code 4100} (credentials expired) reconnects only when the token comes from a
 * {@link PushgateClientBuilder#tokenSupplier supplier}; any other code, and {@code 1000}, ends the
 * client ({@link ConnectionState#CLOSED}).
 *
 * <h2>Threads</h2>
 * The client is thread-safe: every method may be called from any thread. All listener callbacks
 * ({@link ValueListener}, {@link #onConnectionState}) run on one event thread per client, one at a
 * time, in the order the gateway sent the messages. The client also has a timer thread
 * (timeouts, backoff, keep-alive pings) and a pool that completes futures. {@link #close()}
 * stops them all.
 *
 * <h2>Parts</h2>
 * This class is the facade: the work is in package-private parts, each of one responsibility
 * ({@code Connector} connection and reconnection, {@code Calls} and {@code Requests} requests,
 * {@code Inbound} the messages received, {@code TopicStreams} subscriptions and their values,
 * {@code TopicRequests}, {@code SessionControl} and {@code Messaging} the operations).
 */public final class PushgateClient implements AutoCloseable {

    private final Counters counters = new Counters();
    private final ClientThreads threads = new ClientThreads();
    private final Requests requests;
    private final Connector connector;
    private final Calls calls;
    private final TopicStreams streams;
    private final TopicRequests topics;
    private final SessionControl sessions;
    private final Messaging messaging;
    private final Inbound inbound;

    PushgateClient(PushgateClientBuilder builder) {
        this.requests = new Requests(builder.requestTimeout, threads.timer);
        this.connector = new Connector(builder, threads, counters, new Connector.Listener() {
            @Override
            public void received(Connection connection, String text) {
                inbound.received(connection, text);
            }

            @Override
            public void opened() {
                streams.connected();
                messaging.registerAgain();
            }

            @Override
            public void dropped(Connection connection, String why) {
                requests.failAll(connection, why);
                streams.connectionLost();
            }

            @Override
            public void ended(String why) {
                requests.failAll(null, why);
                streams.clientClosed();
            }
        });
        this.calls = new Calls(connector, requests, threads, builder.requestTimeout);
        this.streams = new TopicStreams(calls, threads.events, threads.completions, counters);
        this.topics = new TopicRequests(calls);
        this.sessions = new SessionControl(calls);
        this.messaging = new Messaging(calls, threads);
        this.inbound = new Inbound(connector, requests, messaging, streams, threads);
        if (!builder.pingInterval.isZero()) {
            calls.keepAliveEvery(builder.pingInterval);
        }
    }

    /**
     * Starts building a client for a gateway.
     *
     * @param wsUri the gateway's WebSocket endpoint, e.g. {@code ws://localhost:8080/v1/ws}; with no
     *     path ({@code ws://localhost:8080}) the client uses {@code /v1/ws}. {@code http(s)} is read
     *     as {@code ws(s)}.
     */
    public static PushgateClientBuilder builder(URI wsUri) {
        return new PushgateClientBuilder(List.of(Objects.requireNonNull(wsUri, "uri")));
    }

    /**
     * Starts building a client for a gateway that runs as several replicas (on one Redis): the
     * client connects to the first that accepts, and when a connection drops it tries the next
     * one in the list (round-robin, with the reconnection backoff), so it survives a replica dying
     * without a proxy in front. Subscriptions are renewed on whichever replica it reaches, and time
     * series resume where they left off ({@code since}).
     *
     * @param wsUris the replicas' endpoints, as for {@link #builder(URI)}; in order of preference
     *     (see {@link PushgateClientBuilder#randomStart()})
     */
    public static PushgateClientBuilder builder(List<URI> wsUris) {
        return new PushgateClientBuilder(wsUris);
    }

    /** {@link #builder(List)} with the endpoints as arguments. */
    public static PushgateClientBuilder builder(URI first, URI... more) {
        List<URI> all = new ArrayList<>();
        all.add(Objects.requireNonNull(first, "uri"));
        for (URI uri : more) {
            all.add(Objects.requireNonNull(uri, "uri"));
        }
        return new PushgateClientBuilder(all);
    }

    /** Opens the first connection (from {@link PushgateClientBuilder#connect()}); see {@code Connector}. */
    void connectFirst() {
        connector.connectFirst();
    }

    // ---------------------------------------------------------------- subscriptions

    /**
     * Subscribes a selector: the listener gets the whole current value of every topic it matches
     * and then every change, also for topics added later, until the subscription is closed.
     *
     * <p>The selector is registered at once and stays registered across reconnections. The future
     * completes when the gateway acknowledges it (after the next reconnection if the client is
     * reconnecting). It fails with a {@link PushgateException}, and the subscription ends, if the
     * gateway refuses the selector ({@code INVALID}, {@code RATE_LIMITED}...), if no answer comes
     * within the request timeout of sending it, or if the client closes first.
     *
     * <p>Several subscriptions may select the same topic: each gets its values, and a subscription
     * added later gets the value the client already holds at once.
     *
     * @param selector a topic selector of the contract: {@code >a/b}, {@code ?a/[^/]+//},
     *     {@code *a/.*}, {@code #sel1////sel2}
     */
    public CompletableFuture<Subscription> subscribe(String selector, ValueListener listener) {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(listener, "listener");
        return streams.subscribe(selector, listener).ready;
    }

    /**
     * Subscribes a selector of time series topics: the listener gets each event once, in seq
     * order, across reconnections and replicas (the client resumes with {@code since}; see
     * {@link ValueListener#onEvent}), and is told of events it missed for good
     * ({@link ValueListener#onGap}). A new subscription starts with the last events of the topic's
     * {@code TIME_SERIES_SUBSCRIPTION_RANGE} (1 by default). As {@link #subscribe(String,
     * ValueListener)} otherwise.
     */
    public CompletableFuture<Subscription> subscribe(String selector, TimeSeriesListener listener) {
        return subscribe(selector, (ValueListener) listener);
    }

    /**
     * Who is subscribed to a topic that has the property {@code PRESENCE=true}: an ordinary
     * subscription to its presence topic {@code $presence/<path>} ({@link Presence#topicOf}), whose
     * value ({@link Presence#of}) the gateway keeps across its replicas. It needs the right to read
     * the topic itself; nobody may write it. As {@link #subscribe(String, ValueListener)} otherwise.
     *
     * @param path the topic's path (not a selector): {@code chat/lobby}
     */
    public CompletableFuture<Subscription> presence(String path, ValueListener listener) {
        Objects.requireNonNull(path, "path");
        return subscribe(">" + Presence.topicOf(path), listener);
    }

    // ---------------------------------------------------------------- session control (VIEW_SESSION, MODIFY_SESSION)

    /**
     * Every session of every gateway replica that the session filter selects (null: all), by id:
     * {@code listSessions}. Needs VIEW_SESSION; fails with {@code INVALID} for a bad filter (its
     * message gives the line and column).
     */
    public CompletableFuture<List<SessionDetails>> listSessions(String filter) {
        return sessions.listSessions(filter);
    }

    /**
     * Closes the target sessions with close code 4101 (their clients do not reconnect at once) and
     * the reason (null: the gateway's). Needs MODIFY_SESSION.
     *
     * @return how many sessions were closed; fails with {@code NOT_FOUND} for a session id no replica holds
     */
    public CompletableFuture<Integer> closeSessions(SessionTarget target, String reason) {
        return sessions.closeSessions(target, reason);
    }

    /**
     * Sets user properties of the target sessions: each name to its value, or to null to remove it.
     * Needs MODIFY_SESSION. Returns how many sessions were changed.
     */
    public CompletableFuture<Integer> setSessionProperties(SessionTarget target, Map<String, String> properties) {
        return sessions.setSessionProperties(target, properties);
    }

    /**
     * Subscribes the target sessions to a selector; each receives only what its own rights let it
     * read. Needs MODIFY_SESSION. Returns how many sessions were subscribed.
     */
    public CompletableFuture<Integer> subscribeSessions(SessionTarget target, String selector) {
        return sessions.subscribeSessions(target, selector);
    }

    /** Unsubscribes the target sessions from a selector. Needs MODIFY_SESSION. Returns how many sessions. */
    public CompletableFuture<Integer> unsubscribeSessions(SessionTarget target, String selector) {
        return sessions.unsubscribeSessions(target, selector);
    }

    // ---------------------------------------------------------------- topics

    /** The topics a selector matches, with their values: {@code fetch}. */
    public CompletableFuture<List<TopicState>> fetch(String selector) {
        return fetch(selector, true);
    }

    /** {@code fetch}, with or without the values (without: specs and seqs only, value null). */
    public CompletableFuture<List<TopicState>> fetch(String selector, boolean withValues) {
        return topics.fetch(selector, withValues);
    }

    /**
     * Adds a topic.
     *
     * @param specOrTypeName a spec ({@code {"type": "JSON", "properties": {...}}} as a
     *     {@link JsonNode}, a {@code Map}, or any object Jackson serialises to one), a type name
     *     ({@code "JSON"}), or a {@link TopicType}
     * @return {@code "CREATED"}, or {@code "EXISTS"} if it exists with this spec; fails with
     *     {@code CONFLICT} if it exists with another
     */
    public CompletableFuture<String> add(String topic, Object specOrTypeName) {
        return topics.add(topic, specOrTypeName);
    }

    /**
     * Sets a topic's value.
     *
     * @param value a {@link JsonNode} or any object Jackson serialises (a {@code Map}, a record, a
     *     {@code String} for STRING topics, a number for INT64 and DOUBLE topics)
     * @return the seq of the new value; fails with {@code NOT_FOUND} if there is no such topic, or
     *     {@code INVALID} if the value does not fit its type
     */
    public CompletableFuture<Long> set(String topic, Object value) {
        return set(topic, value, null);
    }

    /**
     * Adds the topic if needed and sets its value (add-and-set).
     *
     * @param spec as for {@link #add}; null to only set. Fails with {@code CONFLICT} if the topic
     *     exists with another spec
     */
    public CompletableFuture<Long> set(String topic, Object value, Object spec) {
        return topics.set(topic, value, spec);
    }

    /**
     * Appends an event to a time series topic.
     *
     * @param value a {@link JsonNode} or any object Jackson serialises, of the series' event type
     * @return the event's seq; fails with {@code NOT_FOUND} if there is no such topic, or
     *     {@code INVALID} if it is not a time series or the value does not fit its event type
     */
    public CompletableFuture<Long> append(String topic, Object value) {
        return topics.append(topic, value);
    }

    /**
     * Edits an event of a time series: appends an edit of event {@code seq} (an edit of an edit
     * edits the original). Needs {@code EDIT_TIME_SERIES_EVENTS}, or
     * {@code EDIT_OWN_TIME_SERIES_EVENTS} for one's own events.
     *
     * @return the edit's own seq; fails with {@code NOT_FOUND} if there is no such event (or it is
     *     no longer retained)
     */
    public CompletableFuture<Long> edit(String topic, long seq, Object value) {
        return topics.edit(topic, seq, value);
    }

    /**
     * Reads events of a time series ({@code range}): {@code RangeQuery.fromLast(20)},
     * {@code RangeQuery.from(seq).to(seq).limit(n)}, {@code RangeQuery.fromTime(instant)}, with
     * the {@code values} view (the default: originals with their latest edit applied) or
     * {@code edits()} (every event as stored).
     *
     * @return the events in seq order; fails with {@code NOT_FOUND} if there is no such topic,
     *     {@code INVALID} if it is not a time series
     */
    public CompletableFuture<List<TimeSeriesEvent>> range(String topic, RangeQuery query) {
        return topics.range(topic, query);
    }

    /** Removes every topic a selector matches; the future gives how many. */
    public CompletableFuture<Integer> remove(String selector) {
        return topics.remove(selector);
    }

    /** Pings the gateway; the future gives the round-trip time. */
    public CompletableFuture<Duration> ping() {
        return topics.ping();
    }

    // ---------------------------------------------------------------- messaging (issue 18)

    /**
     * Sends a request to the handler of a message path (the handler registered for the path or its
     * nearest ancestor, on any replica) and completes with its response. Fails with a
     * {@link MessagingException} whose {@link MessagingException#reason() reason} says why there is
     * none ({@code NO_HANDLER}, {@code HANDLER_GONE}, {@code TIMEOUT}, {@code REJECTED}...), or a
     * {@link PushgateException} ({@code PERMISSION_DENIED} without SEND_TO_MESSAGE_HANDLER,
     * {@code TOO_LARGE}, {@code RATE_LIMITED}...). The timeout is the client's request timeout.
     */
    public CompletableFuture<JsonNode> sendRequest(String path, Object request) {
        return sendRequest(path, request, calls.timeout());
    }

    /** {@link #sendRequest(String, Object)} with a timeout of its own (at most the gateway's {@code gateway.messaging.max-timeout}). */
    public CompletableFuture<JsonNode> sendRequest(String path, Object request, Duration timeout) {
        return messaging.sendRequest(path, request, timeout);
    }

    /**
     * Sends a request to one session by its id, on a path it has a request stream for; needs
     * SEND_TO_SESSION on the path. Completes with the session's response.
     */
    public CompletableFuture<JsonNode> sendToSession(String sessionId, String path, Object request, Duration timeout) {
        return messaging.sendToSession(sessionId, path, request, timeout);
    }

    /**
     * Sends a request to every session a session filter selects, on every replica (needs
     * SEND_TO_SESSION on the path and VIEW_SESSION), and completes, once every one has answered or
     * failed, with each session's answer.
     *
     * @param filter a session filter in Diffusion's syntax, e.g. {@code room is 'lobby' and not $Transport is 'SSE'}
     */
    public CompletableFuture<List<SessionResponse>> sendToFilter(String filter, String path, Object request, Duration timeout) {
        return messaging.sendToFilter(filter, path, request, timeout);
    }

    /**
     * Makes this client a handler of requests sent to the path and its descendants; needs the
     * global permission REGISTER_HANDLER. Completes once requests from every replica can reach it;
     * kept across reconnections (registered again on the new connection). One handler per path:
     * another replaces it.
     */
    public CompletableFuture<Void> addRequestHandler(String path, RequestHandler handler) {
        return messaging.addRequestHandler(path, handler);
    }

    public CompletableFuture<Void> removeRequestHandler(String path) {
        return messaging.removeRequestHandler(path);
    }

    /**
     * Lets other sessions send requests to this one ({@link #sendToSession}) on the path and its
     * descendants. Completes with this session's id, which others need; a reconnection makes a new
     * session with a new id (the stream is set again on it).
     */
    public CompletableFuture<String> addRequestStream(String path, RequestHandler handler) {
        return messaging.addRequestStream(path, handler);
    }

    public CompletableFuture<Void> removeRequestStream(String path) {
        return messaging.removeRequestStream(path);
    }

    // ---------------------------------------------------------------- state

    /**
     * Adds a listener of the connection's state: {@link ConnectionState#RECONNECTING} when the
     * connection drops, {@link ConnectionState#CONNECTED} when a new one is open (before the
     * subscriptions are renewed), {@link ConnectionState#CLOSED} at the end. Called on the event
     * thread, only for changes after it was added.
     */
    public PushgateClient onConnectionState(Consumer<ConnectionState> listener) {
        connector.onConnectionState(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The connection's state now. */
    public ConnectionState state() {
        return connector.state();
    }

    /**
     * The endpoint of the current connection (of the last one while reconnecting), with its
     * {@code delta} parameter.
     */
    public URI uri() {
        return connector.uri();
    }

    /** Every endpoint the client may connect to, in the order given, with their {@code delta} parameter. */
    public List<URI> endpoints() {
        return connector.endpoints();
    }

    /** WebSocket messages received since the client was built. */
    public long framesReceived() {
        return counters.framesReceived.get();
    }

    /** UTF-8 bytes of the messages received since the client was built. */
    public long bytesReceived() {
        return counters.bytesReceived.get();
    }

    /** Every counter at once. */
    public ClientStats stats() {
        return counters.snapshot();
    }

    /**
     * Closes the client for good: no reconnection, pending requests and subscriptions fail with
     * {@code UNAVAILABLE}, listeners get {@link ConnectionState#CLOSED} and nothing after it, and the
     * client's threads end. Idempotent; may be called from a callback.
     */
    @Override
    public void close() {
        connector.close();
    }

    @Override
    public String toString() {
        return "PushgateClient[" + uri() + ", " + state() + "]";
    }
}
