package io.pushgate.client;

import io.pushgate.protocol.Causes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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
 */
public final class PushgateClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PushgateClient.class.getName());
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** The gateway's endpoints (replicas), each with its {@code delta} parameter. */
    private final List<URI> endpoints;
    private final Supplier<String> tokens;
    private final boolean tokenRefreshable;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final HttpClient http;
    private final Counters counters = new Counters();
    private final ExecutorService events;
    private final ScheduledExecutorService timer;
    private final ExecutorService completions;
    private final TopicStreams streams;
    private final Requests requests;
    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Connection.Handler handler = new Connection.Handler() {
        @Override
        public void onMessage(Connection connection, String text) {
            received(connection, text);
        }

        @Override
        public void onClosed(Connection connection, int code, String reason) {
            post(() -> connectionEnded(connection, code, reason));
        }
    };

    /** The open connection; written on the event thread only, null while there is none. */
    private volatile Connection connection;
    /** The index in {@link #endpoints} of the current connection, or of the last one. */
    private volatile int current;
    /** Event thread: the index of the endpoint the next reconnection attempt goes to. */
    private int nextEndpoint;
    private final boolean randomStart;
    private volatile ConnectionState state = ConnectionState.CONNECTED;

    PushgateClient(PushgateClientBuilder builder) {
        int n = CLIENTS.incrementAndGet();
        List<URI> uris = new ArrayList<>();
        for (URI base : builder.uris) {
            uris.add(withSessionProperties(Endpoint.of(base, builder.deltaFormat), builder.sessionProperties));
        }
        this.endpoints = List.copyOf(uris);
        this.randomStart = builder.randomStart;
        this.tokens = builder.tokens;
        this.tokenRefreshable = builder.tokenRefreshable;
        this.backoff = builder.reconnect ? new Backoff(builder.initialBackoff, builder.maxBackoff,
                () -> ThreadLocalRandom.current().nextDouble()) : null;
        this.requestTimeout = builder.requestTimeout;
        this.connectTimeout = builder.connectTimeout;
        this.events = Executors.newSingleThreadExecutor(daemon("pushgate-client-" + n + "-events"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("pushgate-client-" + n + "-timer"));
        this.completions = Executors.newCachedThreadPool(daemon("pushgate-client-" + n + "-completions"));
        this.requests = new Requests(requestTimeout, timer);
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.streams = new TopicStreams(new TopicStreams.Gateway() {
            @Override
            public CompletableFuture<JsonNode> request(ObjectNode request) {
                return PushgateClient.this.request(request);
            }

            @Override
            public boolean isConnected() {
                return connection != null;
            }
        }, events, completions, counters);
        if (!builder.pingInterval.isZero()) {
            long every = builder.pingInterval.toMillis();
            timer.scheduleWithFixedDelay(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
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

    // ---------------------------------------------------------------- requests

    // ---------------------------------------------------------------- session control (VIEW_SESSION, MODIFY_SESSION)

    /**
     * Every session of every gateway replica that the session filter selects (null: all), by id:
     * {@code listSessions}. Needs VIEW_SESSION; fails with {@code INVALID} for a bad filter (its
     * message gives the line and column).
     */
    public CompletableFuture<List<SessionDetails>> listSessions(String filter) {
        ObjectNode request = TopicStreams.request("listSessions");
        if (filter != null) {
            request.put("filter", filter);
        }
        return call(request, reply -> {
            List<SessionDetails> sessions = new ArrayList<>();
            reply.path("sessions").forEach(s -> sessions.add(SessionDetails.fromJson(s)));
            return List.copyOf(sessions);
        });
    }

    /**
     * Closes the target sessions with close code 4101 (their clients do not reconnect at once) and
     * the reason (null: the gateway's). Needs MODIFY_SESSION.
     *
     * @return how many sessions were closed; fails with {@code NOT_FOUND} for a session id no replica holds
     */
    public CompletableFuture<Integer> closeSessions(SessionTarget target, String reason) {
        ObjectNode request = sessionRequest("closeSessions", target);
        if (reason != null) {
            request.put("reason", reason);
        }
        return call(request, reply -> reply.path("sessions").asInt());
    }

    /**
     * Sets user properties of the target sessions: each name to its value, or to null to remove it.
     * Needs MODIFY_SESSION. Returns how many sessions were changed.
     */
    public CompletableFuture<Integer> setSessionProperties(SessionTarget target, java.util.Map<String, String> properties) {
        ObjectNode request = sessionRequest("setSessionProperties", target);
        ObjectNode props = request.putObject("properties");
        Objects.requireNonNull(properties, "properties").forEach((k, v) -> {
            if (v == null) {
                props.putNull(k);
            } else {
                props.put(k, v);
            }
        });
        return call(request, reply -> reply.path("sessions").asInt());
    }

    /**
     * Subscribes the target sessions to a selector; each receives only what its own rights let it
     * read. Needs MODIFY_SESSION. Returns how many sessions were subscribed.
     */
    public CompletableFuture<Integer> subscribeSessions(SessionTarget target, String selector) {
        ObjectNode request = sessionRequest("subscribeSessions", target).put("selector", Objects.requireNonNull(selector, "selector"));
        return call(request, reply -> reply.path("sessions").asInt());
    }

    /** Unsubscribes the target sessions from a selector. Needs MODIFY_SESSION. Returns how many sessions. */
    public CompletableFuture<Integer> unsubscribeSessions(SessionTarget target, String selector) {
        ObjectNode request = sessionRequest("unsubscribeSessions", target).put("selector", Objects.requireNonNull(selector, "selector"));
        return call(request, reply -> reply.path("sessions").asInt());
    }

    private static ObjectNode sessionRequest(String op, SessionTarget target) {
        ObjectNode request = TopicStreams.request(op);
        Objects.requireNonNull(target, "target");
        if (target.sessionId() != null) {
            request.put("sessionId", target.sessionId());
        } else {
            request.put("filter", target.filter());
        }
        return request;
    }

    /** The endpoint with {@code properties=<JSON>} in its query, when there are any. */
    private static URI withSessionProperties(URI endpoint, java.util.Map<String, String> properties) {
        if (properties.isEmpty()) {
            return endpoint;
        }
        String json = Json.write(Json.MAPPER.valueToTree(new java.util.TreeMap<>(properties)));
        String param = "properties=" + java.net.URLEncoder.encode(json, java.nio.charset.StandardCharsets.UTF_8);
        String text = endpoint.toString();
        return URI.create(text + (endpoint.getRawQuery() == null ? "?" : "&") + param);
    }

    /** The topics a selector matches, with their values: {@code fetch}. */
    public CompletableFuture<List<TopicState>> fetch(String selector) {
        return fetch(selector, true);
    }

    /** {@code fetch}, with or without the values (without: specs and seqs only, value null). */
    public CompletableFuture<List<TopicState>> fetch(String selector, boolean withValues) {
        ObjectNode request = TopicStreams.request("fetch").put("selector", Objects.requireNonNull(selector, "selector"));
        if (!withValues) {
            request.put("withValues", false);
        }
        return call(request, reply -> {
            List<TopicState> results = new ArrayList<>();
            reply.path("results").forEach(r -> results.add(TopicState.fromJson(r)));
            return List.copyOf(results);
        });
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
        ObjectNode request = TopicStreams.request("add").put("topic", Objects.requireNonNull(topic, "topic"));
        request.set("spec", spec(Objects.requireNonNull(specOrTypeName, "spec")));
        return call(request, reply -> reply.path("result").asText());
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
        ObjectNode request = TopicStreams.request("set").put("topic", Objects.requireNonNull(topic, "topic"));
        request.set("value", toNode(value));
        if (spec != null) {
            request.set("spec", spec(spec));
        }
        return call(request, reply -> reply.path("seq").asLong());
    }

    /**
     * Appends an event to a time series topic.
     *
     * @param value a {@link JsonNode} or any object Jackson serialises, of the series' event type
     * @return the event's seq; fails with {@code NOT_FOUND} if there is no such topic, or
     *     {@code INVALID} if it is not a time series or the value does not fit its event type
     */
    public CompletableFuture<Long> append(String topic, Object value) {
        ObjectNode request = TopicStreams.request("append").put("topic", Objects.requireNonNull(topic, "topic"));
        request.set("value", toNode(value));
        return call(request, reply -> reply.path("seq").asLong());
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
        ObjectNode request = TopicStreams.request("edit").put("topic", Objects.requireNonNull(topic, "topic")).put("seq", seq);
        request.set("value", toNode(value));
        return call(request, reply -> reply.path("seq").asLong());
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
        ObjectNode request = TopicStreams.request("range").put("topic", Objects.requireNonNull(topic, "topic"));
        Objects.requireNonNull(query, "query").writeTo(request);
        return call(request, reply -> {
            List<TimeSeriesEvent> events = new ArrayList<>();
            reply.path("events").forEach(e -> events.add(TimeSeriesEvent.fromJson(e)));
            return List.copyOf(events);
        });
    }

    /** Removes every topic a selector matches; the future gives how many. */
    public CompletableFuture<Integer> remove(String selector) {
        ObjectNode request = TopicStreams.request("remove").put("selector", Objects.requireNonNull(selector, "selector"));
        return call(request, reply -> reply.path("removed").asInt());
    }

    /** Pings the gateway; the future gives the round-trip time. */
    public CompletableFuture<Duration> ping() {
        long start = System.nanoTime();
        return call(TopicStreams.request("ping"), pong -> Duration.ofNanos(System.nanoTime() - start));
    }

    // ---------------------------------------------------------------- state

    /**
     * Adds a listener of the connection's state: {@link ConnectionState#RECONNECTING} when the
     * connection drops, {@link ConnectionState#CONNECTED} when a new one is open (before the
     * subscriptions are renewed), {@link ConnectionState#CLOSED} at the end. Called on the event
     * thread, only for changes after it was added.
     */
    public PushgateClient onConnectionState(Consumer<ConnectionState> listener) {
        stateListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The connection's state now. */
    public ConnectionState state() {
        return state;
    }

    /**
     * The endpoint of the current connection (of the last one while reconnecting), with its
     * {@code delta} parameter.
     */
    public URI uri() {
        return endpoints.get(current);
    }

    /** Every endpoint the client may connect to, in the order given, with their {@code delta} parameter. */
    public List<URI> endpoints() {
        return endpoints;
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
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        Connection c = connection;
        if (c != null) {
            c.close(1000, "client closed");
        }
        if (!post(() -> terminate("the client is closed"))) {
            shutdownThreads();
        }
    }

    // ---------------------------------------------------------------- messaging (issue 18)

    /** Handlers by message path, and request streams by path: registered again on every new connection. */
    private final Map<String, RequestHandler> requestHandlers = new ConcurrentHashMap<>();
    private final Map<String, RequestHandler> requestStreams = new ConcurrentHashMap<>();

    /**
     * Sends a request to the handler of a message path (the handler registered for the path or its
     * nearest ancestor, on any replica) and completes with its response. Fails with a
     * {@link MessagingException} whose {@link MessagingException#reason() reason} says why there is
     * none ({@code NO_HANDLER}, {@code HANDLER_GONE}, {@code TIMEOUT}, {@code REJECTED}...), or a
     * {@link PushgateException} ({@code PERMISSION_DENIED} without SEND_TO_MESSAGE_HANDLER,
     * {@code TOO_LARGE}, {@code RATE_LIMITED}...). The timeout is the client's request timeout.
     */
    public CompletableFuture<JsonNode> sendRequest(String path, Object request) {
        return sendRequest(path, request, requestTimeout);
    }

    /** {@link #sendRequest(String, Object)} with a timeout of its own (at most the gateway's {@code gateway.messaging.max-timeout}). */
    public CompletableFuture<JsonNode> sendRequest(String path, Object request, Duration timeout) {
        ObjectNode op = Json.MAPPER.createObjectNode().put("op", "sendRequest").put("path", path).put("timeout", timeout.toMillis());
        op.set("request", toNode(request));
        return messagingCall(op, timeout);
    }

    /**
     * Sends a request to one session by its id, on a path it has a request stream for; needs
     * SEND_TO_SESSION on the path. Completes with the session's response.
     */
    public CompletableFuture<JsonNode> sendToSession(String sessionId, String path, Object request, Duration timeout) {
        ObjectNode op = Json.MAPPER.createObjectNode().put("op", "sendToSession").put("sessionId", sessionId).put("path", path)
                .put("timeout", timeout.toMillis());
        op.set("request", toNode(request));
        return messagingCall(op, timeout);
    }

    /** The answers of requests to session filters, by request id, until their {@code ok}. */
    private final Map<Long, List<SessionResponse>> filterAnswers = new ConcurrentHashMap<>();

    /**
     * Sends a request to every session a session filter selects, on every replica (needs
     * SEND_TO_SESSION on the path and VIEW_SESSION), and completes, once every one has answered or
     * failed, with each session's answer.
     *
     * @param filter a session filter in Diffusion's syntax, e.g. {@code room is 'lobby' and not $Transport is 'SSE'}
     */
    public CompletableFuture<List<SessionResponse>> sendToFilter(String filter, String path, Object request, Duration timeout) {
        Connection c = connection;
        if (c == null) {
            return CompletableFuture.failedFuture(new PushgateException.ConnectionLost(closing.get() ? "the client is closed" : "not connected"));
        }
        ObjectNode op = Json.MAPPER.createObjectNode().put("op", "sendToFilter").put("filter", filter).put("path", path)
                .put("timeout", timeout.toMillis());
        op.set("request", toNode(request));
        long[] requestId = new long[1];
        CompletableFuture<List<SessionResponse>> future = new CompletableFuture<>();
        requests.send(c, op, timeout.plus(requestTimeout), id -> {
            requestId[0] = id;
            filterAnswers.put(id, new CopyOnWriteArrayList<>());
        }).whenComplete((reply, error) -> {
            List<SessionResponse> answers = filterAnswers.remove(requestId[0]);
            complete(() -> {
                if (error != null) {
                    future.completeExceptionally(Causes.unwrap(error));
                } else {
                    future.complete(List.copyOf(answers));
                }
            });
        });
        return future;
    }

    private CompletableFuture<JsonNode> messagingCall(ObjectNode op, Duration timeout) {
        Connection c = connection;
        if (c == null) {
            return CompletableFuture.failedFuture(new PushgateException.ConnectionLost(closing.get() ? "the client is closed" : "not connected"));
        }
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        // The gateway answers TIMEOUT at the timeout; waiting a little longer lets that answer arrive.
        requests.send(c, op, timeout.plus(requestTimeout)).whenComplete((reply, error) -> complete(() -> {
            if (error != null) {
                future.completeExceptionally(Causes.unwrap(error));
            } else {
                future.complete(reply.path("response"));
            }
        }));
        return future;
    }

    /**
     * Makes this client a handler of requests sent to the path and its descendants; needs the
     * global permission REGISTER_HANDLER. Completes once requests from every replica can reach it;
     * kept across reconnections (registered again on the new connection). One handler per path:
     * another replaces it.
     */
    public CompletableFuture<Void> addRequestHandler(String path, RequestHandler handler) {
        Objects.requireNonNull(handler, "handler");
        requestHandlers.put(path, handler);
        return call(Json.MAPPER.createObjectNode().put("op", "addRequestHandler").put("path", path), reply -> (Void) null)
                .whenComplete((v, error) -> {
                    if (error != null) {
                        requestHandlers.remove(path, handler);
                    }
                });
    }

    public CompletableFuture<Void> removeRequestHandler(String path) {
        requestHandlers.remove(path);
        return call(Json.MAPPER.createObjectNode().put("op", "removeRequestHandler").put("path", path), reply -> (Void) null);
    }

    /**
     * Lets other sessions send requests to this one ({@link #sendToSession}) on the path and its
     * descendants. Completes with this session's id, which others need; a reconnection makes a new
     * session with a new id (the stream is set again on it).
     */
    public CompletableFuture<String> addRequestStream(String path, RequestHandler handler) {
        Objects.requireNonNull(handler, "handler");
        requestStreams.put(path, handler);
        return call(Json.MAPPER.createObjectNode().put("op", "addRequestStream").put("path", path),
                reply -> reply.path("sessionId").asText());
    }

    public CompletableFuture<Void> removeRequestStream(String path) {
        requestStreams.remove(path);
        return call(Json.MAPPER.createObjectNode().put("op", "removeRequestStream").put("path", path), reply -> (Void) null);
    }

    /** On the socket's reading thread: a request for one of this client's handlers or streams, answered off it. */
    private void answerRequest(JsonNode message) {
        String rid = message.path("rid").asText();
        boolean toHandler = message.hasNonNull("handler");
        String registration = toHandler ? message.path("handler").asText() : message.path("stream").asText();
        RequestHandler handler = (toHandler ? requestHandlers : requestStreams).get(registration);
        MessageRequest request = new MessageRequest(message.path("path").asText(), registration, message.get("request"),
                message.hasNonNull("sessionId") ? message.get("sessionId").asText() : null, message.path("principal").asText());
        complete(() -> {
            CompletionStage<?> answer;
            try {
                answer = handler == null ? CompletableFuture.failedFuture(new IllegalStateException("no handler for " + registration))
                        : handler.onRequest(request);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((response, error) -> {
                ObjectNode reply = Json.MAPPER.createObjectNode().put("rid", rid);
                if (error == null) {
                    reply.put("op", "respond");
                    reply.set("response", toNode(response));
                } else {
                    Throwable cause = Causes.unwrap(error);
                    reply.put("op", "reject").put("message", cause.getMessage() == null ? cause.toString() : cause.getMessage());
                }
                request(reply).whenComplete((ok, failed) -> {
                    if (failed != null) {
                        LOG.log(Level.DEBUG, "the answer to {0} was not taken: {1}", rid, failed.getMessage());
                    }
                });
            });
        });
    }

    /** On the event thread, on a new connection: handlers and streams are registered again (a new session). */
    private void registerHandlersAgain() {
        requestHandlers.keySet().forEach(path -> request(Json.MAPPER.createObjectNode().put("op", "addRequestHandler").put("path", path)));
        requestStreams.keySet().forEach(path -> request(Json.MAPPER.createObjectNode().put("op", "addRequestStream").put("path", path)));
    }

    // ---------------------------------------------------------------- connecting

    /**
     * Opens the first connection, trying each endpoint in turn; on failure the client's threads
     * end and this throws.
     */
    void connectFirst() {
        int n = endpoints.size();
        int start = randomStart ? ThreadLocalRandom.current().nextInt(n) : 0;
        List<PushgateException> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            URI uri = endpoints.get(index);
            CompletableFuture<Connection> opening = open(index);
            Connection first;
            try {
                first = opening.get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                PushgateException failure = connectFailure(uri, e.getCause());
                if (refusedEverywhere(e.getCause())) {
                    shutdownThreads();
                    throw failure;
                }
                failures.add(failure);
                continue;
            } catch (TimeoutException e) {
                opening.thenAccept(late -> late.abort("connect timed out"));
                failures.add(new PushgateException(ErrorCode.UNAVAILABLE, "cannot connect to " + uri + ": no answer within " + connectTimeout, e));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                opening.thenAccept(late -> late.abort("interrupted"));
                shutdownThreads();
                throw new PushgateException(ErrorCode.UNAVAILABLE, "interrupted while connecting to " + uri, e);
            }
            CompletableFuture<Void> ready = new CompletableFuture<>();
            post(() -> {
                becomeConnected(first, index);
                ready.complete(null);
            });
            ready.join();
            return;
        }
        shutdownThreads();
        if (failures.size() == 1) {
            throw failures.get(0);
        }
        ErrorCode code = failures.stream().map(PushgateException::code).distinct().count() == 1
                ? failures.get(0).code() : ErrorCode.UNAVAILABLE;
        StringBuilder why = new StringBuilder("cannot connect to any of " + endpoints + ":");
        failures.forEach(f -> why.append(' ').append(f.getMessage()).append(';'));
        throw new PushgateException(code, why.substring(0, why.length() - 1), failures.get(failures.size() - 1));
    }

    /** A handshake refused with 400, 401 or 403: another replica would refuse it alike. */
    private static boolean refusedEverywhere(Throwable error) {
        if (Causes.unwrap(error) instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            return status == 400 || status == 401 || status == 403;
        }
        return false;
    }

    private CompletableFuture<Connection> open(int index) {
        String token;
        try {
            token = tokens == null ? null : tokens.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new PushgateException(ErrorCode.UNAUTHENTICATED,
                    "the token supplier failed: " + e, e));
        }
        return Connection.open(http, endpoints.get(index), token, connectTimeout, handler, counters);
    }

    private static PushgateException connectFailure(URI uri, Throwable error) {
        Throwable cause = Causes.unwrap(error);
        if (cause instanceof PushgateException pe) {
            return pe;
        }
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            Object body = handshake.getResponse().body();
            return new PushgateException(Endpoint.codeForStatus(status), "cannot connect to " + uri + ": HTTP " + status
                    + (body instanceof String s && !s.isBlank() ? " " + s : ""), cause);
        }
        return new PushgateException(ErrorCode.UNAVAILABLE, "cannot connect to " + uri + ": " + cause, cause);
    }

    /** On the event thread: a connection to {@code endpoints[index]} is open. */
    private void becomeConnected(Connection c, int index) {
        if (closing.get()) {
            c.abort("client closed");
            return;
        }
        current = index;
        nextEndpoint = (index + 1) % endpoints.size();
        if (c.isEnded()) { // dropped as soon as it opened
            if (backoff == null) {
                closing.set(true);
                terminate("the connection to " + c.uri() + " ended as soon as it opened");
            } else {
                setState(ConnectionState.RECONNECTING);
                scheduleReconnect(0);
            }
            return;
        }
        connection = c;
        c.start();
        setState(ConnectionState.CONNECTED);
        streams.connected();
        registerHandlersAgain();
    }

    /** On the event thread: a connection ended. */
    private void connectionEnded(Connection c, int code, String reason) {
        if (c != connection) {
            return;
        }
        connection = null;
        requests.failAll(c, "the connection to " + c.uri() + " ended (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
        streams.connectionLost();
        if (closing.get()) {
            return;
        }
        boolean again = CloseCodes.shouldReconnect(code) || (code == CloseCodes.UNAUTHENTICATED && tokenRefreshable);
        if (backoff == null || !again) {
            LOG.log(Level.WARNING, "the gateway closed the connection ({0} {1}): not reconnecting", String.valueOf(code), reason);
            closing.set(true);
            terminate("the gateway closed the connection (" + code + " " + reason + ")");
            return;
        }
        LOG.log(Level.INFO, "connection to {0} ended ({1} {2}): reconnecting", c.uri(), String.valueOf(code), reason);
        setState(ConnectionState.RECONNECTING);
        nextEndpoint = (current + 1) % endpoints.size();
        scheduleReconnect(0);
    }

    /** On the event thread: schedules a reconnection attempt, to the next endpoint in turn. */
    private void scheduleReconnect(int attempt) {
        Duration delay = backoff.delay(attempt);
        int index = nextEndpoint;
        nextEndpoint = (index + 1) % endpoints.size();
        try {
            timer.schedule(() -> reconnect(attempt, index), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void reconnect(int attempt, int index) {
        if (closing.get()) {
            return;
        }
        open(index).whenComplete((c, error) -> {
            if (!post(() -> {
                if (closing.get()) {
                    if (c != null) {
                        c.abort("client closed");
                    }
                } else if (error != null) {
                    LOG.log(Level.DEBUG, "reconnection attempt {0} failed: {1}", attempt + 1,
                            connectFailure(endpoints.get(index), error).getMessage());
                    scheduleReconnect(attempt + 1);
                } else {
                    counters.reconnections.incrementAndGet();
                    if (index != current) {
                        counters.failovers.incrementAndGet();
                    }
                    becomeConnected(c, index);
                }
            }) && c != null) {
                c.abort("client closed");
            }
        });
    }

    /** Pings now and then: the gateway may close idle connections, and a dead one shows here. */
    private void keepAlive() {
        Connection c = connection;
        if (c == null) {
            return;
        }
        request(TopicStreams.request("ping")).whenComplete((pong, error) -> {
            if (error != null && !(Causes.unwrap(error) instanceof PushgateException.ConnectionLost) && c == connection) {
                LOG.log(Level.WARNING, "no pong from {0} within {1}: dropping the connection", c.uri(), requestTimeout);
                c.abort("no pong within " + requestTimeout);
            }
        });
    }

    /** On the event thread: the end. */
    private void terminate(String why) {
        Connection c = connection;
        connection = null;
        if (c != null) {
            c.close(1000, "client closed");
        }
        requests.failAll(null, why);
        streams.clientClosed();
        setState(ConnectionState.CLOSED);
        shutdownThreads();
    }

    private void shutdownThreads() {
        timer.shutdownNow();
        events.shutdown();
        completions.shutdown();
    }

    private void setState(ConnectionState next) {
        if (state == next) {
            return;
        }
        state = next;
        for (Consumer<ConnectionState> listener : stateListeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a connection state listener failed", e);
            }
        }
    }

    // ---------------------------------------------------------------- requests and replies

    /** Sends a request on the open connection; see {@link TopicStreams.Gateway#request}. */
    CompletableFuture<JsonNode> request(ObjectNode request) {
        Connection c = connection;
        if (c == null) {
            return CompletableFuture.failedFuture(new PushgateException.ConnectionLost(
                    closing.get() ? "the client is closed" : "not connected: reconnecting to "
                            + (endpoints.size() == 1 ? endpoints.get(0) : endpoints)));
        }
        return requests.send(c, request);
    }

    /** A request whose reply becomes the user's result, completed off the client's own threads. */
    private <T> CompletableFuture<T> call(ObjectNode request, Function<JsonNode, T> result) {
        CompletableFuture<T> future = new CompletableFuture<>();
        request(request).whenComplete((reply, error) -> complete(() -> {
            if (error != null) {
                future.completeExceptionally(Causes.unwrap(error));
                return;
            }
            try {
                future.complete(result.apply(reply));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }));
        return future;
    }

    private void complete(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run(); // closing: no pool any more
        }
    }

    /** On the socket's reading thread: replies complete their requests, the rest goes to the event thread. */
    private void received(Connection c, String text) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "ignored a frame that is not JSON: {0}", abbreviate(text));
            return;
        }
        if (requests.complete(message)) {
            return;
        }
        if ("request".equals(message.path("type").asText())) {
            answerRequest(message);
            return;
        }
        if ("filterResponse".equals(message.path("type").asText())) {
            List<SessionResponse> collected = filterAnswers.get(message.path("for").asLong());
            if (collected != null) {
                PushgateException error = message.hasNonNull("error") ? Requests.error(message.get("error")) : null;
                collected.add(new SessionResponse(message.path("sessionId").asText(), error == null ? message.get("response") : null, error));
            }
            return;
        }
        c.queued();
        if (!post(() -> {
            try {
                if (c == connection) {
                    streams.onMessage(message);
                }
            } finally {
                c.handled();
            }
        })) {
            c.handled();
        }
    }

    private boolean post(Runnable task) {
        try {
            events.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode toNode(Object value) {
        return value instanceof JsonNode node ? node : Json.MAPPER.valueToTree(value);
    }

    private static JsonNode spec(Object spec) {
        if (spec instanceof JsonNode node) {
            return node;
        }
        if (spec instanceof CharSequence || spec instanceof TopicType) {
            return TextNode.valueOf(spec.toString());
        }
        return Json.MAPPER.valueToTree(spec);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name.endsWith("completions") ? name + "-" + count.incrementAndGet() : name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String toString() {
        return "PushgateClient[" + uri() + ", " + state + "]";
    }
}
